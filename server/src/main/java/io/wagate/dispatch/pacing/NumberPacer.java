package io.wagate.dispatch.pacing;

import java.time.Duration;

/**
 * The send rate of one business phone number: a {@link TokenBucket} whose rate adapts to Meta's
 * 130429 answers by additive increase, multiplicative decrease (AIMD).
 *
 * <p>The rate starts at, and never exceeds, the number's configured throughput minus the headroom
 * reserved for inbound messages (Meta counts inbound against the same limit, reference §3.1):
 * {@code maxRate = throughput * (1 - headroom%)}. It never goes below the floor.
 *
 * <p><b>Decrease.</b> {@link #onThrottled} multiplies the rate by {@code decrease_factor}, at most
 * once per {@code cool_down}: the 130429 answers to requests that were already in flight at the
 * old rate arrive together, and they describe one overshoot, not fifty.
 *
 * <p><b>Increase</b> is per second of success time, not per N successes. Counting successes
 * would make the increase proportional to the rate itself (at 500 msg/s, "+1 per 100 successes"
 * is +5 msg/s every second, at 5 msg/s it is +0.05): that is exponential growth, which overshoots
 * at high rates and crawls at low ones. Time makes the ramp linear and equally fast at any rate.
 * Success time is the time between consecutive {@link #onSuccess} calls, each gap credited up to
 * one second (or two send intervals at the current rate, if longer), so a number that was idle
 * for an hour does not jump to the cap on its next success: only time spent actually sending
 * without being throttled counts. Below {@code recovery_fraction} of the rate at which Meta last
 * throttled, the increase is {@code recovery_speedup} times faster: plain AIMD halving spends half
 * of every cycle far below the limit (its mean is about 75 % of it when Meta allows no burst); the
 * fast recovery returns quickly to just under the last known limit, then probes above it slowly.
 * Increases continue during the cool-down, which gates decreases only.
 *
 * <p>Time is a monotonic clock in nanoseconds, passed in. Thread-safe: every method is
 * {@code synchronized}; calls are short and never block.
 *
 * <pre>{@code
 * NumberPacer p = new NumberPacer(NumberPacer.Settings.forThroughput(80), System.nanoTime());
 * if (p.tryAcquire(now)) { send(); } else { retryIn(p.nanosUntilNext(now)); }
 * // on the answer: p.onSuccess(now) for any answer but 130429, p.onThrottled(now) for 130429
 * }</pre>
 */
public final class NumberPacer {
    private final Settings settings;
    private final double maxRate;
    private final long coolDownNanos;
    private final TokenBucket bucket;
    private double rate;
    /** The rate when Meta last throttled us; 0 before the first 130429. */
    private double lastThrottledRate;
    private long coolDownUntil;
    private long lastCutAt;
    private long lastSuccessAt;
    private boolean creditRunning;
    private long decreases;

    public NumberPacer(Settings settings, long nowNanos) {
        this.settings = settings;
        this.maxRate = settings.maxRate();
        this.coolDownNanos = settings.coolDown().toNanos();
        this.rate = maxRate;
        this.bucket = new TokenBucket(rate, settings.burstTokens(), nowNanos);
        this.coolDownUntil = nowNanos;
    }

    /** Takes a send slot if one is free now. */
    public synchronized boolean tryAcquire(long nowNanos) {
        return bucket.tryTake(nowNanos);
    }

    /** Nanoseconds until {@link #tryAcquire} would succeed at the current rate; 0 if now. */
    public synchronized long nanosUntilNext(long nowNanos) {
        return bucket.nanosUntilAvailable(nowNanos);
    }

    /**
     * Meta answered 130429: slow down, unless the rate was already cut within the cool-down.
     * Prefer {@link #onThrottled(long, long)} when the send time is known.
     *
     * @return whether the rate was cut by this call
     */
    public synchronized boolean onThrottled(long nowNanos) {
        return onThrottled(nowNanos, nowNanos);
    }

