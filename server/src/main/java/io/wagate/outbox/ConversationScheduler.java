package io.wagate.outbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The in-memory schedule of messages not yet ended: per-conversation FIFO and priority lanes.
 *
 * <p>A conversation is a (phone-number id, recipient) pair. Only its head may be leased, and the
 * next message waits until the head ends or is submitted; so messages of one conversation reach
 * Meta in acceptance order even while the head is being retried. Conversations whose head is ready
 * wait in one of three lanes, served by weighted round robin (high 8, normal 4, bulk 1), so a bulk
 * campaign cannot starve one-time passwords and bulk still moves.
 *
 * <p>The scheduler holds no message content and does no I/O: callers persist a state change first
 * and then tell the scheduler ({@link #add}, {@link #release}, {@link #finish}). Every entry is in
 * exactly one of: waiting, leased (a dispatcher owns it), claimed (being cancelled or expired).
 *
 * <p>Thread-safe: one lock; {@link #lease} blocks until a head is ready or the timeout passes.
 */
public final class ConversationScheduler {
    static final int LANES = 3;
    private static final int[] LANE_PATTERN = {0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 2, 0};

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyChanged = lock.newCondition();
    private final LongSupplier clock;
    private final Map<String, Conversation> conversations = new HashMap<>();
    private final Map<Long, Entry> entries = new HashMap<>();
    private final List<ArrayDeque<Conversation>> ready = new ArrayList<>(LANES);
    private final PriorityQueue<Conversation> delayed =
            new PriorityQueue<>((a, b) -> Long.compare(a.delayedUntil, b.delayedUntil));
    private final PriorityQueue<Entry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.expiresAt, b.expiresAt));
    private int patternPosition;
    private int leased;

    /** @param clock epoch milliseconds */
    public ConversationScheduler(LongSupplier clock) {
        this.clock = clock;
        for (int i = 0; i < LANES; i++) {
            ready.add(new ArrayDeque<>());
        }
    }

    /** One message the scheduler knows of. Fields other than the final ones are guarded by the scheduler's lock. */
    public static final class Entry {
        private final long id;
        private final String conversation;
        private final int lane;
        private final long expiresAt;
        private long notBefore;
        private boolean leasedNow;
        private boolean claimed;

        /**
         * @param lane      0 high, 1 normal, 2 bulk
         * @param notBefore epoch millis before which it must not be leased (retry backoff)
         */
        public Entry(long id, String conversation, int lane, long expiresAt, long notBefore) {
            if (lane < 0 || lane >= LANES) {
                throw new IllegalArgumentException("lane must be 0..2, got " + lane);
            }
            this.id = id;
            this.conversation = conversation;
            this.lane = lane;
            this.expiresAt = expiresAt;
            this.notBefore = notBefore;
        }

        public long id() {
            return id;
        }

        public String conversation() {
            return conversation;
        }

        public long expiresAt() {
            return expiresAt;
        }
    }

    private static final class Conversation {
        final String key;
        final ArrayDeque<Entry> queue = new ArrayDeque<>();
        boolean scheduled;
        long delayedUntil;

        Conversation(String key) {
            this.key = key;
        }
    }

    /** The conversation key of a sender and a recipient. */
    public static String conversationKey(String phoneNumberId, String recipient) {
        return phoneNumberId + '|' + recipient;
    }

    /** Appends a durable message at the tail of its conversation. */
    public void add(Entry e) {
        lock.lock();
        try {
            if (entries.putIfAbsent(e.id, e) != null) {
                return;
            }
            Conversation c = conversations.computeIfAbsent(e.conversation, Conversation::new);
            c.queue.addLast(e);
            expiries.add(e);
            if (c.queue.size() == 1) {
                schedule(c);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the head of a ready conversation, waiting up to {@code timeout}.
     *
     * @return the leased entry, or null on timeout or interrupt
     */
    public Entry lease(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lock();
        try {
            while (true) {
                promoteDue();
                Entry e = pollReady();
                if (e != null) {
                    e.leasedNow = true;
                    leased++;
                    return e;
                }
                long waitNanos = deadline - System.nanoTime();
                if (waitNanos <= 0) {
                    return null;
                }
                Conversation next = delayed.peek();
                if (next != null) {
                    long untilDue = TimeUnit.MILLISECONDS.toNanos(Math.max(1, next.delayedUntil - clock.getAsLong()));
                    waitNanos = Math.min(waitNanos, untilDue);
                }
                try {
                    readyChanged.awaitNanos(waitNanos);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A leased entry goes back to the head of its conversation, to be leased again at {@code notBefore}. */
    public void release(Entry e, long notBefore) {
        lock.lock();
        try {
            requireLeased(e);
            e.leasedNow = false;
            leased--;
            e.notBefore = notBefore;
            schedule(conversations.get(e.conversation));
        } finally {
            lock.unlock();
        }
    }

    /**
     * A leased or claimed entry has ended (or was submitted): it leaves its conversation and the
     * next message, if any, becomes the head.
     */
    public void finish(Entry e) {
        lock.lock();
        try {
            if (!e.leasedNow && !e.claimed) {
                throw new IllegalStateException("message " + e.id + " is neither leased nor claimed");
            }
            if (e.leasedNow) {
                leased--;
            }
            e.leasedNow = false;
            e.claimed = false;
            entries.remove(e.id);
            Conversation c = conversations.get(e.conversation);
            c.queue.remove(e);
            if (c.queue.isEmpty()) {
                conversations.remove(c.key);
            } else {
                schedule(c);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Outcome of {@link #claim}. */
    public enum Claim { CLAIMED, LEASED, UNKNOWN }

    /**
     * Claims a waiting entry so no dispatcher can lease it (to cancel it). Follow with
     * {@link #finish} once its end is durable, or {@link #unclaim} if that failed.
     */
    public Claim claim(long id) {
        lock.lock();
        try {
            Entry e = entries.get(id);
            if (e == null || e.claimed) {
                return Claim.UNKNOWN;
            }
            if (e.leasedNow) {
                return Claim.LEASED;
            }
            e.claimed = true;
            return Claim.CLAIMED;
        } finally {
            lock.unlock();
        }
    }

    /** The entry with this id, or null. */
    public Entry entry(long id) {
        lock.lock();
        try {
            return entries.get(id);
        } finally {
            lock.unlock();
        }
    }

    /** Gives a claimed entry back (its end could not be stored). */
    public void unclaim(Entry e) {
        lock.lock();
        try {
            if (e.claimed) {
                e.claimed = false;
                schedule(conversations.get(e.conversation));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Claims every waiting entry whose validity has elapsed, for the caller to expire. */
    public List<Entry> claimExpired() {
        long now = clock.getAsLong();
        List<Entry> out = new ArrayList<>();
        lock.lock();
        try {
            while (!expiries.isEmpty() && expiries.peek().expiresAt <= now) {
                Entry e = expiries.poll();
                if (entries.get(e.id) != e || e.claimed) {
                    continue;
                }
                if (e.leasedNow) {
                    // the dispatcher checks validity itself when it gets the entry back
                    continue;
                }
                e.claimed = true;
                out.add(e);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Messages not yet ended. */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Entries leased to dispatchers right now. */
    public int leasedCount() {
        lock.lock();
        try {
            return leased;
        } finally {
            lock.unlock();
        }
    }

    /** Pending messages per phone-number id (for status). */
    public Map<String, Long> pendingByNumber() {
        lock.lock();
        try {
            Map<String, Long> out = new HashMap<>();
            for (Conversation c : conversations.values()) {
                String number = c.key.substring(0, c.key.indexOf('|'));
                out.merge(number, (long) c.queue.size(), Long::sum);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes threads blocked in {@link #lease} (on shutdown). */
    public void wakeAll() {
        lock.lock();
        try {
            readyChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void requireLeased(Entry e) {
        if (!e.leasedNow) {
            throw new IllegalStateException("message " + e.id + " is not leased");
        }
    }

    /** Puts a conversation whose head is waiting into a lane or the delay queue. Lock held. */
    private void schedule(Conversation c) {
        if (c == null || c.scheduled) {
            return;
        }
        Entry head = c.queue.peekFirst();
        if (head == null || head.leasedNow || head.claimed) {
            return;
        }
        c.scheduled = true;
        if (head.notBefore > clock.getAsLong()) {
            c.delayedUntil = head.notBefore;
            delayed.add(c);
        } else {
            ready.get(head.lane).addLast(c);
        }
        readyChanged.signal();
    }

    private void promoteDue() {
        long now = clock.getAsLong();
        while (!delayed.isEmpty() && delayed.peek().delayedUntil <= now) {
            Conversation c = delayed.poll();
            Entry head = c.queue.peekFirst();
            if (head == null || head.leasedNow || head.claimed) {
                c.scheduled = false;
                continue;
            }
            ready.get(head.lane).addLast(c);
        }
    }

    private Entry pollReady() {
        for (int tries = 0; tries < LANE_PATTERN.length + LANES; tries++) {
            int lane = tries < LANE_PATTERN.length
                    ? LANE_PATTERN[(patternPosition + tries) % LANE_PATTERN.length]
                    : tries - LANE_PATTERN.length;
            Conversation c;
            while ((c = ready.get(lane).pollFirst()) != null) {
                c.scheduled = false;
                Entry head = c.queue.peekFirst();
                if (head != null && !head.leasedNow && !head.claimed && head.lane == lane) {
                    patternPosition = (patternPosition + tries + 1) % LANE_PATTERN.length;
                    return head;
                }
                // stale: the head changed since the conversation was queued; put it where it belongs now
                schedule(c);
                if (c.scheduled && ready.get(lane).peekLast() == c) {
                    break;
                }
            }
        }
        return null;
    }
}
