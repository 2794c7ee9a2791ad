package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where and how Wagate reaches Meta's Cloud API.
 *
 * @param baseUrl         {@code https://graph.facebook.com}; plain http only to a loopback host (emulator)
 * @param apiVersion      Graph API version path prefix, pinned (for example {@code v25.0})
 * @param connectTimeout  TCP and TLS connect
 * @param requestTimeout  whole request; a timeout after the request was written is ambiguous
 */
public record CloudApiConfig(URI baseUrl, String apiVersion, Duration connectTimeout, Duration requestTimeout) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://graph.facebook.com");
    public static final String DEFAULT_API_VERSION = "v25.0";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+");

    public CloudApiConfig {
        baseUrl = baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
        apiVersion = apiVersion == null ? DEFAULT_API_VERSION : apiVersion;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        check(VERSION.matcher(apiVersion).matches(), "cloud_api.api_version", "must look like v25.0", apiVersion);
        check("https".equals(baseUrl.getScheme()) || ("http".equals(baseUrl.getScheme()) && isLoopback(baseUrl)),
                "cloud_api.base_url", "must be https (plain http only to a loopback emulator)", baseUrl);
        check(connectTimeout.toMillis() > 0, "cloud_api.connect_timeout", "must be > 0",
                Durations.format(connectTimeout));
        check(requestTimeout.toMillis() > 0, "cloud_api.request_timeout", "must be > 0",
                Durations.format(requestTimeout));
    }

    public static CloudApiConfig defaults() {
        return new CloudApiConfig(null, null, null, null);
    }

    /** The same settings aimed at another base URL (the sandbox emulator). */
    public CloudApiConfig withBaseUrl(URI url) {
        return new CloudApiConfig(url, apiVersion, connectTimeout, requestTimeout);
    }

    /** The same settings with other timeouts. */
    public CloudApiConfig withTimeouts(Duration connect, Duration request) {
        return new CloudApiConfig(baseUrl, apiVersion, connect, request);
    }

    private static boolean isLoopback(URI url) {
        try {
            return url.getHost() != null && InetAddress.getByName(url.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
