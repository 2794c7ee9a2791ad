package io.wagate.events;

import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running part of an internal reader of the event log: one thread of its own, woken when the
 * log's head moves, applying pages from a durable cursor (kept in {@code event_cursors} under its
 * key) until it has caught up, and trying again shortly after a failure.
 *
 * <p>The reader supplies a {@link Step}: apply the page at a cursor and write the next cursor
 * under {@link #cursorKey()} in the same batch as what it changed, so a crash reads the last
 * events again rather than losing or repeating them.
 */
public final class LogFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogFollower.class);
    private static final long RETRY_MS = 500;

    /** One page of the reader's work. */
    @FunctionalInterface
    public interface Step {
        /** Applies what follows {@code cursor}; returns the next cursor ({@code cursor} when nothing was there). */
        long apply(long cursor);
    }

    private final EventLog eventLog;
    private final byte[] cursorKey;
    private final String what;
    private final Step step;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long cursor;
    private volatile boolean closed;

    /**
     * @param threadName the reader's thread
     * @param cursorKey  its key in {@code event_cursors}
     * @param what       what it does, for the log ("billing meter")
     */
    public LogFollower(Database db, EventLog eventLog, String threadName, byte[] cursorKey, String what, Step step) {
        this.eventLog = eventLog;
        this.cursorKey = cursorKey.clone();
        this.what = what;
        this.step = step;
        byte[] stored = db.get(ColumnFamily.EVENT_CURSORS, cursorKey);
        this.cursor = stored == null ? eventLog.first() : Keys.u64(stored, 0);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        eventLog.onHeadAdvanced(this::wake);
        wake();
    }

    /** The key the reader writes its next cursor under, in the batch with its changes. */
    public byte[] cursorKey() {
        return cursorKey.clone();
    }

    /** The next offset to read; every event below it is applied. */
    public long cursor() {
        return cursor;
    }

    /** Runs {@code task} on the reader's thread every {@code period}, first at once; false when closed. */
    public boolean every(Duration period, Runnable task) {
        try {
            thread.scheduleWithFixedDelay(task, 0, period.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }

    /** Runs {@code task} on the reader's thread, between pages. */
    public <T> java.util.concurrent.Future<T> submit(java.util.concurrent.Callable<T> task) {
        return thread.submit(task);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Waits until every event stored before this call is applied; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long target = eventLog.head();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (cursor <= target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            wake();
            Thread.sleep(10);
        }
        return true;
    }

    private void wake() {
        if (!closed && scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::run);
            } catch (RejectedExecutionException stopped) {
                scheduled.set(false);
            }
        }
    }

    private void run() {
        scheduled.set(false);
        try {
            while (!closed) {
                long next = step.apply(cursor);
                if (next == cursor) {
                    return;
                }
                cursor = next;
                if (cursor > eventLog.head()) {
                    return; // caught up; the next head move wakes it
                }
            }
        } catch (RuntimeException e) {
            log.warn("{} failed at offset {}, trying again shortly: {}", what, cursor, e.toString());
            if (!closed) {
                try {
                    thread.schedule(this::wake, RETRY_MS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopped) {
                    // closing
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
