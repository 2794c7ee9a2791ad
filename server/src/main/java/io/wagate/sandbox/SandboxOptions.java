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
 * <p>{@link #defaults()} enforces no limits, no policy rules and injects no faults, so tests of
 * other features can send many messages to one recipient as fast as they like; Meta's limits are
 * switched on with {@link #withMetaLimits()}, {@link #withThroughput(int)} or
 * {@link #withPairLimit(boolean)}, its policy rules (templates, window, opt-out, marketing limit)
 * with {@link #withPolicyRules()}.
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
 * @param wabas phone-number id to the WABA it belongs to; a number not named here is in
 *     {@link #DEFAULT_WABA_ID}
 * @param policy Meta's policy rules on sends (templates, window, opt-out, marketing limit), off by default
 * @param templates message templates the WABAs own from the start
 */
public record SandboxOptions(String bindHost, int port, Map<String, String> numbers, Latency latency,
                             int maxBodyBytes, Duration idleTimeout, int maxRecorded, LimitOptions limits,
                             List<FaultSpec> faults, List<Outage> outages, WebhookOptions webhooks,
                             MediaOptions media, Map<String, String> wabas, PolicyOptions policy,
                             List<SandboxTemplate> templates) {

    /** Loopback only: the sandbox accepts any well-formed message and must not be reachable from outside. */
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    /** Far above any valid message (the largest, a 10-row list, is a few KiB). */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);
    /** Enough for tests and minutes of benchmark traffic without unbounded memory. */
    public static final int DEFAULT_MAX_RECORDED = 100_000;
    /** The WABA every number belongs to unless given another ({@link #withNumber(String, String, String)}). */
    public static final String DEFAULT_WABA_ID = "109000000000001";

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
        wabas = Map.copyOf(Objects.requireNonNull(wabas, "sandbox.wabas must be set"));
        wabas.forEach((number, waba) -> {
            if (!waba.matches("[0-9]{1,32}")) {
                throw new IllegalArgumentException("sandbox.numbers[" + number + "].waba_id must be 1-32 digits, got "
                        + waba);
            }
        });
        Objects.requireNonNull(policy, "sandbox.policy must be set");
        templates = List.copyOf(Objects.requireNonNull(templates, "sandbox.templates must be set"));
    }

    /** The settings before policy rules: every number in {@link #DEFAULT_WABA_ID}, no rules, no templates. */
    public SandboxOptions(String bindHost, int port, Map<String, String> numbers, Latency latency,
                          int maxBodyBytes, Duration idleTimeout, int maxRecorded, LimitOptions limits,
                          List<FaultSpec> faults, List<Outage> outages, WebhookOptions webhooks, MediaOptions media) {
        this(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults, outages, webhooks,
                media, Map.of(), PolicyOptions.OFF, List.of());
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
                outages, webhooks, newMedia, wabas, policy, templates);
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
                DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_RECORDED, LimitOptions.OFF, List.of(), List.of(), WebhookOptions.OFF,
                MediaOptions.META, Map.of(), PolicyOptions.OFF, List.of());
    }

    /** These options plus a phone-number id and the token that may send from it. */
    public SandboxOptions withNumber(String phoneNumberId, String accessToken) {
        Map<String, String> m = new HashMap<>(numbers);
        m.put(Objects.requireNonNull(phoneNumberId), Objects.requireNonNull(accessToken));
        return new SandboxOptions(bindHost, port, m, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults, outages, webhooks, media, wabas, policy, templates);
    }

    /** These options plus a phone-number id, the token that may send from it, and the WABA it belongs to. */
    public SandboxOptions withNumber(String phoneNumberId, String accessToken, String wabaId) {
        SandboxOptions o = withNumber(phoneNumberId, accessToken);
        Map<String, String> w = new HashMap<>(wabas);
        w.put(phoneNumberId, Objects.requireNonNull(wabaId, "wabaId"));
        return new SandboxOptions(bindHost, port, o.numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits,
                faults, outages, webhooks, media, w, policy, templates);
    }

    /** The WABA of a number of these options. */
    public String wabaOf(String phoneNumberId) {
        return wabas.getOrDefault(phoneNumberId, DEFAULT_WABA_ID);
    }

    /**
     * Meta's policy rules on: template verdicts, the customer service window, opt-out, the
     * per-user marketing limit ({@link PolicyOptions#DEFAULT_MARKETING_LIMIT} unless set) and
     * pricing by the template catalogue. {@code wagate sandbox} runs with them.
     */
    public SandboxOptions withPolicyRules() {
        return withPolicy(policy.withRules(true));
    }

    public SandboxOptions withPolicy(PolicyOptions newPolicy) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits,
                faults, outages, webhooks, media, wabas, newPolicy, templates);
    }

    /** New and edited templates are APPROVED at once (with their webhook) rather than PENDING. */
    public SandboxOptions withTemplateAutoApprove(boolean on) {
        return withPolicy(policy.withAutoApprove(on));
    }

    /** At most {@code perUser} marketing templates per user per moving 24 h (0: no limit). */
    public SandboxOptions withMarketingLimit(int perUser) {
        return withPolicy(policy.withMarketingLimit(perUser));
    }

    /** These options plus templates the WABAs own from the start (for example {@link SampleTemplates#all()}). */
    public SandboxOptions withTemplates(List<SandboxTemplate> more) {
        List<SandboxTemplate> t = new ArrayList<>(templates);
        t.addAll(more);
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits,
                faults, outages, webhooks, media, wabas, policy, t);
    }

    public SandboxOptions withTemplates(SandboxTemplate... more) {
        return withTemplates(List.of(more));
    }

    public SandboxOptions withPort(int newPort) {
        return new SandboxOptions(bindHost, newPort, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults, outages, webhooks, media, wabas, policy, templates);
    }

    /** A fixed latency before every answer. */
    public SandboxOptions withLatency(Duration newLatency) {
        return withLatency(Latency.fixed(newLatency));
    }

    /** A latency drawn from {@code newLatency} before every answer. */
    public SandboxOptions withLatency(Latency newLatency) {
        return new SandboxOptions(bindHost, port, numbers, newLatency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults, outages, webhooks, media, wabas, policy, templates);
    }

    public SandboxOptions withMaxBodyBytes(int newMax) {
        return new SandboxOptions(bindHost, port, numbers, latency, newMax, idleTimeout, maxRecorded, limits, faults, outages, webhooks, media, wabas, policy, templates);
    }

    public SandboxOptions withIdleTimeout(Duration newTimeout) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, newTimeout, maxRecorded, limits, faults, outages, webhooks, media, wabas, policy, templates);
    }

    public SandboxOptions withMaxRecorded(int newMax) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, newMax, limits, faults, outages, webhooks, media, wabas, policy, templates);
    }

    public SandboxOptions withLimits(LimitOptions newLimits) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, newLimits, faults, outages, webhooks, media, wabas, policy, templates);
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
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, f, outages, webhooks, media, wabas, policy, templates);
    }

    /** Status and inbound webhooks to {@code target}, signed with {@code appSecret}, default delivery and behaviour. */
    public SandboxOptions withWebhook(java.net.URI target, String appSecret) {
        return withWebhooks(webhooks.withTarget(target, appSecret));
    }

    /** Webhook target, delivery and behaviour (see {@link WebhookOptions}). */
    public SandboxOptions withWebhooks(WebhookOptions newWebhooks) {
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults,
                outages, newWebhooks, media, wabas, policy, templates);
    }

    /** These options plus an outage of {@code length} beginning {@code after} the start. */
    public SandboxOptions withOutage(Duration after, Duration length) {
        List<Outage> o = new ArrayList<>(outages);
        o.add(new Outage(after, length));
        return new SandboxOptions(bindHost, port, numbers, latency, maxBodyBytes, idleTimeout, maxRecorded, limits, faults, o, webhooks, media, wabas, policy, templates);
    }
}
