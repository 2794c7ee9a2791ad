package io.wagate.sandbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one {@link SandboxEmulator}. Validated on construction; immutable.
 *
 * <pre>{@code
 * SandboxOptions o = SandboxOptions.defaults().withNumber("106540352242922", "token-1")
 *         .withLatency(Duration.ofMillis(300));
 * }</pre>
 *
 * @param bindHost address to listen on; loopback by default so a sandbox never faces a network
 * @param port TCP port, 0 for any free one (see {@link SandboxEmulator#baseUrl()})
 * @param numbers phone-number id to the access token it accepts
 * @param latency delay before every answer of the messages endpoint, emulating Meta's round trip
 * @param maxBodyBytes larger request bodies are answered 413
 * @param idleTimeout connections idle this long are closed
 * @param maxRecorded received messages kept for inspection; older ones are forgotten (counts stay exact)
 */
public record SandboxOptions(String bindHost, int port, Map<String, String> numbers, Duration latency,
                             int maxBodyBytes, Duration idleTimeout, int maxRecorded) {

    /** Loopback only: the sandbox accepts any well-formed message and must not be reachable from outside. */
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    /** Far above any valid message (the largest, a 10-row list, is a few KiB). */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);
    /** Enough for tests and minutes of benchmark traffic without unbounded memory. */
    public static final int DEFAULT_MAX_RECORDED = 100_000;

    public SandboxOptions {
        Objects.requireNonNull(bindHost, "sandbox.bind_host must be set");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sandbox.port must be 0..65535, got " + port);
        }
        numbers = Map.copyOf(Objects.requireNonNull(numbers, "sandbox.numbers must be set"));
        Objects.requireNonNull(latency, "sandbox.latency must be set");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("sandbox.latency must be >= 0, got " + latency);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("sandbox.max_body_bytes must be > 0, got " + maxBodyBytes);
        }
        Objects.requireNonNull(idleTimeout, "sandbox.idle_timeout must be set");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("sandbox.idle_timeout must be > 0, got " + idleTimeout);
        }
        if (maxRecorded < 0) {
            throw new IllegalArgumentException("sandbox.max_recorded must be >= 0, got " + maxRecorded);
        }
    }

    /** Loopback, any free port, no numbers, no latency, default limits. */
    public static SandboxOptions defaults() {
        return new SandboxOptions(DEFAULT_BIND_HOST, 0, Map.of(), Duration.ZERO, DEFAULT_MAX_BODY_BYTES,
                DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_RECORDED);
    }

    /** These options plus a phone-number id and the token that may send from it. */
    public SandboxOptions withNumber(String phoneNumberId, String accessToken) {
        Map<String, String> m = new HashMap<>(numbers);
        m.put(Objects.requireNonNull(phoneNumberId), Objects.requireNonNull(accessToken));
        return new SandboxOptions(bindHost, port, m, latency, maxBodyBytes, idleTimeout, maxRecorded);
    }

    public SandboxOptions withPort(int newPort) {
        return new SandboxOptions(bindHost, newPort, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded);
    }

    public SandboxOptions withLatency(Duration newLatency) {
        return new SandboxOptions(bindHost, port, numbers, newLatency, maxBodyBytes, idleTimeout, maxRecorded);
    }

    public SandboxOptions withMaxBodyBytes(int newMax) {
        return new SandboxOptions(bindHost, port, numbers, latency, newMax, idleTimeout, maxRecorded);
    }

    public SandboxOptions withIdleTimeout(Duration newTimeout) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, newTimeout, maxRecorded);
    }

    public SandboxOptions withMaxRecorded(int newMax) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, newMax);
    }
}
