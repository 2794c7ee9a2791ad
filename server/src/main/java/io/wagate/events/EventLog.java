package io.wagate.events;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.Event;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.StoreException;
import io.wagate.store.WriteSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The durable event log: events by offset, deduplicated by stable id.
 *
 * <p>Offsets are assigned and writes are submitted to the group-commit writer under one lock, so
 * the writer commits them in offset order and the durable head only moves forward. Readers see an
 * event only once it is durable ({@link #head()}). A write that fails leaves a gap in the
 * offsets, never a half-stored webhook.
 *
 * <p>Dedupe is atomic: an id is either stored (found in {@code event_ids}) or being stored (in
 * {@link #inFlight}, whose future a duplicate waits for before it reports success), checked and
 * claimed under the same lock.
 *
 * <p>Thread-safe. Head listeners run on the writer's acknowledgement thread and must not block.
 */
public final class EventLog implements EventSink {
    private final Database db;
    private final LongSupplier clock;
    private final Object appendLock = new Object();
    private final Map<String, CompletableFuture<Void>> inFlight = new HashMap<>();
    private final List<Runnable> headListeners = new CopyOnWriteArrayList<>();
    private final RecentEvents recent = new RecentEvents(RecentEvents.DEFAULT_CAPACITY, RecentEvents.DEFAULT_MAX_BYTES);
    private long nextOffset;
    private long lastStoredAtMillis;
    private volatile long head;
    private volatile long first;

    public EventLog(Database db, LongSupplier clock) {
        this.db = db;
        this.clock = clock;
        long[] last = {0};
        db.scan(ColumnFamily.EVENTS, Keys.MIN, Keys.MAX, true, (k, v) -> {
            last[0] = Keys.u64(k, 0);
            lastStoredAtMillis = Timestamps.toMillis(decode(v).getStoredAt());
            return false;
        });
        this.head = last[0];
        this.nextOffset = last[0] + 1;
        this.first = findFirst(1);
    }

    /** The newest durable offset; 0 when the log is empty. */
    public long head() {
        return head;
    }

    /** The oldest retained offset; {@code head() + 1} when the log is empty. */
    public long first() {
        long f = first;
        return f == 0 ? head + 1 : f;
    }

    /** Runs {@code listener} (quickly, without blocking) each time the durable head moves. */
    public void onHeadAdvanced(Runnable listener) {
        headListeners.add(listener);
    }

    @Override
    public CompletableFuture<AppendResult> append(List<Event> events) {
        return appendWith(new WriteSet(), events);
    }

    /**
     * Stores {@code extra} and the new events in one atomic write: for a state change and the event
     * that reports it (a message ended). {@code extra} is written even when every event is a
     * duplicate.
     */
    public CompletableFuture<AppendResult> appendWith(WriteSet extra, List<Event> events) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        int stored = 0;
        synchronized (appendLock) {
            java.util.Set<String> claimed = new java.util.LinkedHashSet<>(); // a webhook may carry 1,000 events
            List<RecentEvents.Stored> written = new ArrayList<>(events.size());
            long firstOffset = nextOffset;
            long now = Math.max(clock.getAsLong(), lastStoredAtMillis);
            for (Event e : events) {
                String id = e.getId();
                if (id.isEmpty()) {
                    throw new IllegalArgumentException("an event needs an id");
                }
                CompletableFuture<Void> pending = inFlight.get(id);
                if (pending != null) {
                    waits.add(pending);
                    continue;
                }
                if (claimed.contains(id) || db.get(ColumnFamily.EVENT_IDS, Keys.utf8(id)) != null) {
                    continue;
                }
                long offset = nextOffset++;
                Event stamped = e.toBuilder().setOffset(offset).setStoredAt(Timestamps.fromMillis(now)).build();
                byte[] bytes = stamped.toByteArray();
                extra.put(ColumnFamily.EVENTS, Keys.u64(offset), bytes);
                written.add(new RecentEvents.Stored(stamped, bytes));
                extra.put(ColumnFamily.EVENT_IDS, Keys.utf8(id), Keys.u64(offset));
                claimed.add(id);
                stored++;
            }
            if (!extra.isEmpty()) {
                CompletableFuture<Void> write = db.writer().submit(extra);
                long lastOffset = nextOffset - 1;
                for (String id : claimed) {
                    inFlight.put(id, write);
                }
                lastStoredAtMillis = now;
                waits.add(write.whenComplete((ok, err) -> {
                    synchronized (appendLock) {
                        claimed.forEach(inFlight::remove);
                    }
                    if (err == null && lastOffset >= firstOffset) {
                        written.forEach(w -> recent.add(w.event(), w.bytes()));
                        advanceHead(firstOffset, lastOffset);
                    }
                }));
            }
        }
        int newEvents = stored;
        int duplicates = events.size() - stored;
        return CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> new AppendResult(newEvents, duplicates));
    }

    private void advanceHead(long firstOffset, long lastOffset) {
        if (first == 0) {
            first = firstOffset;
        }
        if (lastOffset > head) {
            head = lastOffset;
        }
        for (Runnable l : headListeners) {
            l.run();
        }
    }

    /**
     * Reads durable events from {@code fromOffset} on, at most {@code limit} that match {@code
     * filter}, scanning at most {@code scanLimit} events. Recent events come from memory, older
     * ones from the database.
     */
    public Page read(long fromOffset, int limit, int scanLimit, Predicate<Event> filter) {
        List<Event> out = new ArrayList<>();
        long end = head;
        long offset = Math.max(fromOffset, first());
        int scanned = 0;
        for (Event e; offset <= end && out.size() < limit && scanned < scanLimit; offset++, scanned++) {
            if ((e = recent.get(offset)) == null) {
                break;
            }
            if (filter.test(e)) {
                out.add(e);
            }
        }
        if (offset > end || out.size() >= limit || scanned >= scanLimit) {
            return new Page(out, offset);
        }
        long[] next = {offset};
        int[] budget = {scanLimit - scanned};
        db.scan(ColumnFamily.EVENTS, Keys.u64(offset), Keys.u64(end + 1), false, (k, v) -> {
            next[0] = Keys.u64(k, 0) + 1;
            Event e = decode(v);
            if (filter.test(e)) {
                out.add(e);
            }
            return out.size() < limit && --budget[0] > 0;
        });
        if (out.size() < limit && budget[0] > 0) {
            next[0] = end + 1;
        }
        return new Page(out, next[0]);
    }

    /**
     * The serialized form of an event this log handed out recently, so a subscription can send
     * the stored bytes instead of encoding the event again for every group; null when it is no
     * longer kept in memory (or was read from the database).
     */
    public byte[] encoded(Event e) {
        return recent.bytesOf(e);
    }

    /** A page of events and the offset to read next. */
    public record Page(List<Event> events, long nextOffset) {
    }

    /** The event at this offset, or null when there is none (never stored, or deleted). */
    public Event get(long offset) {
        Event cached = offset >= first() && offset <= head ? recent.get(offset) : null;
        if (cached != null) {
            return cached;
        }
        byte[] v = db.get(ColumnFamily.EVENTS, Keys.u64(offset));
        return v == null ? null : decode(v);
    }

    /**
     * The offset of the first event stored at or after {@code millis}, or {@code head() + 1} when
     * none is. Store times never decrease with the offset, so this is a binary search.
     */
    public long offsetAt(long millis) {
        long lo = first();
        long hi = head + 1;
        while (lo < hi) { // the least x whose first event at or after x is stored at or after millis
            long mid = lo + (hi - lo) / 2;
            Event e = firstFrom(mid);
            if (e == null || Timestamps.toMillis(e.getStoredAt()) >= millis) {
                hi = mid;
            } else {
                lo = e.getOffset() + 1;
            }
        }
        Event e = firstFrom(lo);
        return e == null ? head + 1 : e.getOffset();
    }

    private Event firstFrom(long offset) {
        Event[] found = {null};
        if (offset <= head) {
            db.scan(ColumnFamily.EVENTS, Keys.u64(offset), Keys.u64(head + 1), false, (k, v) -> {
                found[0] = decode(v);
                return false;
            });
        }
        return found[0];
    }

    /**
     * Deletes events stored before {@code beforeMillis}, at most {@code limit}, with the memory of
     * their ids; returns how many. The deletes need no sync: replayed after a crash they are
     * simply done again.
     */
    public int deleteOlderThan(long beforeMillis, int limit) {
        WriteSet w = new WriteSet();
        long[] last = {0};
        int[] n = {0};
        long from = first();
        if (from > head) {
            return 0;
        }
        db.scan(ColumnFamily.EVENTS, Keys.u64(from), Keys.u64(head + 1), false, (k, v) -> {
            Event e = decode(v);
            if (Timestamps.toMillis(e.getStoredAt()) >= beforeMillis || n[0] >= limit) {
                return false;
            }
            w.delete(ColumnFamily.EVENTS, k);
            w.delete(ColumnFamily.EVENT_IDS, Keys.utf8(e.getId()));
            last[0] = e.getOffset();
            n[0]++;
            return true;
        });
        if (n[0] > 0) {
            db.writeUnsynced(w);
            first = findFirst(last[0] + 1);
        }
        return n[0];
    }

    private long findFirst(long from) {
        long[] f = {0};
        db.scan(ColumnFamily.EVENTS, Keys.u64(from), Keys.MAX, false, (k, v) -> {
            f[0] = Keys.u64(k, 0);
            return false;
        });
        return f[0];
    }

    static Event decode(byte[] bytes) {
        try {
            return Event.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("an event in the log does not decode: " + e.getMessage(), e);
        }
    }
}
