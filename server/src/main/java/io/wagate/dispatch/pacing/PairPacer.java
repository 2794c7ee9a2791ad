package io.wagate.dispatch.pacing;

import java.time.Duration;

/**
 * Meta's pair rate limit for one (business number, recipient) conversation (reference §3.2): a
 * token bucket of {@code burst} messages (45) refilled one per {@code refill_interval} (6 s), plus
 * the back-off Meta asks for after 131056: the recipient waits {@code 4^X} seconds, X being the
 * number of consecutive 131056 answers before this one (1 s, 4 s, 16 s, ... capped at
 * {@code 4^max_exponent} s), X reset by a success. Other recipients are not affected.
 *
 * <p>A 131056 also empties the bucket: Meta's own bucket for the pair is empty at that moment (the
 * recipient got messages we did not count, from the Business app or another sender), so ours is
 * brought into line and the next send waits for a token as well as for the back-off.
 *
 * <p>{@link #isIdle} is true once the bucket is full again and no back-off is pending: the pacer
 * is then indistinguishable from a new one and can be dropped ({@link PairPacers#evictIdle}).
 *
 * <p>Time is a monotonic clock in nanoseconds, passed in. Thread-safe: every method is
 * {@code synchronized}.
 */
public final class PairPacer {
    private final Settings settings;
    private final TokenBucket bucket;
    private int consecutiveThrottles;
    private boolean blocked;
    private long blockedUntil;

    public PairPacer(Settings settings, long nowNanos) {
        this.settings = settings;
        this.bucket = TokenBucket.ofInterval(settings.refillInterval().toNanos(), settings.burst(), nowNanos);
    }

    /** Takes a send slot for this recipient if the back-off is over and a token is there. */
    public synchronized boolean tryAcquire(long nowNanos) {
        return nanosUntilAllowed(nowNanos) == 0 && bucket.tryTake(nowNanos);
    }

    /** Nanoseconds until {@link #tryAcquire} would succeed; 0 if now. */
    public synchronized long nanosUntilAllowed(long nowNanos) {
        long backOff = blocked ? Nanos.until(nowNanos, blockedUntil) : 0;
        if (blocked && backOff == 0) {
            blocked = false;
        }
        return Math.max(backOff, bucket.nanosUntilAvailable(nowNanos));
    }

    /**
     * Meta answered 131056 for this recipient.
     *
     * @return the back-off just imposed, in nanoseconds (not counting the wait for a token)
     */
    public synchronized long onPairThrottled(long nowNanos) {
        long wait = settings.backOffNanos(consecutiveThrottles);
        if (consecutiveThrottles < Integer.MAX_VALUE) {
            consecutiveThrottles++;
        }
        long until = nowNanos + wait;
        if (!blocked || until - blockedUntil > 0) {
            blockedUntil = until;
        }
        blocked = true;
        bucket.drain(nowNanos);
        return wait;
    }

    /** Meta accepted a message for this recipient: the 131056 count starts again from 0. */
    public synchronized void onSuccess(long nowNanos) {
        consecutiveThrottles = 0;
    }

    /** Consecutive 131056 answers so far (X of the next back-off). */
    public synchronized int consecutiveThrottles() {
        return consecutiveThrottles;
    }

    /** Whether this pacer holds no state a new one would not: full bucket, no back-off pending. */
    public synchronized boolean isIdle(long nowNanos) {
        return nanosUntilAllowed(nowNanos) == 0 && bucket.isFull(nowNanos);
    }

    /**
     * The pair limit.
     *
     * @param burst          most messages in a burst, {@code >= 1} (Meta: 45)
     * @param refillInterval one message of allowance comes back per interval (Meta: 6 s)
     * @param backOffUnit    the back-off after the X-th consecutive 131056 is {@code unit * 4^X}
     *                       (Meta: 1 s)
     * @param maxExponent    X is capped here, 0..20 (default 5: at most 4^5 s, about 17 minutes)
     */
    public record Settings(double burst, Duration refillInterval, Duration backOffUnit, int maxExponent) {
        public static final double DEFAULT_BURST = 45;
        public static final Duration DEFAULT_REFILL_INTERVAL = Duration.ofSeconds(6);
        public static final Duration DEFAULT_BACK_OFF_UNIT = Duration.ofSeconds(1);
        public static final int DEFAULT_MAX_EXPONENT = 5;

        public Settings {
            if (!(burst >= 1 && burst <= 1000)) {
                throw new IllegalArgumentException("pacing.pair.burst must be 1..1000, got " + burst);
            }
            Nanos.positive(refillInterval, "pacing.pair.refill_interval");
            Nanos.positive(backOffUnit, "pacing.pair.back_off_unit");
            if (maxExponent < 0 || maxExponent > 20) {
                throw new IllegalArgumentException("pacing.pair.max_exponent must be 0..20, got " + maxExponent);
            }
            if (backOffUnit.toNanos() > (Long.MAX_VALUE / 4) >> (2 * maxExponent)) {
                throw new IllegalArgumentException("pacing.pair.back_off_unit * 4^max_exponent is too long, got "
                        + backOffUnit + " * 4^" + maxExponent);
            }
        }

        /** Meta's documented limit. */
        public static Settings meta() {
            return new Settings(DEFAULT_BURST, DEFAULT_REFILL_INTERVAL, DEFAULT_BACK_OFF_UNIT, DEFAULT_MAX_EXPONENT);
        }

        /** {@code unit * 4^min(x, maxExponent)} in nanoseconds. */
        long backOffNanos(int x) {
            return backOffUnit.toNanos() << (2 * Math.min(x, maxExponent));
        }

        /** Time an empty bucket takes to fill: how long a pacer outlives its last send at most. */
        public Duration fullRefill() {
            return refillInterval.multipliedBy((long) Math.ceil(burst));
        }
    }
}
