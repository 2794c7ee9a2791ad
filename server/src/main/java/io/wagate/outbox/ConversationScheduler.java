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
 * The in-memory schedule of messages not yet ended: per-conversation FIFO, per-number pacing
 * gates, and priority lanes.
 *
 * <p>A conversation is a (phone-number id, recipient) pair. Only its head may be leased, and the
 * next message waits until the head ends or is submitted; so messages of one conversation reach
 * Meta in acceptance order even while the head is being retried. Ready conversations wait in their
 * number's three lanes, served by weighted round robin (high 8, normal 4, bulk 1), so a bulk
 * campaign cannot starve one-time passwords and bulk still moves. Numbers take turns, and before
 * a head is handed out the {@link SendGate} decides: pass, hold the whole number (pacing, an open
 * circuit, a pause: its conversations stay put, in order, and cost nothing while held), or hold
 * only that conversation (the recipient's pair limit).
 *
 * <p>The scheduler holds no message content and does no I/O: callers persist a state change first
 * and then tell the scheduler ({@link #add}, {@link #release}, {@link #finish}). Every entry is in
 * exactly one of: waiting, leased (a dispatcher owns it), claimed (being cancelled or expired).
 *
 * <p>Thread-safe: one lock; {@link #lease} blocks until a head may go or the timeout passes.
 */
public final class ConversationScheduler {
    static final int LANES = 3;
    private static final int[] LANE_PATTERN = {0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 2, 0};

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyChanged = lock.newCondition();
    private final LongSupplier clock;
    private volatile SendGate gate = SendGate.OPEN;
    private final Map<String, Conversation> conversations = new HashMap<>();
    private final Map<Long, Entry> entries = new HashMap<>();
    private final Map<String, NumberQueue> numbers = new HashMap<>();
    /** Unfinished messages per number and lane, kept as entries come and go (status reads them often). */
    private final Map<String, long[]> pendingCounts = new HashMap<>();
    /** Numbers with ready conversations and no hold, in turn order. */
    private final ArrayDeque<NumberQueue> turn = new ArrayDeque<>();
    private final PriorityQueue<NumberQueue> heldNumbers =
            new PriorityQueue<>((a, b) -> Long.compare(a.heldUntil, b.heldUntil));
    private final PriorityQueue<Conversation> delayed =
            new PriorityQueue<>((a, b) -> Long.compare(a.delayedUntil, b.delayedUntil));
    private final PriorityQueue<Entry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.expiresAt, b.expiresAt));
    private int leased;

    /** @param clock epoch milliseconds */
    public ConversationScheduler(LongSupplier clock) {
        this.clock = clock;
    }

    /** Sets the gate consulted before each head is handed out (default: {@link SendGate#OPEN}). */
    public void setGate(SendGate gate) {
        this.gate = gate;
        wakeAll();
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
            if (conversation.indexOf('|') < 0) {
                throw new IllegalArgumentException("a conversation key is number|recipient, got " + conversation);
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

        public int lane() {
            return lane;
        }

        public long expiresAt() {
            return expiresAt;
        }
    }

    private static final class Conversation {
        final String key;
        final String number;
        final String recipient;
        final ArrayDeque<Entry> queue = new ArrayDeque<>();
        boolean scheduled;
        long delayedUntil;

        Conversation(String key) {
            this.key = key;
            int bar = key.indexOf('|');
            this.number = key.substring(0, bar);
            this.recipient = key.substring(bar + 1);
        }
    }

    /** One number's ready conversations, by lane. */
    private static final class NumberQueue {
        final String number;
        final List<ArrayDeque<Conversation>> lanes = new ArrayList<>(LANES);
        int patternPosition;
        long heldUntil;
        boolean inTurn;
        boolean held;

        NumberQueue(String number) {
            this.number = number;
            for (int i = 0; i < LANES; i++) {
                lanes.add(new ArrayDeque<>());
            }
        }

        boolean hasReady() {
            for (ArrayDeque<Conversation> lane : lanes) {
                if (!lane.isEmpty()) {
                    return true;
                }
            }
            return false;
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
            pendingCounts.computeIfAbsent(c.number, n -> new long[LANES])[e.lane]++;
            if (c.queue.size() == 1) {
                schedule(c);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the head of a conversation that may be sent now, waiting up to {@code timeout}.
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
                long nextDue = Long.MAX_VALUE;
                if (!delayed.isEmpty()) {
                    nextDue = delayed.peek().delayedUntil;
                }
                if (!heldNumbers.isEmpty()) {
                    nextDue = Math.min(nextDue, heldNumbers.peek().heldUntil);
                }
                if (nextDue != Long.MAX_VALUE) {
                    long untilDue = TimeUnit.MILLISECONDS.toNanos(Math.max(1, nextDue - clock.getAsLong()));
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
            pendingCounts.get(c.number)[e.lane]--;
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

    /** What one number has waiting. */
    public record NumberBacklog(long pending, long[] pendingByLane, long oldestAcceptedId) {
    }

    /**
     * Pending messages per phone-number id: by lane, and the oldest one's id (for its age). The
     * counts are kept as messages come and go; the oldest is found among the conversations' heads.
     */
    public Map<String, NumberBacklog> backlogByNumber() {
        lock.lock();
        try {
            Map<String, Long> oldest = new HashMap<>();
            for (Conversation c : conversations.values()) {
                oldest.merge(c.number, c.queue.peekFirst().id, Math::min);
            }
            Map<String, NumberBacklog> out = new HashMap<>();
            pendingCounts.forEach((number, counts) -> {
                long total = counts[0] + counts[1] + counts[2];
                if (total > 0) {
                    out.put(number, new NumberBacklog(total, counts.clone(), oldest.getOrDefault(number, 0L)));
                }
            });
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Pending messages per phone-number id (for status). */
    public Map<String, Long> pendingByNumber() {
        Map<String, Long> out = new HashMap<>();
        backlogByNumber().forEach((number, b) -> out.put(number, b.pending()));
        return out;
    }

    /** Wakes threads blocked in {@link #lease} (on shutdown, or when a gate may have opened). */
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

    /** Puts a conversation whose head is waiting into its number's lane or the delay queue. Lock held. */
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
            makeReady(c, head, false);
        }
        readyChanged.signal();
    }

    private void makeReady(Conversation c, Entry head, boolean atFront) {
        NumberQueue nq = numbers.computeIfAbsent(c.number, NumberQueue::new);
        if (atFront) {
            nq.lanes.get(head.lane).addFirst(c);
        } else {
            nq.lanes.get(head.lane).addLast(c);
        }
        if (!nq.inTurn && !nq.held) {
            nq.inTurn = true;
            turn.addLast(nq);
        }
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
            makeReady(c, head, false);
        }
        while (!heldNumbers.isEmpty() && heldNumbers.peek().heldUntil <= now) {
            NumberQueue nq = heldNumbers.poll();
            nq.held = false;
            if (nq.hasReady() && !nq.inTurn) {
                nq.inTurn = true;
                turn.addLast(nq);
            }
        }
    }

    /**
     * The next head that may go, asking the gate; numbers take turns. Every round either returns,
     * delays one conversation, holds a number, or drops a number with nothing ready, so it ends.
     * Lock held.
     */
    private Entry pollReady() {
        while (!turn.isEmpty()) {
            NumberQueue nq = turn.pollFirst();
            nq.inTurn = false;
            Conversation c = nextConversation(nq);
            if (c == null) {
                continue;
            }
            Entry head = c.queue.peekFirst();
            long now = clock.getAsLong();
            SendGate.Decision d = gate.decide(c.number, c.recipient, now);
            switch (d.kind()) {
                case WAIT_NUMBER:
                    // the number sends nothing for a while: its conversations keep their places
                    nq.lanes.get(head.lane).addFirst(c);
                    nq.held = true;
                    nq.heldUntil = now + d.waitMillis();
                    heldNumbers.add(nq);
                    break;
                case WAIT_CONVERSATION:
                    // only this recipient waits; the number goes on with its other conversations
                    c.delayedUntil = now + d.waitMillis();
                    head.notBefore = c.delayedUntil;
                    delayed.add(c);
                    requeue(nq);
                    break;
                default:
                    c.scheduled = false;
                    requeue(nq);
                    return head;
            }
        }
        return null;
    }

    private void requeue(NumberQueue nq) {
        if (nq.hasReady() && !nq.inTurn && !nq.held) {
            nq.inTurn = true;
            turn.addLast(nq);
        }
    }

    /** The next ready conversation of a number by its lane pattern, dropping stale ones. Lock held. */
    private Conversation nextConversation(NumberQueue nq) {
        for (int tries = 0; tries < LANE_PATTERN.length + LANES; tries++) {
            int lane = tries < LANE_PATTERN.length
                    ? LANE_PATTERN[(nq.patternPosition + tries) % LANE_PATTERN.length]
                    : tries - LANE_PATTERN.length;
            Conversation c;
            while ((c = nq.lanes.get(lane).pollFirst()) != null) {
                Entry head = c.queue.peekFirst();
                if (head != null && !head.leasedNow && !head.claimed && head.lane == lane) {
                    nq.patternPosition = (nq.patternPosition + tries + 1) % LANE_PATTERN.length;
                    return c;
                }
                // stale: the head changed since the conversation was queued; put it where it belongs now
                c.scheduled = false;
                if (head != null && !head.leasedNow && !head.claimed && head.lane != lane) {
                    c.scheduled = true;
                    nq.lanes.get(head.lane).addLast(c);
                }
            }
        }
        return null;
    }
}
