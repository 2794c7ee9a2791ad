package io.wagate.events;

import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What one consumer group has read, delivered and had acknowledged: a state machine without
 * threads or I/O, driven by {@link ConsumerGroups} under this object's lock.
 *
 * <p>Order per conversation: the events of a conversation that are out (delivered, not acked)
 * always form a prefix of its buffered events and all went to one member, whose stream keeps them
 * in order; the next event of that conversation goes to the same member, and to any member once
 * nothing of it is out. When an event is redelivered (nack, ack deadline, member gone), the later
 * events of its conversation that were out are redelivered with it, in order.
 *
 * <p>Memory: at most {@link #bufferCap()} events are held, however slow the members are.
 */
final class GroupState {
    static final int MIN_BUFFER = 1_000;
    static final int MAX_BUFFER = 20_000;

    final String name;
    final long createdAtMillis;
    EventFilter filter;
    Predicate<Event> matcher;
    long committed;
    long persistedCommitted;
    long readCursor;
    long redelivered;
    final List<MemberState> members = new ArrayList<>();
    private final TreeMap<Long, Entry> buffer = new TreeMap<>();
    private final Map<String, Conversation> conversations = new HashMap<>();
    private final LinkedHashSet<Conversation> ready = new LinkedHashSet<>();
    private final ArrayDeque<Delivery> deadlines = new ArrayDeque<>();
    private long deliverySeq;
    private int nextMember;

    GroupState(String name, EventFilter filter, long committed, long createdAtMillis) {
        this.name = name;
        this.createdAtMillis = createdAtMillis;
        this.committed = committed;
        this.persistedCommitted = committed;
        this.readCursor = committed;
        setFilter(filter);
    }

    void setFilter(EventFilter f) {
        filter = f;
        matcher = EventFilters.matcher(f);
    }

    int bufferCap() {
        int want = 0;
        for (MemberState m : members) {
            want += m.maxInFlight;
        }
        return Math.max(MIN_BUFFER, Math.min(MAX_BUFFER, 2 * want));
    }

    int buffered() {
        return buffer.size();
    }

    /** Deliveries whose ack deadline is still being watched (about what is out). */
    int deadlinesHeld() {
        return deadlines.size();
    }

    long inFlight() {
        long n = 0;
        for (MemberState m : members) {
            n += m.outstanding;
        }
        return n;
    }

    /** Takes events read from the log at {@code readCursor}; {@code nextOffset} is where reading goes on. */
    void take(List<Event> events, long nextOffset) {
        for (Event e : events) {
            Entry entry = new Entry(e, conversations.computeIfAbsent(EventFilters.conversationOf(e), Conversation::new));
            buffer.put(e.getOffset(), entry);
            entry.conv.entries.add(entry);
            ready.add(entry.conv);
        }
        readCursor = Math.max(readCursor, nextOffset);
        advanceCommitted();
    }

    /** Hands out events to members with room, in conversation order; returns how many went out. */
    int deliver(long nowNanos, int max) {
        int sent = 0;
        boolean progress = true;
        boolean roomLeft = true;
        while (progress && roomLeft && sent < max && !ready.isEmpty()) {
            progress = false;
            Iterator<Conversation> it = ready.iterator();
            List<Conversation> again = new ArrayList<>(); // served this pass, more to send: to the back
            while (it.hasNext() && sent < max) {
                Conversation c = it.next();
                MemberState m = c.bound != null ? (c.bound.canTake() ? c.bound : null) : pickMember();
                if (m == null) {
                    if (c.bound == null) {
                        roomLeft = false; // nobody has room
                        break;
                    }
                    continue;
                }
                Entry e = c.entries.get(c.outstanding);
                e.member = m;
                e.seq = ++deliverySeq;
                if (e.deliveries++ > 0) {
                    redelivered++;
                }
                c.outstanding++;
                c.bound = m;
                m.outstanding++;
                deadlines.add(new Delivery(e, e.seq, nowNanos + m.ackDeadlineNanos));
                m.lastSentNanos = nowNanos;
                m.sink.send(e.event);
                sent++;
                progress = true;
                it.remove();
                if (c.outstanding < c.entries.size()) {
                    again.add(c);
                }
            }
            ready.addAll(again);
        }
        return sent;
    }

    private MemberState pickMember() {
        int n = members.size();
        for (int i = 0; i < n; i++) {
            MemberState m = members.get((nextMember + i) % n);
            if (m.canTake()) {
                nextMember = (nextMember + i + 1) % n;
                return m;
            }
        }
        return null;
    }

    /** An ack from any member; unknown or already acknowledged offsets are ignored. */
    void ack(long offset) {
        Entry e = buffer.remove(offset);
        if (e == null) {
            return;
        }
        e.acked = true;
        Conversation c = e.conv;
        int index = c.entries.indexOf(e);
        if (e.member != null) { // out events are the prefix: removing one keeps it a prefix
            e.member.outstanding--;
            c.outstanding--;
        }
        c.entries.remove(index);
        if (c.outstanding == 0) {
            c.bound = null;
        }
        if (c.entries.isEmpty()) {
            conversations.remove(c.key);
            ready.remove(c);
        } else if (c.outstanding < c.entries.size()) {
            ready.add(c);
        }
        advanceCommitted();
        pruneDeadlines();
    }

    /**
     * Drops deadlines of deliveries that were acknowledged or taken back since, from the front:
     * acks come roughly in delivery order, so the deque holds about what is out, not every
     * delivery of the last ack deadline (and the events they point to).
     */
    private void pruneDeadlines() {
        while (!deadlines.isEmpty() && !deadlines.peekFirst().live()) {
            deadlines.pollFirst();
        }
    }

    /** Delivers this event again soon, with the later events of its conversation that are out. */
    void nack(long offset) {
        Entry e = buffer.get(offset);
        if (e != null && e.member != null) {
            takeBack(e.conv, e.conv.entries.indexOf(e));
        }
    }

    /** Takes back events whose ack deadline passed; returns how many deliveries expired. */
    int expire(long nowNanos) {
        int n = 0;
        while (!deadlines.isEmpty() && deadlines.peekFirst().deadlineNanos - nowNanos <= 0) {
            Delivery d = deadlines.pollFirst();
            if (d.live()) {
                takeBack(d.entry.conv, d.entry.conv.entries.indexOf(d.entry));
                n++;
            }
        }
        return n;
    }

    /** A member left: everything it had out goes to the others. */
    void remove(MemberState m) {
        members.remove(m);
        for (Conversation c : conversations.values()) {
            if (c.bound == m) {
                takeBack(c, 0);
            }
        }
        if (nextMember >= Math.max(1, members.size())) {
            nextMember = 0;
        }
    }

    private void takeBack(Conversation c, int from) {
        for (int i = from; i < c.outstanding; i++) {
            Entry e = c.entries.get(i);
            e.member.outstanding--;
            e.member = null;
        }
        c.outstanding = Math.min(c.outstanding, from);
        if (c.outstanding == 0) {
            c.bound = null;
        }
        ready.add(c);
    }

    /** Forgets everything read and delivered; reading starts again at {@code offset}. */
    void rewind(long offset) {
        buffer.values().forEach(e -> e.acked = true); // their deadlines no longer count
        buffer.clear();
        conversations.clear();
        ready.clear();
        deadlines.clear();
        for (MemberState m : members) {
            m.outstanding = 0;
        }
        committed = offset;
        readCursor = offset;
    }

    private void advanceCommitted() {
        committed = buffer.isEmpty() ? readCursor : buffer.firstKey();
    }

    /** One member's stream, as the group sees it. */
    static final class MemberState {
        final String name;
        final int maxInFlight;
        final long ackDeadlineNanos;
        final GroupMember sink;
        int outstanding;
        long lastSentNanos;

        MemberState(String name, int maxInFlight, long ackDeadlineNanos, GroupMember sink) {
            this.name = name;
            this.maxInFlight = maxInFlight;
            this.ackDeadlineNanos = ackDeadlineNanos;
            this.sink = sink;
        }

        boolean canTake() {
            return outstanding < maxInFlight && sink.isReady();
        }
    }

    private static final class Conversation {
        final String key;
        final List<Entry> entries = new ArrayList<>();
        int outstanding;
        MemberState bound;

        Conversation(String key) {
            this.key = key;
        }
    }

    private static final class Entry {
        final Event event;
        final Conversation conv;
        MemberState member;
        long seq;
        int deliveries;
        boolean acked;

        Entry(Event event, Conversation conv) {
            this.event = event;
            this.conv = conv;
        }
    }

    private record Delivery(Entry entry, long seq, long deadlineNanos) {
        /** Still out as this delivery: not acknowledged, not taken back or sent again since. */
        boolean live() {
            return entry.seq == seq && entry.member != null && !entry.acked;
        }
    }
}
