package io.wagate.sandbox;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The delivery counts, and the notifications held: admitted up to a capacity, released when
 * answered 200 or dropped, awaited until none is left.
 *
 * <p>Thread-safe: counts are atomic; the held count and its waiters share one monitor.
 */
final class WebhookCounters {

    final AtomicLong statuses = new AtomicLong();
    final AtomicLong inbound = new AtomicLong();
    final AtomicLong posted = new AtomicLong();
    final AtomicLong answeredOk = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong failedAttempts = new AtomicLong();
    final AtomicLong droppedExpired = new AtomicLong();
    final AtomicLong droppedOverflow = new AtomicLong();
    private long pending;

    /** Holds {@code n} more notifications if that stays within {@code capacity}; otherwise counts them dropped. */
    synchronized boolean admit(int n, int capacity) {
        if (pending + n > capacity) {
            droppedOverflow.addAndGet(n);
            return false;
        }
        pending += n;
        return true;
    }

    /** {@code n} held notifications were answered 200 or dropped. */
    synchronized void release(int n) {
        pending -= n;
        if (pending <= 0) {
            pending = 0;
            notifyAll();
        }
    }

    synchronized long pending() {
        return pending;
    }

    /** True once nothing is held; false if {@code timeout} passed first. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending > 0) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return false;
            }
            wait(leftMillis);
        }
        return true;
    }

    /** Zeroes the counts; what is held stays held. */
    void reset() {
        for (AtomicLong c : new AtomicLong[] {statuses, inbound, posted, answeredOk, retried, failedAttempts,
                droppedExpired, droppedOverflow}) {
            c.set(0);
        }
    }

    WebhookStats snapshot(int inFlight, boolean paused) {
        return new WebhookStats(statuses.get(), inbound.get(), posted.get(), answeredOk.get(), retried.get(),
                failedAttempts.get(), droppedExpired.get(), droppedOverflow.get(), pending(), inFlight, paused);
    }
}
