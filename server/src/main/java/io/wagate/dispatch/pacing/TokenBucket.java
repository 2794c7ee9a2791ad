package io.wagate.dispatch.pacing;

/**
 * A token bucket with continuous refill: up to {@code capacity} tokens, refilled at {@code rate}
 * tokens per second; a send takes one whole token. A new bucket starts full.
 *
 * <p>Time is a monotonic clock in nanoseconds passed in by the caller ({@code nowNanos}); the
 * bucket never reads a clock. Readings should not go backwards; if one does (two threads that read
 * the clock and then race for the lock), it is treated as no time having passed, never as a refund.
 *
 * <p>Implementation: the bucket is kept as the instant it will be full again ({@code fullAt}, the
 * "theoretical arrival time" of the generic cell rate algorithm) and an integral number of
 * nanoseconds per token. That is exact in integers, so a bucket refilling one token per 6 s has a
 * token again at exactly +6 s, not at +6 s and one rounding error. The tokens held at {@code now}
 * are {@code capacity - max(0, fullAt - now) / nanosPerToken}; a fractional capacity (1.5 tokens)
 * is allowed.
 *
 * <p>Thread-safe: every method is {@code synchronized}.
 *
 * <pre>{@code
 * TokenBucket b = new TokenBucket(80, 2, System.nanoTime());
 * if (!b.tryTake(System.nanoTime())) {
 *     long wait = b.nanosUntilAvailable(System.nanoTime());   // schedule a retry after wait
 * }
 * }</pre>
 */
public final class TokenBucket {
    /** Keeps {@code capacity * nanosPerToken} far from overflow: about 73 years of refill. */
    private static final long MAX_BURST_NANOS = Long.MAX_VALUE / 4;

    private final double capacity;
    private double rate;
    private long nanosPerToken;
    /** {@code capacity * nanosPerToken}: how far {@link #fullAt} may run ahead of now. */
    private long burstNanos;
    private long fullAt;

    /**
     * A full bucket.
     *
     * @param ratePerSecond tokens added per second, {@code > 0} and at most 10^9
     * @param capacity      most tokens held, {@code >= 1} (a bucket that cannot hold one token
     *                      would never allow a send)
     * @param nowNanos      monotonic clock reading
     */
    public TokenBucket(double ratePerSecond, double capacity, long nowNanos) {
        this(capacity, ratePerSecond, nanosPerToken(ratePerSecond), nowNanos);
    }

    /**
     * A full bucket that gains one token every {@code nanosPerToken}, exactly (Meta's pair limit:
     * one per 6 s).
     */
    public static TokenBucket ofInterval(long nanosPerToken, double capacity, long nowNanos) {
        if (nanosPerToken <= 0) {
            throw new IllegalArgumentException("nanos per token must be > 0, got " + nanosPerToken);
        }
        return new TokenBucket(capacity, (double) Nanos.PER_SECOND / nanosPerToken, nanosPerToken, nowNanos);
    }

    private TokenBucket(double capacity, double rate, long nanosPerToken, long nowNanos) {
        if (!(capacity >= 1) || Double.isInfinite(capacity)) {
            throw new IllegalArgumentException("capacity must be >= 1 token, got " + capacity);
        }
        this.capacity = capacity;
        this.fullAt = nowNanos;
        apply(rate, nanosPerToken);
    }

    /** Takes one token if there is a whole one. */
    public synchronized boolean tryTake(long nowNanos) {
        long debt = Math.max(0, fullAt - nowNanos);
        long next = debt + nanosPerToken;
        if (next > burstNanos) {
            return false;
        }
        fullAt = nowNanos + next;
        return true;
    }

    /** Nanoseconds until {@link #tryTake} would succeed; 0 when a token is there now. */
    public synchronized long nanosUntilAvailable(long nowNanos) {
        long debt = Math.max(0, fullAt - nowNanos);
        return Math.max(0, debt + nanosPerToken - burstNanos);
    }

    /**
     * Changes the refill rate from {@code nowNanos} on. The tokens accrued until now are kept
     * (refilled at the old rate up to now); only the future refill is faster or slower.
     */
    public synchronized void setRate(double ratePerSecond, long nowNanos) {
        long perToken = nanosPerToken(ratePerSecond);
        if (perToken == nanosPerToken) {
            rate = ratePerSecond;
            return;
        }
        double missing = capacity - tokens(nowNanos);
        apply(ratePerSecond, perToken);
        fullAt = nowNanos + Math.min(burstNanos, Math.round(missing * perToken));
    }

    /** Empties the bucket at {@code nowNanos}: the next token comes one interval later. */
    public synchronized void drain(long nowNanos) {
        fullAt = nowNanos + burstNanos;
    }

    /** Tokens held at {@code nowNanos}, fractional, {@code 0..capacity}. */
    public synchronized double tokens(long nowNanos) {
        long debt = Math.max(0, fullAt - nowNanos);
        return capacity - (double) debt / nanosPerToken;
    }

    /** Whether the bucket is full: indistinguishable from a new one. */
    public synchronized boolean isFull(long nowNanos) {
        return Nanos.reached(nowNanos, fullAt);
    }

    /** Tokens per second, as last set. */
    public synchronized double rate() {
        return rate;
    }

    public double capacity() {
        return capacity;
    }

    private void apply(double ratePerSecond, long perToken) {
        double burst = capacity * perToken;
        if (burst > MAX_BURST_NANOS) {
            throw new IllegalArgumentException("capacity / rate is too long a refill: " + capacity + " tokens at "
                    + ratePerSecond + "/s");
        }
        this.rate = ratePerSecond;
        this.nanosPerToken = perToken;
        this.burstNanos = Math.round(burst);
    }

    private static long nanosPerToken(double ratePerSecond) {
        if (!(ratePerSecond > 0) || ratePerSecond > Nanos.PER_SECOND) {
            throw new IllegalArgumentException("rate must be > 0 and <= 1e9 tokens/s, got " + ratePerSecond);
        }
        return Math.max(1, Math.round(Nanos.PER_SECOND / ratePerSecond));
    }
}
