package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The HTTP listener Meta posts webhooks to.
 *
 * <p>Meta requires public HTTPS with a certificate it trusts; either terminate TLS here
 * ({@code tls_cert_file}, {@code tls_key_file}) or in a reverse proxy in front of a loopback
 * listener ({@code allow_plaintext} for a proxy on another host).
 *
 * @param listenAddress   address to bind; loopback unless TLS is configured or plaintext allowed
 * @param port            0 picks a free port (printed at start)
 * @param path            the callback path given to Meta
 * @param apps            the Meta apps whose webhooks are accepted, each with its app secret
 * @param maxBodyBytes    larger bodies are answered 413 (Meta sends up to 3 MB)
 * @param maxHeaderBytes  larger header blocks are answered 431
 * @param idleTimeout     connections idle this long are closed
 * @param tlsCertFile     PEM certificate chain; with {@code tlsKeyFile} turns TLS on
 * @param tlsKeyFile      PEM private key (PKCS#8)
 * @param allowPlaintext  accept plaintext on a non-loopback address (behind a TLS proxy)
 */
public record WebhookConfig(
        String listenAddress,
        Integer port,
        String path,
        List<WebhookApp> apps,
        Integer maxBodyBytes,
        Integer maxHeaderBytes,
        Duration idleTimeout,
        Path tlsCertFile,
        Path tlsKeyFile,
        Boolean allowPlaintext) {

    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 7401;
    public static final String DEFAULT_PATH = "/webhook";
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public WebhookConfig {
        listenAddress = listenAddress == null ? DEFAULT_LISTEN_ADDRESS : listenAddress;
        port = port == null ? DEFAULT_PORT : port;
        path = path == null ? DEFAULT_PATH : path;
        apps = apps == null ? List.of() : List.copyOf(apps);
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        maxHeaderBytes = maxHeaderBytes == null ? DEFAULT_MAX_HEADER_BYTES : maxHeaderBytes;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        allowPlaintext = allowPlaintext != null && allowPlaintext;
        check(port >= 0 && port <= 65535, "webhook.port", "must be between 0 and 65535", port);
        check(path.startsWith("/") && !path.contains("?") && !path.contains("#"), "webhook.path",
                "must be an absolute path without query", "'" + path + "'");
        check(maxBodyBytes >= 64 * 1024 && maxBodyBytes <= 64 * 1024 * 1024, "webhook.max_body_bytes",
                "must be between 65536 and 67108864 (Meta sends up to 3 MB)", maxBodyBytes);
        check(maxHeaderBytes >= 1024 && maxHeaderBytes <= 1024 * 1024, "webhook.max_header_bytes",
                "must be between 1024 and 1048576", maxHeaderBytes);
        check(!idleTimeout.isNegative() && !idleTimeout.isZero(), "webhook.idle_timeout", "must be > 0",
                Durations.format(idleTimeout));
        check((tlsCertFile == null) == (tlsKeyFile == null), "webhook.tls_cert_file",
                "and webhook.tls_key_file must be set together", tlsCertFile == null ? "only the key" : "only the cert");
        check(tlsCertFile != null || allowPlaintext || isLoopback(listenAddress), "webhook.listen_address",
                "is not a loopback address, so TLS is required (set webhook.tls_cert_file and webhook.tls_key_file,"
                        + " or webhook.allow_plaintext: true behind a TLS proxy)", listenAddress);
        Set<String> names = new HashSet<>();
        for (WebhookApp app : apps) {
            check(names.add(app.name()), "webhook.apps[].name", "must be unique", "'" + app.name() + "' twice");
        }
    }

    public static WebhookConfig defaults() {
        return new WebhookConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** A loopback listener on the given port accepting the given apps (sandbox, tests). */
    public static WebhookConfig loopback(int port, List<WebhookApp> apps) {
        return new WebhookConfig(DEFAULT_LISTEN_ADDRESS, port, null, apps, null, null, null, null, null, null);
    }

    public boolean tlsEnabled() {
        return tlsCertFile != null;
    }

    static boolean isLoopback(String listenAddress) {
        try {
            return InetAddress.getByName(listenAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException("webhook.listen_address '" + listenAddress + "' does not resolve", e);
        }
    }
}
