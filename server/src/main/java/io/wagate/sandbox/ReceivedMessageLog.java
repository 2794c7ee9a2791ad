package io.wagate.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What the sandbox took in, in arrival order: accepted sends, attempts it never answered (stalled
 * or dropped), and mark-reads. Keeps at most {@code maxRecorded} of each, forgetting the oldest, so
 * long benchmark runs do not grow memory; counts stay exact.
 *
 * <p>Thread-safe: written from event loops, read and awaited from test threads (one monitor).
 */
final class ReceivedMessageLog {

    private final int maxRecorded;
    private final Deque<ReceivedMessage> received = new ArrayDeque<>();
    private final Deque<ReceivedMessage> attempted = new ArrayDeque<>();
    private final Deque<ReceivedMessage> markedRead = new ArrayDeque<>();
    private long receivedCount;
    private long attemptedCount;
    private long markedReadCount;

    ReceivedMessageLog(int maxRecorded) {
        this.maxRecorded = maxRecorded;
    }

    synchronized void addReceived(ReceivedMessage m) {
        bounded(received, m);
        receivedCount++;
        notifyAll();
    }

    synchronized void addAttempted(ReceivedMessage m) {
        bounded(attempted, m);
        attemptedCount++;
        notifyAll();
    }

    synchronized void addMarkedRead(ReceivedMessage m) {
        bounded(markedRead, m);
        markedReadCount++;
        notifyAll();
    }

    synchronized List<ReceivedMessage> received() {
        return List.copyOf(received);
    }

    synchronized List<ReceivedMessage> received(String phoneNumberId) {
        return received.stream().filter(m -> m.phoneNumberId().equals(phoneNumberId)).toList();
    }

    synchronized List<ReceivedMessage> attempted() {
        return List.copyOf(attempted);
    }

    synchronized List<ReceivedMessage> markedRead() {
        return List.copyOf(markedRead);
    }

    synchronized int receivedCount() {
        return (int) Math.min(Integer.MAX_VALUE, receivedCount);
    }

    synchronized long attemptedCount() {
        return attemptedCount;
    }

    synchronized long markedReadCount() {
        return markedReadCount;
    }

    synchronized void clear() {
        received.clear();
        attempted.clear();
        markedRead.clear();
        receivedCount = 0;
        attemptedCount = 0;
        markedReadCount = 0;
    }

    synchronized List<ReceivedMessage> awaitReceived(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (receivedCount < count) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    throw new IllegalStateException("expected " + count + " received messages within "
                            + timeout + ", got " + receivedCount);
                }
                wait(leftMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while awaiting " + count + " received messages", e);
        }
        return List.copyOf(received);
    }

    private void bounded(Deque<ReceivedMessage> q, ReceivedMessage m) {
        if (maxRecorded == 0) {
            return;
        }
        if (q.size() == maxRecorded) {
            q.removeFirst();
        }
        q.addLast(m);
    }
}
