package io.wagate.dispatch.pacing;

import java.time.Duration;

/** Arithmetic on monotonic-clock readings: compare by subtraction only, never with {@code <}. */
final class Nanos {
    static final long PER_SECOND = 1_000_000_000L;

    private Nanos() {
    }

    /** Whether {@code now} is at or after {@code deadline}. */
    static boolean reached(long now, long deadline) {
        return now - deadline >= 0;
    }

    /** Nanoseconds from {@code now} to {@code deadline}, 0 once it is reached. */
    static long until(long now, long deadline) {
        return Math.max(0, deadline - now);
    }

    /** A positive duration in nanoseconds, for settings; the message names the key. */
    static long positive(Duration d, String key) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be > 0, got " + d);
        }
        return d.toNanos();
    }
}
