package io.wagate.dispatch.pacing;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link PairPacer}s of one business number, keyed by recipient, created on first use and
 * dropped by {@link #evictIdle} once idle (bucket full again, no back-off pending; at most
 * {@code burst * refill_interval}, 4.5 minutes, after the recipient's last send or until its
 * back-off ends). A campaign to a million recipients so holds pacers only for the recipients
 * messaged in the last few minutes; evicting loses nothing, because an idle pacer equals a new one.
 *
 * <p>Time is a monotonic clock in nanoseconds, passed in. Thread-safe: each recipient's pacer is
 * used and evicted under the map's per-key lock, so an eviction never loses a concurrent send.
 * {@link #evictIdle} visits every entry: call it from a timer every minute or so, not per send.
 */
public final class PairPacers {
    private final PairPacer.Settings settings;
    private final ConcurrentHashMap<String, PairPacer> pacers = new ConcurrentHashMap<>();

    public PairPacers(PairPacer.Settings settings) {
        this.settings = settings;
    }

    /** Takes a send slot for {@code recipient} (see {@link PairPacer#tryAcquire}). */
    public boolean tryAcquire(String recipient, long nowNanos) {
        boolean[] taken = new boolean[1];
        pacers.compute(recipient, (k, p) -> {
            PairPacer pacer = p != null ? p : new PairPacer(settings, nowNanos);
            taken[0] = pacer.tryAcquire(nowNanos);
            return pacer;
        });
        return taken[0];
    }

    /** Nanoseconds until a send to {@code recipient} is allowed; 0 for a recipient without a pacer. */
    public long nanosUntilAllowed(String recipient, long nowNanos) {
        PairPacer p = pacers.get(recipient);
        return p == null ? 0 : p.nanosUntilAllowed(nowNanos);
    }

    /**
     * Meta answered 131056 for {@code recipient} (a pacer is created if it was evicted meanwhile).
     *
     * @return the back-off imposed, in nanoseconds
     */
    public long onPairThrottled(String recipient, long nowNanos) {
        long[] wait = new long[1];
        pacers.compute(recipient, (k, p) -> {
            PairPacer pacer = p != null ? p : new PairPacer(settings, nowNanos);
            wait[0] = pacer.onPairThrottled(nowNanos);
            return pacer;
        });
        return wait[0];
    }

    /** Meta accepted a message for {@code recipient}. */
    public void onSuccess(String recipient, long nowNanos) {
        pacers.computeIfPresent(recipient, (k, p) -> {
            p.onSuccess(nowNanos);
            return p;
        });
    }

    /** The pacer of {@code recipient}, or null if it has none (never used, or evicted). */
    public PairPacer get(String recipient) {
        return pacers.get(recipient);
    }

    /**
     * Drops every idle pacer.
     *
     * @return how many were dropped
     */
    public int evictIdle(long nowNanos) {
        int[] evicted = new int[1];
        for (String recipient : pacers.keySet()) {
            pacers.computeIfPresent(recipient, (k, p) -> {
                if (p.isIdle(nowNanos)) {
                    evicted[0]++;
                    return null;
                }
                return p;
            });
        }
        return evicted[0];
    }

    /** Pacers held now. */
    public int size() {
        return pacers.size();
    }

    public PairPacer.Settings settings() {
        return settings;
    }
}
