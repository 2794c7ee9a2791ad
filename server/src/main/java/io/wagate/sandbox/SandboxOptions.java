package io.wagate.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one {@link SandboxEmulator}. Validated on construction; immutable.
 *
 * <pre>{@code
 * SandboxOptions o = SandboxOptions.defaults().withNumber("106540352242922", "token-1")
 *         .withLatency(Latency.uniform(Duration.ofMillis(200), Duration.ofMillis(400)))
 *         .withMetaLimits()                                   // 80 msg/s per number, pair limit on
 *         .withThroughput("106540352242922", 1000)
 *         .withFault(FaultSpec.of(FaultPlan.MetaError.of(131000)).withProbability(0.01));
 * }</pre>
 *
 * <p>{@link #defaults()} enforces no limits and injects no faults, so tests of other features can
 * send many messages to one recipient as fast as they like; Meta's limits are switched on with
 * {@link #withMetaLimits()}, {@link #withThroughput(int)} or {@link #withPairLimit(boolean)}.
 *
 * @param bindHost address to listen on; loopback by default so a sandbox never faces a network
 * @param port TCP port, 0 for any free one (see {@link SandboxEmulator#baseUrl()})
 * @param numbers phone-number id to the access token it accepts
 * @param latency delay before every answer of the messages endpoint, emulating Meta's round trip
 * @param maxBodyBytes larger request bodies are answered 413
 * @param idleTimeout connections idle this long are closed
 * @param maxRecorded received messages kept for inspection; older ones are forgotten (counts stay exact)
 * @param limits Meta's throughput and pair limits, off by default
 * @param faults fault rules in force from the start (durations count from the start)
 * @param outages listener outages scheduled from the start
 * @param webhooks where status and inbound webhooks go and how the emulated users behave; off by default
 * @param media lifetimes and memory bound of uploaded and inbound media ({@link MediaOptions#META} by default);
 *     {@code maxBodyBytes} does not apply to media uploads, which are streamed
 */
public record SandboxOptions(String bindHost, int port, Map<String, String> numbers, Latency latency,
                             int maxBodyBytes, Duration idleTimeout, int maxRecorded, LimitOptions limits,
                             List<FaultSpec> faults, List<Outage> outages, WebhookOptions webhooks,
                             MediaOptions media) {

    /** Loopback only: the sandbox accepts any well-formed message and must not be reachable from outside. */
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    /** Far above any valid message (the largest, a 10-row list, is a few KiB). */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);
    /** Enough for tests and minutes of benchmark traffic without unbounded memory. */
    public static final int DEFAULT_MAX_RECORDED = 100_000;

    /**
     * A window in which the listener is down (connection refused), counted from the start.
     *
     * @param after when it begins
     * @param length how long it lasts
     */
    public record Outage(Duration after, Duration length) {
        public Outage {
            Objects.requireNonNull(after, "sandbox.outages.after must be set");
            Objects.requireNonNull(length, "sandbox.outages.length must be set");
            if (after.isNegative()) {
                throw new IllegalArgumentException("sandbox.outages.after must be >= 0, got " + after);
            }
            if (length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("sandbox.outages.length must be > 0, got " + length);
            }
        }
    }

    public SandboxOptions {
        Objects.requireNonNull(bindHost, "sandbox.bind_host must be set");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sandbox.port must be 0..65535, got " + port);
        }
        numbers = Map.copyOf(Objects.requireNonNull(numbers, "sandbox.numbers must be set"));
        Objects.requireNonNull(latency, "sandbox.latency must be set");
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
        Objects.requireNonNull(limits, "sandbox.limits must be set");
        faults = List.copyOf(Objects.requireNonNull(faults, "sandbox.faults must be set"));
        outages = List.copyOf(Objects.requireNonNull(outages, "sandbox.outages must be set"));
        Objects.requireNonNull(webhooks, "sandbox.webhooks must be set");
        Objects.requireNonNull(media, "sandbox.media must be set");
    }

    /** The settings before media: Meta's media lifetimes and the default memory bound. */
    public SandboxOptions(String bindHost, int port, Map<String, String> numbers, Latency latency,
                          int maxBodyBytes, Duration idleTimeout, int maxRecorded, LimitOptions limits,
                          List<FaultSpec> faults, List<Outage> outages, WebhookOptions webhooks) {
        this(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults, outages, webhooks,
                MediaOptions.META);
    }

    /** Media lifetimes, memory bound and clock (see {@link MediaOptions}). */
    public SandboxOptions withMedia(MediaOptions newMedia) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults,
                outages, webhooks, newMedia);
    }

    /** The settings of the first version: a fixed latency, no limits, no faults. */
    public SandboxOptions(String bindHost, int port, Map<String, String> numbers, Duration latency,
                          int maxBodyBytes, Duration idleTimeout, int maxRecorded) {
        this(bindHost, port, numbers, Latency.fixed(latency), maxBodyBytes, idleTimeout, maxRecorded,
                LimitOptions.OFF, List.of(), List.of(), WebhookOptions.OFF);
    }

    /** Loopback, any free port, no numbers, no latency, default body and idle limits, no Meta limits, no faults. */
    public static SandboxOptions defaults() {
        return new SandboxOptions(DEFAULT_BIND_HOST, 0, Map.of(), Latency.NONE, DEFAULT_MAX_BODY_BYTES,
                DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_RECORDED, LimitOptions.OFF, List.of(), List.of(), WebhookOptions.OFF);
    }

    /** These options plus a phone-number id and the token that may send from it. */
    public SandboxOptions withNumber(String phoneNumberId, String accessToken) {
        Map<String, String> m = new HashMap<>(numbers);
        m.put(Objects.requireNonNull(phoneNumberId), Objects.requireNonNull(accessToken));
        return new SandboxOptions(bindHost, port, m, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults, outages, webhooks, media);
    }

    public SandboxOptions withPort(int newPort) {
        return new SandboxOptions(bindHost, newPort, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults, outages, webhooks, media);
    }

    /** A fixed latency before every answer. */
    public SandboxOptions withLatency(Duration newLatency) {
        return withLatency(Latency.fixed(newLatency));
    }

    /** A latency drawn from {@code newLatency} before every answer. */
    public SandboxOptions withLatency(Latency newLatency) {
        return new SandboxOptions(bindHost, port, numbers, newLatency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults, outages, webhooks, media);
    }

    public SandboxOptions withMaxBodyBytes(int newMax) {
        return new SandboxOptions(bindHost, port, numbers, latency, newMax, idleTimeout, maxRecorded, limits, faults, outages, webhooks, media);
    }

    public SandboxOptions withIdleTimeout(Duration newTimeout) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, newTimeout, maxRecorded, limits, faults, outages, webhooks, media);
    }

    public SandboxOptions withMaxRecorded(int newMax) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, newMax, limits, faults, outages, webhooks, media);
    }

    public SandboxOptions withLimits(LimitOptions newLimits) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, newLimits, faults, outages, webhooks, media);
    }

    /** Meta's limits: 80 msg/s per number, pair limit 45 burst and 1 per 6 s, throttles answered 400. */
    public SandboxOptions withMetaLimits() {
        return withLimits(LimitOptions.meta().withThroughput(limits.throughput() == 0
                ? LimitOptions.META_DEFAULT_THROUGHPUT : limits.throughput()));
    }

    /** Every number limited to {@code mps} msg/s (1..1000; 0 for no limit), unless it has its own. */
    public SandboxOptions withThroughput(int mps) {
        return withLimits(limits.withThroughput(mps));
    }

    /** One number limited to {@code mps} msg/s (1..1000; 0 for no limit). */
    public SandboxOptions withThroughput(String phoneNumberId, int mps) {
        return withLimits(limits.withThroughput(phoneNumberId, mps));
    }

    /** Meta's pair limit on (45 burst, 1 per 6 s) or off. */
    public SandboxOptions withPairLimit(boolean enabled) {
        return withLimits(limits.withPairLimit(enabled ? PairLimit.META : PairLimit.OFF));
    }

    public SandboxOptions withPairLimit(PairLimit pairLimit) {
        return withLimits(limits.withPairLimit(pairLimit));
    }

    /** HTTP status of 130429 and 131056 answers: 400 (Meta's table, the default) or 429. */
    public SandboxOptions withThrottleHttpStatus(int status) {
        return withLimits(limits.withThrottleHttpStatus(status));
    }

    /** These options plus a fault rule in force from the start. */
    public SandboxOptions withFault(FaultSpec fault) {
        List<FaultSpec> f = new ArrayList<>(faults);
        f.add(Objects.requireNonNull(fault, "fault"));
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, f, outages, webhooks, media);
    }

    /** Status and inbound webhooks to {@code target}, signed with {@code appSecret}, default delivery and behaviour. */
    public SandboxOptions withWebhook(java.net.URI target, String appSecret) {
        return withWebhooks(webhooks.withTarget(target, appSecret));
    }

    /** Webhook target, delivery and behaviour (see {@link WebhookOptions}). */
    public SandboxOptions withWebhooks(WebhookOptions newWebhooks) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults,
                outages, newWebhooks, media);
    }

    /** These options plus an outage of {@code length} beginning {@code after} the start. */
    public SandboxOptions withOutage(Duration after, Duration length) {
        List<Outage> o = new ArrayList<>(outages);
        o.add(new Outage(after, length));
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults, o, webhooks, media);
    }
}