    /**
     * Meta answered 130429 to a request sent at {@code sentAtNanos}: slow down, unless the rate was
     * already cut within the cool-down or after that request was sent. The second test makes the
     * cut exactly once per overshoot however slowly Meta answers; the cool-down alone relies on
     * answers arriving within it.
     *
     * @return whether the rate was cut by this call
     */
    public synchronized boolean onThrottled(long sentAtNanos, long nowNanos) {
        creditRunning = false;
        if (!Nanos.reached(nowNanos, coolDownUntil) || (decreases > 0 && sentAtNanos - lastCutAt < 0)) {
            return false;
        }
        lastThrottledRate = rate;
        setRate(Math.max(settings.floorMps(), rate * settings.decreaseFactor()), nowNanos);
        coolDownUntil = nowNanos + coolDownNanos;
        lastCutAt = nowNanos;
        decreases++;
        return true;
    }

    /** Meta answered anything but 130429 (the number's throughput was not the problem): speed up. */
    public synchronized void onSuccess(long nowNanos) {
        if (!creditRunning) {
            creditRunning = true;
            lastSuccessAt = nowNanos;
            return;
        }
        long gap = nowNanos - lastSuccessAt;
        if (gap <= 0) {
            return;
        }
        lastSuccessAt = nowNanos;
        long maxCredit = Math.max(Nanos.PER_SECOND, (long) (2 * Nanos.PER_SECOND / rate));
        double seconds = (double) Math.min(gap, maxCredit) / Nanos.PER_SECOND;
        double increase = settings.increasePerSecond() * seconds;
        double next = rate;
        double target = Math.min(maxRate, lastThrottledRate * settings.recoveryFraction());
        if (next < target) {
            double fast = increase * settings.recoverySpeedup();
            if (next + fast <= target) {
                next += fast;
                increase = 0;
            } else {
                increase *= 1 - (target - next) / fast;
                next = target;
            }
        }
        setRate(Math.min(maxRate, next + increase), nowNanos);
    }

    /** The paced rate now, messages per second. */
    public synchronized double currentRate() {
        return rate;
    }

    /** Throughput minus inbound headroom: the rate never exceeds it. */
    public double maxRate() {
        return maxRate;
    }

    /** How many times 130429 has cut the rate (for status and metrics). */
    public synchronized long decreases() {
        return decreases;
    }

    public Settings settings() {
        return settings;
    }

    private void setRate(double r, long nowNanos) {
        if (r != rate) {
            rate = r;
            bucket.setRate(r, nowNanos);
        }
    }

