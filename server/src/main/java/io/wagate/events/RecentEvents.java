package io.wagate.events;

import io.wagate.api.v1.Event;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The newest durable events, kept in memory so that consumer groups and the status reconciler,
 * which all read just behind the head, share one parsed copy instead of each reading and parsing
 * it from RocksDB again.
 *
 * <p>A ring indexed by offset, bounded both in entries and in serialized bytes: an event is
 * evicted when either bound is reached, and events larger than {@link #MAX_EVENT_BYTES} are not
 * kept at all. A miss is never wrong, only slower: the caller reads the log.
 *
 * <p>Thread-safety: {@link #add} is called by one thread at a time (the writer's acknowledgement
 * thread, in offset order); {@link #get} from any thread without locking.
 */
final class RecentEvents {
    static final int DEFAULT_CAPACITY = 1 << 14;
    static final long DEFAULT_MAX_BYTES = 32L << 20;
    static final int MAX_EVENT_BYTES = 64 << 10;

    private final AtomicReferenceArray<Stored> slots;
    private final int[] sizes;
    private final int mask;
    private final long maxBytes;
    private long bytesHeld;
    /** The oldest offset that may still be in the ring; only {@link #add} moves it. */
    private long oldest = 1;
    private long newest;

    RecentEvents(int capacity, long maxBytes) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, was " + capacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
        this.sizes = new int[capacity];
        this.mask = capacity - 1;
        this.maxBytes = maxBytes;
    }

    /** An event and the bytes it was stored as. */
    record Stored(Event event, byte[] bytes) {
    }

    /** Keeps a durable event; offsets come in increasing order, possibly with gaps. */
    synchronized void add(Event e, byte[] bytes) {
        long offset = e.getOffset();
        int size = bytes.length;
        if (offset <= newest) {
            return;
        }
        newest = offset;
        if (oldest < offset - mask) {
            evictBelow(offset - mask); // the slot is reused: what was there is now too old
        }
        if (size > MAX_EVENT_BYTES) {
            return;
        }
        while (bytesHeld + size > maxBytes && oldest < offset) {
            evictBelow(oldest + 1);
        }
        int slot = (int) (offset & mask);
        sizes[slot] = size;
        bytesHeld += size;
        slots.set(slot, new Stored(e, bytes));
    }

    private void evictBelow(long bound) {
        for (long o = Math.max(oldest, bound - mask - 1); o < bound; o++) { // each slot at most once
            int slot = (int) (o & mask);
            Stored old = slots.get(slot);
            if (old != null && old.event.getOffset() < bound) {
                slots.set(slot, null);
                bytesHeld -= sizes[slot];
            }
        }
        oldest = bound;
    }

    /** The event at {@code offset} if it is still here, else null (never stored, evicted or too big). */
    Event get(long offset) {
        Stored s = slots.get((int) (offset & mask));
        return s != null && s.event.getOffset() == offset ? s.event : null;
    }

    /** The bytes {@code e} was stored as, if this very instance is still here, else null. */
    byte[] bytesOf(Event e) {
        Stored s = slots.get((int) (e.getOffset() & mask));
        return s != null && s.event == e ? s.bytes : null;
    }
}
