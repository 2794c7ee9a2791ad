package io.wagate.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Meta limits a {@link SandboxEmulator} enforces on sends (reference §3.1, §3.2). Off by default
 * ({@link #OFF}) so that tests of other features may send as fast as they like; {@link #meta()} is
 * what Meta does to a new number.
 *
 * <p>Throughput: every number has a token bucket holding one second of its throughput (capacity =
 * {@code throughput} tokens, refilled continuously at {@code throughput} per second, starting full),
 * so a number may send a one-second burst and then its rate. A send finding the bucket empty is
 * answered 130429 and not recorded. Mark-reads are not counted (they are not messages).
 *
 * <p>Immutable; validated on construction.
 *
 * @param throughput msg/s of every number without an entry in {@code numberThroughput}, 1..1000,
 *     or 0 for no throughput limit
 * @param numberThroughput per phone-number id, msg/s 0..1000 (0: that number is not limited)
 * @param pairLimit the per-(number, recipient) limit
 * @param throttleHttpStatus HTTP status of 130429 and 131056 answers: 400 (Meta's table) or 429
 *     (what integrators report seeing)
 */
public record LimitOptions(int throughput, Map<String, Integer> numberThroughput, PairLimit pairLimit,
                           int throttleHttpStatus) {

    /** Meta's default throughput of a business number. */
    public static final int META_DEFAULT_THROUGHPUT = 80;
    /** Throughput of a number shared with the WhatsApp Business app (coexistence). */
    public static final int COEXISTENCE_THROUGHPUT = 20;
    /** Throughput after Meta's automatic upgrade; also the highest allowed. */
    public static final int UPGRADED_THROUGHPUT = 1000;
    /** HTTP status of throttle answers in Meta's old table. */
    public static final int META_THROTTLE_HTTP_STATUS = 400;
    /** Nothing enforced. */
    public static final LimitOptions OFF = new LimitOptions(0, Map.of(), PairLimit.OFF, META_THROTTLE_HTTP_STATUS);

    public LimitOptions {
        checkThroughput(throughput, "sandbox.throughput");
        numberThroughput = Map.copyOf(Objects.requireNonNull(numberThroughput, "sandbox.number_throughput must be set"));
        numberThroughput.forEach((number, mps) -> checkThroughput(mps, "sandbox.number_throughput." + number));
        Objects.requireNonNull(pairLimit, "sandbox.pair_limit must be set");
        checkThrottleStatus(throttleHttpStatus);
    }

    /** Meta's limits for a new number: 80 msg/s, pair limit 45 burst and 1 per 6 s, HTTP 400. */
    public static LimitOptions meta() {
        return new LimitOptions(META_DEFAULT_THROUGHPUT, Map.of(), PairLimit.META, META_THROTTLE_HTTP_STATUS);
    }

    public LimitOptions withThroughput(int mps) {
        return new LimitOptions(mps, numberThroughput, pairLimit, throttleHttpStatus);
    }

    public LimitOptions withThroughput(String phoneNumberId, int mps) {
        Map<String, Integer> m = new HashMap<>(numberThroughput);
        m.put(Objects.requireNonNull(phoneNumberId, "phoneNumberId"), mps);
        return new LimitOptions(throughput, m, pairLimit, throttleHttpStatus);
    }

    public LimitOptions withPairLimit(PairLimit newLimit) {
        return new LimitOptions(throughput, numberThroughput, newLimit, throttleHttpStatus);
    }

    public LimitOptions withThrottleHttpStatus(int status) {
        return new LimitOptions(throughput, numberThroughput, pairLimit, status);
    }

    static void checkThroughput(int mps, String key) {
        if (mps < 0 || mps > UPGRADED_THROUGHPUT) {
            throw new IllegalArgumentException(key + " must be 1.." + UPGRADED_THROUGHPUT + " msg/s or 0 for no limit, got " + mps);
        }
    }

    static void checkThrottleStatus(int status) {
        if (status != 400 && status != 429) {
            throw new IllegalArgumentException("sandbox.throttle_http_status must be 400 or 429, got " + status);
        }
    }
}
