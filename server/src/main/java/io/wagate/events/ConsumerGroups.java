package io.wagate.events;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.Group;
import io.wagate.api.v1.StartPosition;
import io.wagate.api.v1.SubscribeRequest;
import io.wagate.config.EventsConfig;
import io.wagate.outbox.InvalidRequestException;
import io.wagate.outbox.WrongStateException;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.StoreException;
import io.wagate.store.WriteSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer groups over the {@link EventLog}: who reads what, with acks, redelivery, rewind and
 * durable committed offsets.
 *
 * <p>Threading: every group's state is guarded by this object's lock. Events are handed to
 * members only on the delivery thread ({@value #THREAD_NAME}), which also checks ack deadlines,
 * sends heartbeats, persists committed offsets and applies retention; callers on gRPC threads
 * change state under the lock and wake it.
 *
 * <p>Committed offsets are written through the group-commit writer a few times a second, not on
 * every ack: after a crash a group may see the last acknowledged events again (at least once).
 */
public final class ConsumerGroups implements AutoCloseable {
    public static final String THREAD_NAME = "wagate-event-delivery";
    static final int DEFAULT_MAX_IN_FLIGHT = 100;
    static final int MAX_MAX_IN_FLIGHT = 10_000;
    static final long DEFAULT_ACK_DEADLINE_MS = 30_000;
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int DELIVER_BATCH = 2_000;
    private static final int READ_SCAN_LIMIT = 4_096;
    private static final int RETENTION_BATCH = 10_000;
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroups.class);

    private final Database db;
    private final EventLog eventLog;
    private final EventsConfig config;
    private final LongSupplier clock;
    private final Map<String, GroupState> groups = new TreeMap<>();
    private final ScheduledExecutorService delivery;
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final Queue<Runnable> memberOps = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public ConsumerGroups(Database db, EventLog eventLog, EventsConfig config, LongSupplier clock) {
        this.db = db;
        this.eventLog = eventLog;
        this.config = config;
        this.clock = clock;
        db.scan(ColumnFamily.EVENT_GROUPS, Keys.MIN, Keys.MAX, false, (k, v) -> {
            Group g = decode(v);
            groups.put(g.getName(), new GroupState(g.getName(), g.getFilter(), g.getCommittedOffset(),
                    Timestamps.toMillis(g.getCreatedAt())));
            return true;
        });
        this.delivery = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        eventLog.onHeadAdvanced(this::wake);
        delivery.scheduleWithFixedDelay(this::tick, 200, 200, TimeUnit.MILLISECONDS);
        delivery.scheduleWithFixedDelay(this::applyRetention, 1, 60, TimeUnit.SECONDS);
    }

    /**
     * Joins (creating if new) a group. The start position counts only for a new group; an
     * existing one resumes at its committed offset.
     *
     * @throws InvalidRequestException for a bad name, filter, start, limit or deadline
     * @throws WrongStateException when the group has other filters and members connected
     */
    public Subscription join(SubscribeRequest.Open open, GroupMember sink) {
        String name = open.getGroup();
        checkName(name, "open.group");
        EventFilters.validate(open.getFilter(), "open.filter");
        int maxInFlight = open.getMaxInFlight() == 0 ? DEFAULT_MAX_IN_FLIGHT : open.getMaxInFlight();
        if (maxInFlight > MAX_MAX_IN_FLIGHT) {
            throw InvalidRequestException.of("open.max_in_flight", "must be at most " + MAX_MAX_IN_FLIGHT
                    + ", was " + maxInFlight);
        }
        long deadlineMs = open.hasAckDeadline() ? Durations.toMillis(open.getAckDeadline()) : DEFAULT_ACK_DEADLINE_MS;
        if (deadlineMs < 1_000 || deadlineMs > 600_000) {
            throw InvalidRequestException.of("open.ack_deadline", "must be between 1s and 10m, was "
                    + Durations.toString(open.getAckDeadline()));
        }
        String member = open.getMember().isEmpty() ? "member" : open.getMember();
        GroupState.MemberState m = new GroupState.MemberState(member, maxInFlight,
                TimeUnit.MILLISECONDS.toNanos(deadlineMs), sink);
        synchronized (this) {
            checkOpen();
            GroupState g = groups.get(name);
            if (g == null) {
                long start = resolve(open.getStart(), "open.start");
                g = new GroupState(name, open.getFilter(), start, clock.getAsLong());
                persist(g);
                groups.put(name, g);
            } else if (!EventFilters.same(g.filter, open.getFilter())) {
                if (!g.members.isEmpty()) {
                    throw new WrongStateException("group " + name + " reads with other filters (" + describe(g.filter)
                            + ") and has members connected; use another group name, or close them first");
                }
                g.setFilter(open.getFilter());
                g.rewind(g.committed);
                persist(g);
            }
            g.members.add(m);
            wake();
            return new Subscription(g, m);
        }
    }

    /** A member's handle on its group. */
    public final class Subscription {
        private final GroupState group;
        private final GroupState.MemberState member;

        private Subscription(GroupState group, GroupState.MemberState member) {
            this.group = group;
            this.member = member;
        }

        /**
         * Acks and nacks; applied on the delivery thread (a client answering inside its onNext
         * must not change a group while it is being delivered from).
         */
        public void ack(List<Long> offsets, List<Long> nacks) {
            memberOps.add(() -> {
                offsets.forEach(group::ack);
                nacks.forEach(group::nack);
            });
            wake();
        }

        /** The stream can take more. */
        public void ready() {
            wake();
        }

        /** The stream is gone: what this member had out goes to the others. */
        public void leave() {
            memberOps.add(() -> group.remove(member));
            wake();
        }

        public String group() {
            return group.name;
        }
    }

    public synchronized List<Group> list() {
        List<Group> out = new ArrayList<>();
        for (GroupState g : groups.values()) {
            out.add(describe(g));
        }
        return out;
    }

    /** Moves a group's committed offset; its members get events again from there. */
    public Group rewind(String name, StartPosition to) {
        checkName(name, "group");
        synchronized (this) {
            GroupState g = find(name);
            long offset = resolve(to, "to");
            g.rewind(offset);
            persist(g);
            List<GroupMember> sinks = new ArrayList<>();
            g.members.forEach(m -> sinks.add(m.sink));
            delivery.execute(() -> {
                synchronized (this) {
                    sinks.forEach(s -> s.rewound(offset));
                }
            });
            wake();
            return describe(g);
        }
    }

    /** Deletes a group; its members' streams end. */
    public void delete(String name) {
        checkName(name, "group");
        synchronized (this) {
            GroupState g = find(name);
            groups.remove(name);
            db.writer().write(new WriteSet().delete(ColumnFamily.EVENT_GROUPS, Keys.utf8(name)));
            List<GroupMember> sinks = new ArrayList<>();
            g.members.forEach(m -> sinks.add(m.sink));
            g.members.clear();
            delivery.execute(() -> {
                synchronized (this) {
                    sinks.forEach(s -> s.close(new GroupClosedException("group " + name + " was deleted", false)));
                }
            });
        }
    }

    /** The offset a start position names; latest is the next event to be stored. */
    public long resolve(StartPosition p, String field) {
        switch (p.getPositionCase()) {
            case EARLIEST:
                return eventLog.first();
            case OFFSET:
                return Math.max(p.getOffset(), 1);
            case TIME:
                try {
                    return eventLog.offsetAt(Timestamps.toMillis(Timestamps.checkValid(p.getTime())));
                } catch (IllegalArgumentException e) {
                    throw InvalidRequestException.of(field + ".time", "is not a valid time: " + e.getMessage());
                }
            case LATEST:
            case POSITION_NOT_SET:
            default:
                return eventLog.head() + 1;
        }
    }

    private GroupState find(String name) {
        GroupState g = groups.get(name);
        if (g == null) {
            throw new GroupNotFoundException(name);
        }
        return g;
    }

    private Group describe(GroupState g) {
        long head = eventLog.head();
        Group.Builder b = Group.newBuilder()
                .setName(g.name)
                .setFilter(g.filter)
                .setCommittedOffset(g.committed)
                .setHeadOffset(head)
                .setLag(Math.max(0, head + 1 - Math.max(g.committed, eventLog.first())))
                .setInFlight(g.inFlight())
                .setCreatedAt(Timestamps.fromMillis(g.createdAtMillis))
                .setRedelivered(g.redelivered);
        g.members.forEach(m -> b.addMembers(m.name));
        return b.build();
    }

    private static String describe(EventFilter f) {
        return "numbers " + f.getNumbersList() + ", kinds " + f.getKindsList();
    }

    /**
     * Runs {@code task} on the delivery thread, the only thread that writes to subscription
     * streams; runs it at once if delivery has stopped.
     */
    public void onDeliveryThread(Runnable task) {
        try {
            delivery.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            task.run();
        }
    }

    private void wake() {
        if (!closed && pumpScheduled.compareAndSet(false, true)) {
            try {
                delivery.execute(this::pump);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pumpScheduled.set(false);
            }
        }
    }

    /** Fills every group's buffer from the log and hands out what members have room for. */
    private void pump() {
        pumpScheduled.set(false);
        boolean more = false;
        try {
            synchronized (this) {
                for (Runnable op = memberOps.poll(); op != null; op = memberOps.poll()) {
                    op.run();
                }
                long now = System.nanoTime();
                for (GroupState g : groups.values()) {
                    if (g.members.isEmpty()) {
                        continue;
                    }
                    fill(g);
                    if (g.deliver(now, DELIVER_BATCH) == DELIVER_BATCH) {
                        more = true;
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("event delivery failed, trying again shortly: {}", e.toString());
        }
        if (more) {
            wake();
        }
    }

    private void fill(GroupState g) {
        long head = eventLog.head();
        int cap = g.bufferCap();
        while (g.buffered() < cap && g.readCursor <= head) {
            EventLog.Page page = eventLog.read(g.readCursor, cap - g.buffered(), READ_SCAN_LIMIT, g.matcher);
            g.take(page.events(), page.nextOffset());
            if (page.events().isEmpty() && page.nextOffset() > head) {
                break;
            }
        }
    }

    /** Ack deadlines, heartbeats and committed offsets, a few times a second. */
    private void tick() {
        try {
            long now = System.nanoTime();
            List<Runnable> heartbeats = new ArrayList<>();
            synchronized (this) {
                for (GroupState g : groups.values()) {
                    g.expire(now);
                    if (g.committed != g.persistedCommitted) {
                        persist(g);
                    }
                }
            }
            pump();
            synchronized (this) {
                long head = eventLog.head();
                for (GroupState g : groups.values()) {
                    for (GroupState.MemberState m : g.members) {
                        if (now - m.lastSentNanos > HEARTBEAT_NANOS) {
                            m.lastSentNanos = now;
                            heartbeats.add(() -> m.sink.heartbeat(head));
                        }
                    }
                }
                heartbeats.forEach(Runnable::run);
            }
        } catch (RuntimeException e) {
            log.warn("event delivery housekeeping failed, trying again shortly: {}", e.toString());
        }
    }

    private void applyRetention() {
        try {
            long before = clock.getAsLong() - config.retention().toMillis();
            int n;
            long total = 0;
            do {
                n = eventLog.deleteOlderThan(before, RETENTION_BATCH);
                total += n;
            } while (n == RETENTION_BATCH && !closed);
            if (total > 0) {
                log.info("deleted {} events older than the retention of {}", total, config.retention());
            }
        } catch (RuntimeException e) {
            log.warn("event retention failed, trying again in a minute: {}", e.toString());
        }
    }

    /** Writes a group's committed offset without waiting; a lost write only means redelivery. */
    private void persist(GroupState g) {
        long committed = g.committed;
        db.writer().submit(new WriteSet().put(ColumnFamily.EVENT_GROUPS, Keys.utf8(g.name), record(g).toByteArray()))
                .whenComplete((ok, err) -> {
                    if (err != null) {
                        log.warn("could not store the committed offset of group {}: {}", g.name, err.toString());
                    }
                });
        g.persistedCommitted = committed;
    }

    private static Group record(GroupState g) {
        return Group.newBuilder().setName(g.name).setFilter(g.filter).setCommittedOffset(g.committed)
                .setCreatedAt(Timestamps.fromMillis(g.createdAtMillis)).build();
    }

    private static void checkName(String name, String field) {
        if (!GROUP_NAME.matcher(name).matches()) {
            throw InvalidRequestException.of(field, "must be 1-128 letters, digits, '.', '_' or '-', was '"
                    + (name.length() > 140 ? name.substring(0, 140) + "..." : name) + "'");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new io.wagate.store.StoreClosedException("the appliance is stopping", null);
        }
    }

    private static Group decode(byte[] v) {
        try {
            return Group.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("a consumer group record does not decode: " + e.getMessage(), e);
        }
    }

    /** Stores committed offsets, ends every subscription (members should reconnect), stops. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                WriteSet w = new WriteSet();
                for (GroupState g : groups.values()) {
                    if (g.committed != g.persistedCommitted) {
                        w.put(ColumnFamily.EVENT_GROUPS, Keys.utf8(g.name), record(g).toByteArray());
                    }
                }
                if (!w.isEmpty()) {
                    db.writer().write(w);
                }
            } catch (RuntimeException e) {
                log.warn("could not store committed offsets at stop (they are read again): {}", e.toString());
            }
        }
        delivery.execute(() -> {
            synchronized (this) {
                for (GroupState g : groups.values()) {
                    g.members.forEach(m -> m.sink.close(new GroupClosedException("Wagate is stopping", true)));
                }
            }
        });
        delivery.shutdown();
        try {
            delivery.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
