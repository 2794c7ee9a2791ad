package io.wagate.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Meta's pair rate limit (reference §3.2) for one (business number, recipient) pair: a token bucket
 * of {@code burst} tokens, one token back every {@code refillInterval}. Meta's values are 45 and
 * 6 s: 45 messages may go at once, after which the pair gets one message per 6 s until the bucket
 * has refilled. (Meta's prose says a burst "borrows" future allowance; a token bucket is the exact
 * form of that rule the reference asks for.) Exceeding it is answered with 131056.
 *
 * <p>Immutable.
 *
 * @param enabled false: no pair limit at all
 * @param burst bucket capacity, at least 1
 * @param refillInterval time to earn one token back, more than zero
 */
public record PairLimit(boolean enabled, int burst, Duration refillInterval) {

    /** Meta's burst: 45 messages to one user at once. */
    public static final int META_BURST = 45;
    /** Meta's steady rate: one message to one user every 6 seconds. */
    public static final Duration META_REFILL_INTERVAL = Duration.ofSeconds(6);
    /** No pair limit; the default of {@link SandboxOptions#defaults()} so tests may send freely. */
    public static final PairLimit OFF = new PairLimit(false, META_BURST, META_REFILL_INTERVAL);
    /** Meta's pair limit: burst 45, one more every 6 s. */
    public static final PairLimit META = new PairLimit(true, META_BURST, META_REFILL_INTERVAL);

    public PairLimit {
        if (burst < 1) {
            throw new IllegalArgumentException("sandbox.pair_limit.burst must be >= 1, got " + burst);
        }
        Objects.requireNonNull(refillInterval, "sandbox.pair_limit.refill_interval must be set");
        if (refillInterval.isNegative() || refillInterval.isZero()) {
            throw new IllegalArgumentException("sandbox.pair_limit.refill_interval must be > 0, got " + refillInterval);
        }
    }

    /** An enabled pair limit with a chosen burst and refill interval (tests use short intervals). */
    public static PairLimit of(int burst, Duration refillInterval) {
        return new PairLimit(true, burst, refillInterval);
    }

    double perSecond() {
        return 1e9 / refillInterval.toNanos();
    }
}
