package io.wagate.sandbox;

/**
 * A token bucket refilled continuously: {@code capacity} tokens at most, {@code perSecond} tokens
 * added per second, starting full. Taking from an empty bucket fails and takes nothing, so a
 * rejected request does not push the next acceptance further away.
 *
 * <p>Thread-safe (one monitor); time is passed in as {@link System#nanoTime()} values.
 */
final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    TokenBucket(double capacity, double perSecond, long nowNanos) {
        this.capacity = capacity;
        this.perNano = perSecond / 1e9;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes one token if there is one. */
    synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** True when the bucket is back to capacity, that is, indistinguishable from a new one. */
    synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            last = nowNanos;
        }
    }
}