    /**
     * Pacing of one number. Keys in messages are relative to the number's pacing section.
     *
     * @param throughputMps          Meta's throughput for the number, 1..1000 msg/s (80 default, 1,000
     *                               after upgrade, 20 for coexistence numbers)
     * @param inboundHeadroomPercent share of the throughput left for inbound messages, 0..90
     * @param floorMps               the rate never drops below this, {@code > 0} and at most the max rate
     * @param decreaseFactor         the rate is multiplied by this on 130429, in (0, 1)
     * @param coolDown               after a cut, further 130429 answers are ignored this long
     * @param increasePerSecond      msg/s added per second of success time, {@code > 0}
     * @param recoveryFraction       fast recovery up to this share of the last throttled rate, 0..1
     *                               (0 turns fast recovery off)
     * @param recoverySpeedup        how much faster the increase is during fast recovery, {@code >= 1}
     * @param burst                  the bucket holds this much time of sending at the max rate, at
     *                               least one message: it absorbs a late send loop
     */
    public record Settings(double throughputMps, double inboundHeadroomPercent, double floorMps,
                           double decreaseFactor, Duration coolDown, double increasePerSecond,
                           double recoveryFraction, double recoverySpeedup, Duration burst) {
        public static final double DEFAULT_HEADROOM_PERCENT = 10;
        public static final double DEFAULT_FLOOR_MPS = 1;
        public static final double DEFAULT_DECREASE_FACTOR = 0.5;
        /** Longer than Meta takes to answer the requests in flight when the first 130429 came. */
        public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(2);
        /**
         * Per second, in % of the throughput: +0.8 msg/s per s at 80, +10 at 1,000, +0.2 at 20. In
         * proportion, so a number of any class probes its limit over the same time span.
         */
        public static final double DEFAULT_INCREASE_PERCENT = 1;
        public static final double DEFAULT_RECOVERY_FRACTION = 0.9;
        public static final double DEFAULT_RECOVERY_SPEEDUP = 10;
        public static final Duration DEFAULT_BURST = Duration.ofMillis(10);

        public Settings {
            check(throughputMps >= 1 && throughputMps <= 1000, "throughput_mps", "must be 1..1000", throughputMps);
            check(inboundHeadroomPercent >= 0 && inboundHeadroomPercent <= 90, "inbound_headroom_percent",
                    "must be 0..90", inboundHeadroomPercent);
            double max = throughputMps * (1 - inboundHeadroomPercent / 100);
            check(floorMps > 0 && floorMps <= max, "floor_mps", "must be > 0 and <= " + max, floorMps);
            check(decreaseFactor > 0 && decreaseFactor < 1, "decrease_factor", "must be in (0, 1)", decreaseFactor);
            Nanos.positive(coolDown, "pacing.cool_down");
            check(increasePerSecond > 0 && increasePerSecond <= 1000, "increase_mps_per_second", "must be in (0, 1000]",
                    increasePerSecond);
            check(recoveryFraction >= 0 && recoveryFraction <= 1, "recovery_fraction", "must be 0..1",
                    recoveryFraction);
            check(recoverySpeedup >= 1 && recoverySpeedup <= 1000, "recovery_speedup", "must be 1..1000",
                    recoverySpeedup);
            Nanos.positive(burst, "pacing.burst");
        }

        /** The defaults for a number with this throughput. */
        public static Settings forThroughput(double throughputMps) {
            double max = throughputMps * (1 - DEFAULT_HEADROOM_PERCENT / 100);
            return new Settings(throughputMps, DEFAULT_HEADROOM_PERCENT, Math.min(DEFAULT_FLOOR_MPS, max),
                    DEFAULT_DECREASE_FACTOR, DEFAULT_COOL_DOWN,
                    throughputMps * DEFAULT_INCREASE_PERCENT / 100, DEFAULT_RECOVERY_FRACTION,
                    DEFAULT_RECOVERY_SPEEDUP, DEFAULT_BURST);
        }

        public Settings withInboundHeadroomPercent(double percent) {
            return new Settings(throughputMps, percent, floorMps, decreaseFactor, coolDown, increasePerSecond,
                    recoveryFraction, recoverySpeedup, burst);
        }

        public Settings withFloorMps(double floor) {
            return new Settings(throughputMps, inboundHeadroomPercent, floor, decreaseFactor, coolDown,
                    increasePerSecond, recoveryFraction, recoverySpeedup, burst);
        }

        public Settings withIncrease(double perSecond, double fraction, double speedup) {
            return new Settings(throughputMps, inboundHeadroomPercent, floorMps, decreaseFactor, coolDown, perSecond,
                    fraction, speedup, burst);
        }

        /** The same settings with another burst: how long sending at the full rate may be banked. */
        public Settings withBurst(Duration burstTime) {
            return new Settings(throughputMps, inboundHeadroomPercent, floorMps, decreaseFactor, coolDown,
                    increasePerSecond, recoveryFraction, recoverySpeedup, burstTime);
        }

        public Settings withDecrease(double factor, Duration coolDownTime) {
            return new Settings(throughputMps, inboundHeadroomPercent, floorMps, factor, coolDownTime,
                    increasePerSecond, recoveryFraction, recoverySpeedup, burst);
        }

        /** Throughput minus inbound headroom. */
        public double maxRate() {
            return throughputMps * (1 - inboundHeadroomPercent / 100);
        }

        /** Bucket capacity: {@code burst} of sending at the max rate, at least one message. */
        public double burstTokens() {
            return Math.max(1, maxRate() * burst.toNanos() / Nanos.PER_SECOND);
        }

        private static void check(boolean ok, String key, String requirement, Object got) {
            if (!ok) {
                throw new IllegalArgumentException("pacing." + key + " " + requirement + ", got " + got);
            }
        }
    }
}
