package io.wagate.dispatch;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.ContactWindow;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.State;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.events.EventLog;
import io.wagate.outbox.MessageIds;
import io.wagate.outbox.Outbox;
import io.wagate.outbox.OutboxStore;
import io.wagate.outbox.StatusMerge;
import io.wagate.policy.ContactWindows;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.WriteSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies stored events to the appliance's own state: statuses move outbound messages forward
 * (and resolve UNCERTAIN ones through the id in {@code biz_opaque_callback_data}); inbound
 * messages update the contact's customer-service window.
 *
 * <p>An internal reader of the event log with its own durable cursor, written in the same batch
 * as the updates it made; after a crash it applies the last events again, which changes nothing
 * (every update only moves forward). A status for a message whose request is out at this moment
 * is parked and tried again until the dispatcher has recorded Meta's answer; the stored cursor
 * does not pass a parked status.
 *
 * <p>Threading: one thread, {@value #THREAD_NAME}, woken when the log's head moves. It is the only
 * writer of messages that have left the outbox (SUBMITTED and later).
 */
public final class StatusReconciler implements AutoCloseable {
    public static final String THREAD_NAME = "wagate-reconciler";
    /** Statuses that proved Meta had a message the appliance was unsure of. */
    public static final String UNCERTAIN_RESOLVED = "dispatch.uncertain_resolved";
    private static final byte[] CURSOR_KEY = Keys.utf8("status-reconciler");
    private static final int BATCH = 1_000;
    private static final long RETRY_MS = 200;
    private static final Logger log = LoggerFactory.getLogger(StatusReconciler.class);

    private final Database db;
    private final EventLog eventLog;
    private final Outbox outbox;
    private final OutboxStore store;
    private final ContactWindows windows;
    private final LongSupplier clock;
    private final Counter applied;
    private final Counter resolved;
    private final Counter unknown;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final java.util.TreeMap<Long, StatusUpdate> parked = new java.util.TreeMap<>();
    private volatile long cursor;
    private volatile boolean closed;

    public StatusReconciler(Database db, EventLog eventLog, Outbox outbox, ContactWindows windows,
                            MetricRegistry metrics, LongSupplier clock) {
        this.db = db;
        this.eventLog = eventLog;
        this.outbox = outbox;
        this.store = outbox.store();
        this.windows = windows;
        this.clock = clock;
        this.applied = metrics.counter("reconciler.statuses_applied");
        this.resolved = metrics.counter(UNCERTAIN_RESOLVED);
        this.unknown = metrics.counter("reconciler.statuses_unknown_message");
        byte[] stored = db.get(ColumnFamily.EVENT_CURSORS, CURSOR_KEY);
        this.cursor = stored == null ? eventLog.first() : Keys.u64(stored, 0);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        eventLog.onHeadAdvanced(this::wake);
        wake();
    }

    /** The next offset to apply; everything below is applied. */
    public long cursor() {
        return cursor;
    }

    private void wake() {
        if (!closed && scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::run);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                scheduled.set(false);
            }
        }
    }

    private void wakeLater() {
        if (!closed) {
            try {
                thread.schedule(this::wake, RETRY_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // closing
            }
        }
    }

    private void run() {
        scheduled.set(false);
        try {
            boolean more = true;
            while (more && !closed) {
                more = applyBatch();
            }
        } catch (RuntimeException e) {
            log.warn("applying events failed at offset {}, trying again shortly: {}", cursor, e.toString());
            wakeLater();
        }
    }

    /** Applies one batch from the cursor; returns whether more may be waiting. */
    private boolean applyBatch() {
        EventLog.Page page = eventLog.read(cursor, BATCH, BATCH, e -> e.getKind() == EventKind.STATUS
                || e.getKind() == EventKind.INBOUND_MESSAGE);
        if (page.nextOffset() == cursor && parked.isEmpty()) {
            return false;
        }
        WriteSet w = new WriteSet();
        Map<Long, Message> updated = new HashMap<>();
        Map<String, ContactWindow> windowBatch = new HashMap<>();
        parked.entrySet().removeIf(p -> apply(p.getValue(), updated));
        for (Event e : page.events()) {
            if (e.getKind() == EventKind.INBOUND_MESSAGE) {
                windows.onInbound(e, windowBatch, w);
                continue;
            }
            windows.onStatus(e, windowBatch, w); // the first reply after a referral opens a free entry point
            if (!apply(e.getStatus(), updated)) {
                parked.put(e.getOffset(), e.getStatus()); // its message is out right now: come back
            }
        }
        for (Message m : updated.values()) {
            store.putEnded(w, m);
        }
        cursor = page.nextOffset();
        // after a crash, start again at the oldest status still waiting: applying twice changes nothing
        long durable = parked.isEmpty() ? cursor : Math.min(cursor, parked.firstKey());
        w.put(ColumnFamily.EVENT_CURSORS, CURSOR_KEY, Keys.u64(durable));
        db.writeUnsynced(w);
        if (!parked.isEmpty()) {
            wakeLater();
        }
        return cursor <= eventLog.head();
    }

    /**
     * Folds one status in; returns false when the message is being sent right now and the
     * status must wait.
     */
    private boolean apply(StatusUpdate s, Map<Long, Message> updated) {
        if (s.getMessageId().isEmpty() || StatusMerge.stateOf(s.getStatus()) == null) {
            return true; // not ours (sent by another system on this number) or a status this build does not know
        }
        long id;
        try {
            id = MessageIds.parse(s.getMessageId());
        } catch (IllegalArgumentException e) {
            unknown.inc();
            return true;
        }
        Message m = updated.get(id);
        if (m == null) {
            m = store.get(id);
        }
        if (m == null) {
            unknown.inc();
            return true;
        }
        if (!Outbox.isEnded(m.getState())) {
            if (m.getState() == State.SENDING) {
                return false;
            }
            // waiting here (UNCERTAIN, or queued again after a resend failed) yet Meta has it
            if (!outbox.resolveUncertain(s.getMessageId(), s.getWamid()).join()) {
                return false; // a resend is out at this moment
            }
            resolved.inc();
            log.info("message {} resolved by a {} status: Meta had it; it is not sent again", s.getMessageId(),
                    s.getStatus());
            m = store.get(id);
        }
        Message merged = StatusMerge.merge(m, s, Timestamps.fromMillis(clock.getAsLong()));
        if (merged != m) {
            updated.put(id, merged);
            applied.inc();
        }
        return true;
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
