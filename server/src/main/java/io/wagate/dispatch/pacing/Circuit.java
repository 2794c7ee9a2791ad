package io.wagate.dispatch.pacing;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Whether one business number may send now: the outage circuit for its uplink to Meta, and
 * pauses (auth, policy, quota) that are decided elsewhere.
 *
 * <p><b>Circuit.</b> CLOSED sends. {@code failure_threshold} consecutive transport failures in
 * which the request was not sent (connection refused, DNS, TLS, no route, connect timeout) open
 * it; the default is 1, because such a failure says the path is down, not that one request was
 * unlucky, and waiting for more only throws more requests at it; a spurious opening costs at
 * most one short probe delay. Failures after the request was written do not count (Meta may have
 * accepted it: that is an ambiguous send, not an outage). OPEN sends nothing until
 * {@link #nextProbeAt()}, then {@link #tryAcquireProbe} lets exactly one request through
 * (HALF_OPEN). Any answer from Meta ({@link #onSuccess}) closes the circuit and resets the
 * back-off; a failure in HALF_OPEN reopens it with twice the delay. The probe delay starts at
 * {@code initial_probe_delay} and doubles per opening up to {@code max_probe_delay}, less a random
 * share of up to {@code jitter} of it (0.5: "equal jitter", as in the retry policy), so numbers on
 * the same uplink do not probe in lockstep. Failures reported while OPEN come from requests sent
 * before it opened and are ignored.
 *
 * <p><b>Pause.</b> {@link #pause} stops all sending, probes included, until a time or until
 * {@link #resume}, with a reason kept for status. It is separate from the circuit: a paused number
 * keeps its circuit state, and a pause ends on its own schedule. Of two pauses the one that ends
 * later wins. An elapsed pause is cleared by the next call that is given the time.
 *
 * <p>Time is a monotonic clock in nanoseconds, passed in; randomness comes from the injected
 * {@code DoubleSupplier} (values in [0, 1)). Thread-safe: every method is {@code synchronized}.
 */
public final class Circuit {
    /** The outage circuit's states. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final Settings settings;
    private final DoubleSupplier random;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private int openings;
    private long nextProbeAt;
    private boolean paused;
    private boolean pausedIndefinitely;
    private long pausedUntil;
    private String reason;

    /** @param random values in [0, 1) for jitter, e.g. {@code () -> ThreadLocalRandom.current().nextDouble()} */
    public Circuit(Settings settings, DoubleSupplier random) {
        this.settings = settings;
        this.random = random;
    }

    /** Whether an ordinary send may go now: CLOSED and not paused. */
    public synchronized boolean tryAcquire(long nowNanos) {
        return !isPaused(nowNanos) && state == State.CLOSED;
    }

    /** In OPEN at or after the probe time and not paused: moves to HALF_OPEN and lets this one request through. */
    public synchronized boolean tryAcquireProbe(long nowNanos) {
        if (isPaused(nowNanos) || state != State.OPEN || !Nanos.reached(nowNanos, nextProbeAt)) {
            return false;
        }
        state = State.HALF_OPEN;
        return true;
    }

    /**
     * Nanoseconds until a send or a probe may go; 0 if now; {@code Long.MAX_VALUE} if that waits on
     * an event (a probe's answer, {@link #resume}) rather than on time. Not to be added to a clock
     * reading unchecked.
     */
    public synchronized long nanosUntilAllowed(long nowNanos) {
        long wait = 0;
        if (isPaused(nowNanos)) {
            wait = pausedIndefinitely ? Long.MAX_VALUE : Nanos.until(nowNanos, pausedUntil);
        }
        if (state == State.HALF_OPEN) {
            return Long.MAX_VALUE;
        }
        return state == State.OPEN ? Math.max(wait, Nanos.until(nowNanos, nextProbeAt)) : wait;
    }

    /** Meta answered (any HTTP answer, an error included): the uplink works. */
    public synchronized void onSuccess(long nowNanos) {
        state = State.CLOSED;
        consecutiveFailures = 0;
        openings = 0;
    }

    /**
     * A request got no answer.
     *
     * @param notSent true if the request never left (connection, DNS, TLS, no route, connect
     *                timeout); false if it may have reached Meta (reset or timeout after writing)
     */
    public synchronized void onTransportFailure(boolean notSent, long nowNanos) {
        switch (state) {
            case CLOSED:
                if (notSent && ++consecutiveFailures >= settings.failureThreshold()) {
                    open(nowNanos);
                }
                break;
            case HALF_OPEN:
                open(nowNanos); // the probe got no answer either way: Meta is not back
                break;
            default:
                break; // OPEN: a request sent before the circuit opened
        }
    }

    /** Stops all sending until {@code untilNanos} (unless a pause that ends later is in force). */
    public synchronized void pause(long untilNanos, String why) {
        requireReason(why);
        if (!paused || (!pausedIndefinitely && untilNanos - pausedUntil >= 0)) {
            paused = true;
            pausedUntil = untilNanos;
            reason = why;
        }
    }

    /** Stops all sending until {@link #resume} (a revoked token, a policy block). */
    public synchronized void pauseUntilResumed(String why) {
        requireReason(why);
        paused = true;
        pausedIndefinitely = true;
        reason = why;
    }

    /** Ends any pause now; the circuit state is unchanged. */
    public synchronized void resume() {
        paused = false;
        pausedIndefinitely = false;
        reason = null;
    }

    /** Whether a pause is in force at {@code nowNanos}; clears an elapsed one. */
    public synchronized boolean isPaused(long nowNanos) {
        if (paused && !pausedIndefinitely && Nanos.reached(nowNanos, pausedUntil)) {
            resume();
        }
        return paused;
    }

    /** Why the number is paused, or null if no pause is in force (as of the last call given the time). */
    public synchronized String reason() {
        return reason;
    }

    public synchronized State state() {
        return state;
    }

    /** When OPEN: the earliest instant for a probe (monotonic nanos). Meaningless in other states. */
    public synchronized long nextProbeAt() {
        return nextProbeAt;
    }

    /** Openings since the circuit was last closed by an answer: 1 after the first, so on. */
    public synchronized int openings() {
        return openings;
    }

    private void open(long nowNanos) {
        if (openings < Integer.MAX_VALUE) {
            openings++;
        }
        consecutiveFailures = 0;
        state = State.OPEN;
        nextProbeAt = nowNanos + settings.probeDelayNanos(openings, random.getAsDouble());
    }

    private static void requireReason(String why) {
        if (why == null || why.isBlank()) {
            throw new IllegalArgumentException("a pause needs a reason");
        }
    }

    /**
     * The outage circuit.
     *
     * @param failureThreshold  consecutive not-sent failures that open the circuit, 1..100
     * @param initialProbeDelay delay before the first probe, doubled per opening
     * @param maxProbeDelay     cap of the probe delay, at least the initial one
     * @param jitter            share of the delay taken off at random, 0..1
     */
    public record Settings(int failureThreshold, Duration initialProbeDelay, Duration maxProbeDelay, double jitter) {
        public static final int DEFAULT_FAILURE_THRESHOLD = 1;
        public static final Duration DEFAULT_INITIAL_PROBE_DELAY = Duration.ofSeconds(1);
        public static final Duration DEFAULT_MAX_PROBE_DELAY = Duration.ofSeconds(30);
        public static final double DEFAULT_JITTER = 0.5;

        public Settings {
            if (failureThreshold < 1 || failureThreshold > 100) {
                throw new IllegalArgumentException("circuit.failure_threshold must be 1..100, got " + failureThreshold);
            }
            long initial = Nanos.positive(initialProbeDelay, "circuit.initial_probe_delay");
            if (Nanos.positive(maxProbeDelay, "circuit.max_probe_delay") < initial) {
                throw new IllegalArgumentException("circuit.max_probe_delay must be >= circuit.initial_probe_delay, got "
                        + maxProbeDelay);
            }
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("circuit.jitter must be 0..1, got " + jitter);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_FAILURE_THRESHOLD, DEFAULT_INITIAL_PROBE_DELAY, DEFAULT_MAX_PROBE_DELAY,
                    DEFAULT_JITTER);
        }

        /** Delay after the n-th opening: {@code min(max, initial * 2^(n-1)) * (1 - jitter * u)}. */
        long probeDelayNanos(int opening, double u) {
            long max = maxProbeDelay.toNanos();
            long delay = initialProbeDelay.toNanos();
            for (int i = 1; i < opening && delay < max; i++) {
                delay = delay > max / 2 ? max : delay * 2;
            }
            delay = Math.min(delay, max);
            return Math.round(delay * (1 - jitter * Math.min(Math.max(u, 0), 1)));
        }
    }
}
