package io.wagate.sandbox;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long the sandbox waits before an answer, emulating Meta's round trip: fixed, uniform
 * between two bounds, or normal (clipped at zero). A fresh sample is drawn for every answer.
 *
 * <pre>{@code
 * Latency.fixed(Duration.ofMillis(300));
 * Latency.uniform(Duration.ofMillis(100), Duration.ofMillis(500));
 * Latency.normal(Duration.ofMillis(300), Duration.ofMillis(50));
 * }</pre>
 *
 * <p>Immutable; {@link #sampleNanos} is safe from any thread with its own generator.
 */
public sealed interface Latency permits Latency.Fixed, Latency.Uniform, Latency.Normal {

    /** No delay at all. */
    Latency NONE = new Fixed(Duration.ZERO);

    /** One draw, in nanoseconds, never negative. */
    long sampleNanos(RandomGenerator random);

    static Latency fixed(Duration delay) {
        return new Fixed(delay);
    }

    static Latency uniform(Duration min, Duration max) {
        return new Uniform(min, max);
    }

    static Latency normal(Duration mean, Duration stddev) {
        return new Normal(mean, stddev);
    }

    /** Always {@code delay}. */
    record Fixed(Duration delay) implements Latency {
        public Fixed {
            nonNegative(delay, "latency");
        }

        @Override
        public long sampleNanos(RandomGenerator random) {
            return delay.toNanos();
        }
    }

    /** Uniformly distributed in {@code [min, max]}. */
    record Uniform(Duration min, Duration max) implements Latency {
        public Uniform {
            nonNegative(min, "latency.min");
            nonNegative(max, "latency.max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("latency.max must be >= latency.min, got " + min + ".." + max);
            }
        }

        @Override
        public long sampleNanos(RandomGenerator random) {
            long lo = min.toNanos();
            long hi = max.toNanos();
            return lo == hi ? lo : random.nextLong(lo, hi + 1);
        }
    }

    /** Normally distributed around {@code mean}; draws below zero answer at once. */
    record Normal(Duration mean, Duration stddev) implements Latency {
        public Normal {
            nonNegative(mean, "latency.mean");
            nonNegative(stddev, "latency.stddev");
        }

        @Override
        public long sampleNanos(RandomGenerator random) {
            double v = mean.toNanos() + random.nextGaussian() * stddev.toNanos();
            return v <= 0 ? 0 : (long) Math.min(v, Long.MAX_VALUE / 2.0);
        }
    }

    private static void nonNegative(Duration d, String key) {
        Objects.requireNonNull(d, key + " must be set");
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + " must be >= 0, got " + d);
        }
    }
}
