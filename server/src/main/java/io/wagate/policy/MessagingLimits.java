package io.wagate.policy;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.Alert;
import io.wagate.api.v1.ContactWindow;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.Message;
import io.wagate.events.EventLog;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.WriteSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portfolio's messaging limit (reference §3.3): at most {@code limit} unique users reached
 * outside their customer-service window in a moving 24 hours, shared by all numbers.
 *
 * <p>The dispatcher asks {@link #admit} for every message just before it goes to Meta. A message
 * to a user whose window is open passes and does not count. Otherwise the user counts (from now
 * for 24 hours; a user already counted passes and the 24 hours start again). When the limit is
 * reached, a MARKETING template to a user not yet counted is held: {@link Admission#heldUntil}
 * is when the earliest counted user leaves the moving window and frees room. Other messages
 * (utility, authentication templates, free-form) are never held; they count, which can take the
 * count past the limit. At {@value #WARN_PERCENT} % an {@code ALERT} event
 * ({@code messaging_limit_warning}) is stored once per crossing.
 *
 * <p>Durable: the reach set is in the {@code messaging_reach} column family (user → last reach),
 * written before the request goes out (unsynced; the dispatcher's next synced write carries it),
 * and read back on start, so a restart forgets nobody. A reach whose send Meta refused is undone
 * ({@link #undo}).
 *
 * <p>Thread-safe: one lock; {@link #admit} does one or two single-key reads (the window).
 */
public final class MessagingLimits {
    public static final int WARN_PERCENT = 80;
    public static final Duration WINDOW = Duration.ofHours(24);
    public static final String WARNING_CODE = "messaging_limit_warning";
    /** Metric names. */
    public static final String REACHED = "policy.messaging_limit.users_reached";
    public static final String LIMIT = "policy.messaging_limit.limit";
    public static final String HELD = "policy.messaging_limit.held";
    public static final String WARNINGS = "policy.messaging_limit.warnings";
    private static final byte USER = 'u';
    private static final byte[] WARNED_KEY = {'w'};
    private static final Logger log = LoggerFactory.getLogger(MessagingLimits.class);

    private final long limit;
    private final long warnAt;
    private final Database db;
    private final ContactWindows windows;
    private final EventLog events;
    private final LongSupplier clock;
    private final Map<String, Long> lastReach = new HashMap<>();
    private final TreeSet<Map.Entry<String, Long>> byTime = new TreeSet<>(
            Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).thenComparing(Map.Entry::getKey));
    private final Counter held;
    private final Counter warnings;
    private boolean warned;

    /**
     * What {@link #admit} decided.
     *
     * @param heldUntil epoch millis when a held message may be tried again; 0 when it may go now
     * @param reason    why it is held ("" when it may go)
     * @param reserved  the reach it made, to {@link #undo} if Meta refuses the message; null for none
     */
    public record Admission(long heldUntil, String reason, Reservation reserved) {
        public boolean held() {
            return heldUntil > 0;
        }
    }

    /** A user counted by one message; {@code previous} is the user's reach before it (0: none). */
    public record Reservation(String user, long at, long previous) {
    }

    /**
     * @param limit the tier as a number of users ({@link Long#MAX_VALUE}: unlimited, nothing is
     *              tracked); any positive number, so tests may use small ones; the configuration
     *              accepts only Meta's tiers
     */
    public MessagingLimits(long limit, Database db, ContactWindows windows, EventLog events, MetricRegistry metrics,
                           LongSupplier clock) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the messaging limit must be > 0, got " + limit);
        }
        this.limit = limit;
        this.warnAt = limit == Long.MAX_VALUE ? Long.MAX_VALUE : (limit * WARN_PERCENT + 99) / 100;
        this.db = db;
        this.windows = windows;
        this.events = events;
        this.clock = clock;
        this.held = metrics.counter(HELD);
        this.warnings = metrics.counter(WARNINGS);
        metrics.gauge(REACHED, () -> (Gauge<Integer>) this::reached);
        metrics.gauge(LIMIT, () -> (Gauge<Long>) () -> this.limit);
        load();
    }

    private void load() {
        long horizon = clock.getAsLong() - WINDOW.toMillis();
        WriteSet stale = new WriteSet();
        db.scan(ColumnFamily.MESSAGING_REACH, Keys.MIN, Keys.MAX, false, (k, v) -> {
            if (k.length == 1 && k[0] == WARNED_KEY[0]) {
                warned = true;
            } else if (k.length > 1 && k[0] == USER) {
                long at = Keys.u64(v, 0);
                if (at > horizon) {
                    put(new String(k, 1, k.length - 1, java.nio.charset.StandardCharsets.UTF_8), at);
                } else {
                    stale.delete(ColumnFamily.MESSAGING_REACH, k);
                }
            }
            return true;
        });
        rearm(stale);
        if (!stale.isEmpty()) {
            db.writeUnsynced(stale);
        }
    }

    /** The limit in users ({@link Long#MAX_VALUE}: unlimited). */
    public long limit() {
        return limit;
    }

    /** Unique users reached outside their window in the last 24 hours. */
    public synchronized int reached() {
        expire(clock.getAsLong());
        return lastReach.size();
    }

    /**
     * Decides whether {@code m} may go to Meta now and, if it reaches a user outside the window,
     * counts the user (durably, unsynced).
     */
    public Admission admit(Message m, long now) {
        if (limit == Long.MAX_VALUE || windowOpen(m.getFrom(), m.getTo(), now)) {
            return new Admission(0, "", null); // the window is read outside the lock
        }
        return admitOutsideWindow(m, now);
    }

    private synchronized Admission admitOutsideWindow(Message m, long now) {
        String user = ConsentRegistry.normalizeUser(m.getTo());
        expire(now);
        Long previous = lastReach.get(user);
        if (previous == null && lastReach.size() >= limit && "MARKETING".equals(m.getTemplateCategory())) {
            long until = byTime.first().getValue() + WINDOW.toMillis();
            if (m.getState() != io.wagate.api.v1.State.HELD) {
                held.inc();
            }
            return new Admission(until, "the messaging limit of " + limit + " unique users reached outside the"
                    + " customer-service window in a moving 24 hours is reached (" + lastReach.size() + " users);"
                    + " this marketing template to a new user is held until the earliest of them leaves the window"
                    + " at " + Instant.ofEpochMilli(until), null);
        }
        WriteSet w = new WriteSet();
        put(user, now);
        w.put(ColumnFamily.MESSAGING_REACH, userKey(user), Keys.u64(now));
        Optional<Event> alert = crossed(now, w);
        db.writeUnsynced(w);
        alert.ifPresent(this::store);
        return new Admission(0, "", new Reservation(user, now, previous == null ? 0 : previous));
    }

    /** Meta refused the message that made {@code r}: the user did not get it, so it does not count. */
    public synchronized void undo(Reservation r) {
        if (r == null || !Long.valueOf(r.at()).equals(lastReach.get(r.user()))) {
            return; // a later message reached the user since
        }
        WriteSet w = new WriteSet();
        remove(r.user());
        if (r.previous() > 0 && r.previous() > clock.getAsLong() - WINDOW.toMillis()) {
            put(r.user(), r.previous());
            w.put(ColumnFamily.MESSAGING_REACH, userKey(r.user()), Keys.u64(r.previous()));
        } else {
            w.delete(ColumnFamily.MESSAGING_REACH, userKey(r.user()));
        }
        rearm(w);
        db.writeUnsynced(w);
    }

    private boolean windowOpen(String phoneNumberId, String to, long now) {
        String user = ConsentRegistry.normalizeUser(to);
        Optional<ContactWindow> w = windows.get(phoneNumberId, user);
        if (w.isEmpty() && !user.equals(to)) {
            w = windows.get(phoneNumberId, to);
        }
        return w.isPresent() && w.get().hasWindowClosesAt() && Timestamps.toMillis(w.get().getWindowClosesAt()) > now;
    }

    private void expire(long now) {
        long horizon = now - WINDOW.toMillis();
        WriteSet w = new WriteSet();
        while (!byTime.isEmpty() && byTime.first().getValue() <= horizon) {
            Map.Entry<String, Long> e = byTime.pollFirst();
            lastReach.remove(e.getKey());
            w.delete(ColumnFamily.MESSAGING_REACH, userKey(e.getKey()));
        }
        if (!w.isEmpty()) {
            rearm(w);
            db.writeUnsynced(w);
        }
    }

    /** Below the warning level again: the next crossing warns again. */
    private void rearm(WriteSet w) {
        if (warned && lastReach.size() < warnAt) {
            warned = false;
            w.delete(ColumnFamily.MESSAGING_REACH, WARNED_KEY);
        }
    }

    private Optional<Event> crossed(long now, WriteSet w) {
        if (warned || lastReach.size() < warnAt) {
            return Optional.empty();
        }
        warned = true;
        w.put(ColumnFamily.MESSAGING_REACH, WARNED_KEY, new byte[] {1});
        warnings.inc();
        String text = lastReach.size() + " of the messaging limit of " + limit + " unique users were reached outside"
                + " their customer-service window in the last 24 hours (" + WARN_PERCENT + " % or more); at "
                + limit + " marketing templates to new users are held until room frees";
        log.warn("ALERT {}", text);
        return Optional.of(Event.newBuilder()
                .setId("alert:" + WARNING_CODE + ":" + now)
                .setKind(EventKind.ALERT)
                .setOccurredAt(Timestamps.fromMillis(now))
                .setAlert(Alert.newBuilder().setCode(WARNING_CODE).setMessage(text))
                .build());
    }

    private void store(Event alert) {
        events.append(List.of(alert)).whenComplete((r, err) -> {
            if (err != null) {
                log.warn("could not store the messaging limit alert: {}", err.toString());
            }
        });
    }

    private void put(String user, long at) {
        Long old = lastReach.put(user, at);
        if (old != null) {
            byTime.remove(Map.entry(user, old));
        }
        byTime.add(Map.entry(user, at));
    }

    private void remove(String user) {
        Long old = lastReach.remove(user);
        if (old != null) {
            byTime.remove(Map.entry(user, old));
        }
    }

    private static byte[] userKey(String user) {
        return Keys.concat(new byte[] {USER}, Keys.utf8(user));
    }
}
