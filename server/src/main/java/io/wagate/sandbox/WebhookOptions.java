package io.wagate.sandbox;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where and how the sandbox posts webhooks, as Meta does (reference §4.3, §4.4). Validated on
 * construction; immutable. {@link #OFF} posts nothing: sends are answered but no status follows.
 *
 * <pre>{@code
 * WebhookOptions w = WebhookOptions.to(URI.create("http://127.0.0.1:7401/webhook"), "app-secret")
 *         .withRetrySchedule(List.of(Duration.ZERO, Duration.ofMillis(50)), Duration.ofSeconds(2))  // tests
 *         .withBehaviour(WebhookBehaviour.DEFAULT.withSkipDelivered(true));
 * }</pre>
 *
 * @param target the callback URL; null for none
 * @param appSecret the app secret that signs every POST ({@code X-Hub-Signature-256}); set with a target
 * @param wabaId {@code entry[].id} of notifications about a number the sandbox does not place in a WABA; a
 *     number's own WABA ({@link SandboxOptions#wabaOf}) wins
 * @param maxBatch most notifications (statuses and messages) in one POST; Meta's is 1,000
 * @param linger how long the first notification of a batch waits for others
 * @param maxInFlight most POSTs awaiting an answer at once (one connection each)
 * @param capacity most notifications held (waiting for their time, batched, posting or awaiting a
 *     retry); more are dropped and counted
 * @param requestTimeout a POST not answered within this is a failure, retried
 * @param retrySchedule the wait before each retry of a failed POST, in order; the last repeats
 * @param maxAge a POST still failing this long after its first attempt is dropped and counted; Meta's is 7 days
 * @param behaviour what the emulated users do with accepted sends
 */
public record WebhookOptions(URI target, String appSecret, String wabaId, int maxBatch, Duration linger,
                             int maxInFlight, int capacity, Duration requestTimeout, List<Duration> retrySchedule,
                             Duration maxAge, WebhookBehaviour behaviour) {

    public static final String DEFAULT_WABA_ID = SandboxOptions.DEFAULT_WABA_ID;
    public static final int META_MAX_BATCH = 1000;
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(5);
    /** Enough for 3,000 statuses/s at tens of ms per POST with batching. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 16;
    /** A few minutes of 1,000 sends/s with three statuses each. */
    public static final int DEFAULT_CAPACITY = 1_000_000;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Immediately, then less and less often. */
    public static final List<Duration> META_RETRY_SCHEDULE = List.of(Duration.ZERO, Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1), Duration.ofHours(4));
    public static final Duration META_MAX_AGE = Duration.ofDays(7);

    /** No target: nothing is posted. */
    public static final WebhookOptions OFF = new WebhookOptions(null, null, DEFAULT_WABA_ID, META_MAX_BATCH,
            DEFAULT_LINGER, DEFAULT_MAX_IN_FLIGHT, DEFAULT_CAPACITY, DEFAULT_REQUEST_TIMEOUT, META_RETRY_SCHEDULE,
            META_MAX_AGE, WebhookBehaviour.DEFAULT);

    public WebhookOptions {
        if (target != null) {
            checkTarget(target);
            if (appSecret == null || appSecret.isEmpty()) {
                throw new IllegalArgumentException("webhook.app_secret must be set with webhook.target");
            }
        }
        if (wabaId == null || !wabaId.matches("[0-9]{1,32}")) {
            throw new IllegalArgumentException("webhook.waba_id must be 1-32 digits, got " + wabaId);
        }
        if (maxBatch < 1 || maxBatch > META_MAX_BATCH) {
            throw new IllegalArgumentException("webhook.max_batch must be 1..1000, got " + maxBatch);
        }
        positive("linger", linger, true);
        if (maxInFlight < 1 || maxInFlight > 1024) {
            throw new IllegalArgumentException("webhook.max_in_flight must be 1..1024, got " + maxInFlight);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("webhook.capacity must be > 0, got " + capacity);
        }
        positive("request_timeout", requestTimeout, false);
        retrySchedule = List.copyOf(Objects.requireNonNull(retrySchedule, "webhook.retry_schedule must be set"));
        if (retrySchedule.isEmpty()) {
            throw new IllegalArgumentException("webhook.retry_schedule must have at least one wait");
        }
        retrySchedule.forEach(d -> positive("retry_schedule[]", d, true));
        positive("max_age", maxAge, false);
        Objects.requireNonNull(behaviour, "webhook.behaviour must be set");
    }

    /** Meta's delivery to {@code target}, signed with {@code appSecret}, default behaviour. */
    public static WebhookOptions to(URI target, String appSecret) {
        return OFF.withTarget(target, appSecret);
    }

    public WebhookOptions withTarget(URI newTarget, String newSecret) {
        return new WebhookOptions(newTarget, newSecret, wabaId, maxBatch, linger, maxInFlight, capacity, requestTimeout,
                retrySchedule, maxAge, behaviour);
    }

    public WebhookOptions withWabaId(String newWabaId) {
        return new WebhookOptions(target, appSecret, newWabaId, maxBatch, linger, maxInFlight, capacity, requestTimeout,
                retrySchedule, maxAge, behaviour);
    }

    /** At most {@code newMaxBatch} notifications per POST, waiting at most {@code newLinger} for company. */
    public WebhookOptions withBatching(int newMaxBatch, Duration newLinger) {
        return new WebhookOptions(target, appSecret, wabaId, newMaxBatch, newLinger, maxInFlight, capacity,
                requestTimeout, retrySchedule, maxAge, behaviour);
    }

    /** At most {@code newMaxInFlight} POSTs at once; at most {@code newCapacity} notifications held. */
    public WebhookOptions withBounds(int newMaxInFlight, int newCapacity) {
        return new WebhookOptions(target, appSecret, wabaId, maxBatch, linger, newMaxInFlight, newCapacity,
                requestTimeout, retrySchedule, maxAge, behaviour);
    }

    public WebhookOptions withRequestTimeout(Duration timeout) {
        return new WebhookOptions(target, appSecret, wabaId, maxBatch, linger, maxInFlight, capacity, timeout,
                retrySchedule, maxAge, behaviour);
    }

    /** Retry waits (the last repeats) and the age after which a failing POST is dropped; compress for tests. */
    public WebhookOptions withRetrySchedule(List<Duration> schedule, Duration newMaxAge) {
        return new WebhookOptions(target, appSecret, wabaId, maxBatch, linger, maxInFlight, capacity, requestTimeout,
                schedule, newMaxAge, behaviour);
    }

    public WebhookOptions withBehaviour(WebhookBehaviour newBehaviour) {
        return new WebhookOptions(target, appSecret, wabaId, maxBatch, linger, maxInFlight, capacity, requestTimeout,
                retrySchedule, maxAge, newBehaviour);
    }

    /** The wait before retry number {@code retry} (0 for the first retry). */
    Duration retryWait(int retry) {
        return retrySchedule.get(Math.min(retry, retrySchedule.size() - 1));
    }

    static void checkTarget(URI target) {
        String scheme = target.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || target.getHost() == null) {
            throw new IllegalArgumentException("webhook.target must be an absolute http or https URL, got " + target);
        }
    }

    private static void positive(String key, Duration d, boolean zeroAllowed) {
        Objects.requireNonNull(d, "webhook." + key + " must be set");
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException("webhook." + key + " must be " + (zeroAllowed ? ">= 0" : "> 0")
                    + ", got " + d);
        }
    }
}
