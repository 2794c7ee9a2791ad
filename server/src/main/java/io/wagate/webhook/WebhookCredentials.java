package io.wagate.webhook;

import io.wagate.config.ConfigException;
import io.wagate.config.WebhookApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The app secrets and verify tokens of the configured Meta apps, resolved from the environment
 * variables or files the config names. Values never appear in messages, logs or
 * {@code toString}; errors name the config key only.
 *
 * <p>Immutable; safe from any thread.
 */
public final class WebhookCredentials {

    private final List<App> apps;

    private WebhookCredentials(List<App> apps) {
        this.apps = List.copyOf(apps);
    }

    /** Credentials given directly (sandbox, tests). */
    public static WebhookCredentials of(List<App> apps) {
        return new WebhookCredentials(apps);
    }

    /**
     * Reads every app's secret and verify token.
     *
     * @param env the process environment (passed in so that tests need not set it)
     * @throws ConfigException naming the key whose variable is unset, or whose file is unreadable or empty
     */
    public static WebhookCredentials resolve(List<WebhookApp> apps, Map<String, String> env) {
        List<App> out = new ArrayList<>();
        for (WebhookApp a : apps) {
            String key = "webhook.apps[" + a.name() + "]";
            String secret = read(key + ".app_secret", a.appSecretEnv(), a.appSecretFile(), env);
            String token = a.verifyTokenEnv() == null && a.verifyTokenFile() == null ? null
                    : read(key + ".verify_token", a.verifyTokenEnv(), a.verifyTokenFile(), env);
            out.add(new App(a.name(), secret, token));
        }
        return new WebhookCredentials(out);
    }

    private static String read(String key, String envName, Path file, Map<String, String> env) {
        if (envName != null) {
            String v = env.get(envName);
            if (v == null || v.isBlank()) {
                throw new ConfigException(key + "_env names " + envName + ", which is not set in the environment");
            }
            return v;
        }
        String v;
        try {
            v = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new ConfigException(key + "_file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        if (v.isEmpty()) {
            throw new ConfigException(key + "_file " + file + " is empty");
        }
        return v;
    }

    public List<App> apps() {
        return apps;
    }

    /**
     * Whether {@code token} is the verify token of any app. Compares digests, so neither the
     * content nor the length of a configured token shows in the time taken.
     */
    public boolean verifyTokenMatches(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] given = digest(token);
        boolean match = false;
        for (App a : apps) {
            if (a.verifyTokenDigest != null) {
                match |= MessageDigest.isEqual(given, a.verifyTokenDigest);
            }
        }
        return match;
    }

    private static byte[] digest(String s) {
        return EventIds.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "WebhookCredentials" + apps;
    }

    /** One app: its name, app secret and optional verify token. */
    public static final class App {
        private final String name;
        private final byte[] appSecret;
        private final byte[] verifyTokenDigest;

        /**
         * @param verifyToken null when the app has none: the handshake can then not match it
         */
        public App(String name, String appSecret, String verifyToken) {
            if (name == null || appSecret == null || appSecret.isEmpty()) {
                throw new IllegalArgumentException("an app needs a name and a non-empty app secret");
            }
            this.name = name;
            this.appSecret = appSecret.getBytes(StandardCharsets.UTF_8);
            this.verifyTokenDigest = verifyToken == null || verifyToken.isEmpty() ? null : digest(verifyToken);
        }

        public String name() {
            return name;
        }

        byte[] appSecret() {
            return appSecret.clone();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
