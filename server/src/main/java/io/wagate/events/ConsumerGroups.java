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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer groups over the {@link EventLog}: who reads what, with acks, redelivery, rewind and
 * durable committed offsets.
 *
 * <p>Threading: each group is a {@link Lane}: its state is guarded by the lock of its {@link
 * GroupState}, and everything that changes it or writes to its members' streams (deliveries,
 * acks, member changes, deadlines, heartbeats, the end of a stream) runs as a task of that lane,
 * one at a time, on a small pool ({@value #THREAD_NAME}-N). Groups are thus delivered in
 * parallel, and a slow group delays only itself. Callers on gRPC threads enqueue and wake.
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
    /** Delivery threads: groups beyond this share them, a lane at a time. */
    private static final int DELIVERY_THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroups.class);

    private final Database db;
    private final EventLog eventLog;
    private final EventsConfig config;
    private final LongSupplier clock;
    /** Groups by name; changed under this object's lock, iterated without it. */
    private final Map<String, Lane> groups = new ConcurrentSkipListMap<>();
    private final ExecutorService delivery;
    private final ScheduledExecutorService housekeeping;
    private volatile boolean closed;

    public ConsumerGroups(Database db, EventLog eventLog, EventsConfig config, LongSupplier clock) {
        this.db = db;
        this.eventLog = eventLog;
        this.config = config;
        this.clock = clock;
        db.scan(ColumnFamily.EVENT_GROUPS, Keys.MIN, Keys.MAX, false, (k, v) -> {
            Group g = decode(v);
            groups.put(g.getName(), new Lane(new GroupState(g.getName(), g.getFilter(), g.getCommittedOffset(),
                    Timestamps.toMillis(g.getCreatedAt()))));
            return true;
        });
        AtomicInteger threads = new AtomicInteger();
        this.delivery = Executors.newFixedThreadPool(DELIVERY_THREADS, r -> daemon(r, THREAD_NAME + "-" + threads.incrementAndGet()));
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "wagate-event-housekeeping"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public void start() {
        eventLog.onHeadAdvanced(this::wakeAll);
        housekeeping.scheduleWithFixedDelay(this::tick, 200, 200, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::applyRetention, 1, 60, TimeUnit.SECONDS);
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
        Lane lane;
        synchronized (this) {
            checkOpen();
            lane = groups.get(name);
            if (lane == null) {
                long start = resolve(open.getStart(), "open.start");
                lane = new Lane(new GroupState(name, open.getFilter(), start, clock.getAsLong()));
                persist(lane.state);
                groups.put(name, lane);
            }
        }
        GroupState g = lane.state;
        synchronized (g) {
            if (lane.deleted) {
                throw new GroupNotFoundException(name); // deleted between the lookup and now
            }
            if (!EventFilters.same(g.filter, open.getFilter())) {
                if (!g.members.isEmpty()) {
                    throw new WrongStateException("group " + name + " reads with other filters (" + describe(g.filter)
                            + ") and has members connected; use another group name, or close them first");
                }
                g.setFilter(open.getFilter());
                g.rewind(g.committed);
                persist(g);
            }
            g.members.add(m);
        }
        lane.wake();
        return new Subscription(lane, m);
    }

    /** A member's handle on its group. */
    public final class Subscription {
        private final Lane lane;
        private final GroupState.MemberState member;

        private Subscription(Lane lane, GroupState.MemberState member) {
            this.lane = lane;
            this.member = member;
        }

        /**
         * Acks and nacks; applied in the group's lane (a client answering inside its onNext must
         * not change a group while it is being delivered from).
         */
        public void ack(List<Long> offsets, List<Long> nacks) {
            GroupState g = lane.state;
            lane.run(() -> {
                offsets.forEach(g::ack);
                nacks.forEach(g::nack);
            });
        }

        /** The stream can take more. */
        public void ready() {
            lane.wake();
        }

        /** The stream is gone: what this member had out goes to the others. */
        public void leave() {
            lane.run(() -> lane.state.remove(member));
        }

        /**
         * Runs {@code task} in the group's lane, after what was enqueued before it: the only place,
         * besides deliveries, where this member's stream may be written (to end it).
         */
        public void inLane(Runnable task) {
            lane.run(task);
        }

        public String group() {
            return lane.state.name;
        }
    }

    public List<Group> list() {
        List<Group> out = new ArrayList<>();
        for (Lane lane : groups.values()) {
            synchronized (lane.state) {
                if (!lane.deleted) {
                    out.add(describe(lane.state));
                }
            }
        }
        return out;
    }

    /** Moves a group's committed offset; its members get events again from there. */
    public Group rewind(String name, StartPosition to) {
        checkName(name, "group");
        Lane lane = find(name);
        long offset = resolve(to, "to");
        GroupState g = lane.state;
        synchronized (g) {
            g.rewind(offset);
            persist(g);
            List<GroupMember> sinks = new ArrayList<>();
            g.members.forEach(m -> sinks.add(m.sink));
            lane.run(() -> sinks.forEach(s -> s.rewound(offset)));
            return describe(g);
        }
    }

    /** Deletes a group; its members' streams end. */
    public void delete(String name) {
        checkName(name, "group");
        Lane lane;
        synchronized (this) {
            lane = find(name);
            groups.remove(name);
            db.writer().write(new WriteSet().delete(ColumnFamily.EVENT_GROUPS, Keys.utf8(name)));
        }
        lane.run(() -> {
            lane.deleted = true;
            GroupState g = lane.state;
            g.members.forEach(m -> m.sink.close(new GroupClosedException("group " + name + " was deleted", false)));
            g.members.clear();
        });
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

    private Lane find(String name) {
        Lane lane = groups.get(name);
        if (lane == null) {
            throw new GroupNotFoundException(name);
        }
        return lane;
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

    private void wakeAll() {
        for (Lane lane : groups.values()) {
            lane.wake();
        }
    }

    /**
     * One group and the serial execution of everything that touches it: tasks queue up and run
     * one at a time under the group's lock, then the group is filled from the log and delivered.
     */
    private final class Lane {
        private static final int IDLE = 0;
        private static final int SCHEDULED = 1;
        private static final int RUNNING = 2;
        private static final int RUNNING_WOKEN = 3;

        final GroupState state;
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        /** At most one pump of this lane is queued or running, so a stuck group holds one thread. */
        final AtomicInteger pumpState = new AtomicInteger(IDLE);
        /** Housekeeping is queued and not yet run: the next tick need not queue it again. */
        final AtomicBoolean housekeepingDue = new AtomicBoolean();
        /** Set in the lane once the group is deleted; guarded by the state's lock. */
        boolean deleted;

        Lane(GroupState state) {
            this.state = state;
        }

        void run(Runnable task) {
            tasks.add(task);
            if (closed) {
                drain(); // delivery has stopped: run it here, still one at a time
            } else {
                wake();
            }
        }

        void wake() {
            while (!closed) {
                int s = pumpState.get();
                if (s == SCHEDULED || s == RUNNING_WOKEN) {
                    return;
                }
                if (s == RUNNING) {
                    if (pumpState.compareAndSet(RUNNING, RUNNING_WOKEN)) {
                        return;
                    }
                } else if (pumpState.compareAndSet(IDLE, SCHEDULED)) {
                    submit();
                    return;
                }
            }
        }

        private void submit() {
            try {
                delivery.execute(this::pump);
            } catch (RejectedExecutionException stopped) {
                pumpState.set(IDLE);
                drain();
            }
        }

        private void drain() {
            synchronized (state) {
                runTasks();
            }
        }

        /** Runs what is queued; the caller holds the state's lock. */
        private void runTasks() {
            for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
                t.run();
            }
        }

        /** Runs queued tasks, fills the buffer from the log, hands out what members have room for. */
        private void pump() {
            pumpState.set(RUNNING);
            boolean more = false;
            try {
                synchronized (state) {
                    runTasks();
                    if (!deleted && !state.members.isEmpty()) {
                        fill(state);
                        more = state.deliver(System.nanoTime(), DELIVER_BATCH) == DELIVER_BATCH;
                    }
                }
            } catch (RuntimeException e) {
                log.warn("event delivery of group {} failed, trying again shortly: {}", state.name, e.toString());
            }
            if (!more && pumpState.compareAndSet(RUNNING, IDLE)) {
                return;
            }
            pumpState.set(SCHEDULED); // woken meanwhile, or more to send: to the back of the pool's queue
            if (closed) {
                pumpState.set(IDLE);
            } else {
                submit();
            }
        }

        /** Ack deadlines, the committed offset and heartbeats. */
        private void housekeep(long nowNanos) {
            GroupState g = state;
            if (deleted) {
                return;
            }
            g.expire(nowNanos);
            if (g.committed != g.persistedCommitted) {
                persist(g);
            }
            long head = eventLog.head();
            for (GroupState.MemberState m : g.members) {
                if (nowNanos - m.lastSentNanos > HEARTBEAT_NANOS) {
                    m.lastSentNanos = nowNanos;
                    m.sink.heartbeat(head);
                }
            }
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

    /** Ack deadlines, heartbeats and committed offsets, a few times a second, in each group's lane. */
    private void tick() {
        long now = System.nanoTime();
        for (Lane lane : groups.values()) {
            if (lane.housekeepingDue.compareAndSet(false, true)) {
                lane.run(() -> {
                    lane.housekeepingDue.set(false);
                    lane.housekeep(now);
                });
            }
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
        }
        housekeeping.shutdown();
        delivery.shutdown();
        try {
            delivery.awaitTermination(5, TimeUnit.SECONDS);
            housekeeping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WriteSet w = new WriteSet();
        for (Lane lane : groups.values()) {
            lane.run(() -> {
                GroupState g = lane.state;
                if (g.committed != g.persistedCommitted) {
                    w.put(ColumnFamily.EVENT_GROUPS, Keys.utf8(g.name), record(g).toByteArray());
                }
                g.members.forEach(m -> m.sink.close(new GroupClosedException("Wagate is stopping", true)));
            });
        }
        try {
            if (!w.isEmpty()) {
                db.writer().write(w);
            }
        } catch (RuntimeException e) {
            log.warn("could not store committed offsets at stop (they are read again): {}", e.toString());
        }
    }
}
