package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One Meta app whose webhooks the appliance accepts. Its app secret signs every POST
 * ({@code X-Hub-Signature-256}); its verify token answers Meta's GET handshake. Both are named,
 * never written here: an environment variable or a file readable only by the service user.
 *
 * @param name  a label for logs and metrics
 */
public record WebhookApp(String name, String appSecretEnv, Path appSecretFile, String verifyTokenEnv,
                         Path verifyTokenFile) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public WebhookApp {
        check(name != null && NAME.matcher(name).matches(), "webhook.apps[].name",
                "must be 1-64 letters, digits, '-' or '_'", name == null ? "missing" : "'" + name + "'");
        check((appSecretEnv == null) != (appSecretFile == null), "webhook.apps[" + name + "]",
                "must set exactly one of app_secret_env and app_secret_file",
                appSecretEnv == null ? "neither" : "both");
        check(verifyTokenEnv == null || verifyTokenFile == null, "webhook.apps[" + name + "]",
                "must set at most one of verify_token_env and verify_token_file", "both");
    }
}
