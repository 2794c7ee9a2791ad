package io.wagate.policy;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.Pricing;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.events.EventLog;
import io.wagate.events.LogFollower;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.StoreException;
import io.wagate.store.WriteSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what Meta will bill, from the {@code pricing} of status webhooks (reference §4.6): each
 * priced message once, by UTC day, number, category, pricing type, billability and the recipient's
 * country ({@link CallingCodes}).
 *
 * <p>Meta prices a message twice (on {@code sent} and again on {@code delivered} or {@code read})
 * and redelivers webhooks: the meter counts a wamid the first time it sees it priced and remembers
 * it for {@link #DEDUPE_MEMORY} (Meta redelivers for at most 7 days), so both count once. The
 * first priced status decides the cell (its day, category and type).
 *
 * <p>An internal reader of the event log with its own cursor. Counts, the wamids counted and the
 * cursor are one atomic write, so a crash at any point neither loses a message nor counts one
 * twice: after a restart the meter reads again from the stored cursor, and what it had counted
 * before the cursor was written was not written either. The write is not synced: a {@code kill -9}
 * keeps it (the WAL is in the operating system's hands), a power loss may undo the last writes,
 * and with them the cursor, so the events are read and counted again, exactly once.
 *
 * <p>Storage ({@code billing} column family): {@code 'c' day(u64) phone_number_id NUL category NUL
 * type NUL billable NUL country} → count (u64); {@code 'w' wamid} → when counted (u64 ms);
 * {@code 'x' when(u64) wamid} → nothing, so expired wamids are found without a scan.
 *
 * <p>Threading: one thread, {@value #THREAD_NAME}, woken when the log's head moves; reads
 * ({@link #counts}) from any thread.
 */
public final class BillingMeter implements AutoCloseable {
    public static final String THREAD_NAME = "wagate-billing-meter";
    /** How long a counted wamid is remembered: longer than Meta redelivers a webhook (7 days). */
    public static final Duration DEDUPE_MEMORY = Duration.ofDays(30);
    /** Meter metrics: priced messages counted, and priced statuses of messages already counted. */
    public static final String COUNTED = "billing.messages_counted";
    public static final String REPEATS = "billing.pricing_repeats";
    private static final byte[] CURSOR_KEY = Keys.utf8("billing-meter");
    private static final byte COUNT = 'c';
    private static final byte WAMID = 'w';
    private static final byte EXPIRY = 'x';
    private static final int BATCH = 1_000;
    private static final int EXPIRE_BATCH = 10_000;
    private static final Logger log = LoggerFactory.getLogger(BillingMeter.class);

    private final Database db;
    private final EventLog eventLog;
    private final LongSupplier clock;
    private final Counter counted;
    private final Counter repeats;
    private final LogFollower follower;

    public BillingMeter(Database db, EventLog eventLog, MetricRegistry metrics, LongSupplier clock) {
        this.db = db;
        this.eventLog = eventLog;
        this.clock = clock;
        this.counted = metrics.counter(COUNTED);
        this.repeats = metrics.counter(REPEATS);
        this.follower = new LogFollower(db, eventLog, THREAD_NAME, CURSOR_KEY, "billing meter", this::countBatch);
    }

    public void start() {
        if (follower.every(Duration.ofHours(1), this::expireSafely)) {
            follower.start();
        }
    }

    /** The next offset to count; every priced status below it is counted. */
    public long cursor() {
        return follower.cursor();
    }

    /**
     * The counts of UTC days {@code fromDay} (inclusive) to {@code toDay} (exclusive), in key order
     * (day, number, category, type, billable, country); only of the given phone-number ids unless
     * {@code numbers} is empty.
     */
    public List<MeterCount> counts(long fromDay, long toDay, Set<String> numbers) {
        List<MeterCount> out = new ArrayList<>();
        db.scan(ColumnFamily.BILLING, countPrefix(fromDay), countPrefix(toDay), false, (k, v) -> {
            MeterCount c = decode(k, v);
            if (numbers.isEmpty() || numbers.contains(c.phoneNumberId())) {
                out.add(c);
            }
            return true;
        });
        return out;
    }

    /**
     * Waits until the meter has counted every event stored before this call; false on timeout.
     * For tests and for reports that must include what just arrived.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** Counts one batch from {@code cursor}; returns the next cursor. */
    private long countBatch(long cursor) {
        EventLog.Page page = eventLog.read(cursor, BATCH, BATCH,
                e -> e.getKind() == EventKind.STATUS && e.getStatus().hasPricing());
        if (page.nextOffset() == cursor) {
            return cursor;
        }
        WriteSet w = new WriteSet();
        Map<Key, Long> cells = new HashMap<>();
        Set<String> seen = new HashSet<>();
        long now = clock.getAsLong();
        int newly = 0;
        for (Event e : page.events()) {
            StatusUpdate s = e.getStatus();
            String wamid = s.getWamid();
            if (wamid.isEmpty() || s.getStatus().equals("failed")) {
                continue; // nothing to tell messages apart by; a failed message is not billed
            }
            if (!seen.add(wamid) || db.get(ColumnFamily.BILLING, wamidKey(wamid)) != null) {
                repeats.inc();
                continue;
            }
            Key k = keyOf(e);
            Long current = cells.get(k);
            if (current == null) {
                byte[] v = db.get(ColumnFamily.BILLING, k.encode());
                current = v == null ? 0L : Keys.u64(v, 0);
            }
            cells.put(k, current + 1);
            w.put(ColumnFamily.BILLING, wamidKey(wamid), Keys.u64(now));
            w.put(ColumnFamily.BILLING, Keys.concat(new byte[] {EXPIRY}, Keys.u64(now), Keys.utf8(wamid)), new byte[0]);
            newly++;
        }
        cells.forEach((k, n) -> w.put(ColumnFamily.BILLING, k.encode(), Keys.u64(n)));
        w.put(ColumnFamily.EVENT_CURSORS, CURSOR_KEY, Keys.u64(page.nextOffset()));
        db.writeUnsynced(w); // counts, wamids and cursor at once: see the class comment
        counted.inc(newly);
        return page.nextOffset();
    }

    private void expireSafely() {
        try {
            expire(clock.getAsLong() - DEDUPE_MEMORY.toMillis());
        } catch (RuntimeException e) {
            log.warn("forgetting old counted wamids failed, trying again in an hour: {}", e.toString());
        }
    }

    /** Forgets wamids counted before {@code beforeMillis}; runs on the meter's thread. */
    int expire(long beforeMillis) {
        int total = 0;
        while (!follower.isClosed()) {
            WriteSet w = new WriteSet();
            int[] n = {0};
            db.scan(ColumnFamily.BILLING, new byte[] {EXPIRY},
                    Keys.concat(new byte[] {EXPIRY}, Keys.u64(Math.max(0, beforeMillis))), false, (k, v) -> {
                        w.delete(ColumnFamily.BILLING, k);
                        w.delete(ColumnFamily.BILLING,
                                Keys.concat(new byte[] {WAMID}, java.util.Arrays.copyOfRange(k, 9, k.length)));
                        return ++n[0] < EXPIRE_BATCH;
                    });
            if (n[0] == 0) {
                return total;
            }
            db.writeUnsynced(w);
            total += n[0];
            if (n[0] < EXPIRE_BATCH) {
                return total;
            }
        }
        return total;
    }

    /** Forgets wamids counted before {@code beforeMillis} on the meter's thread; for tests. */
    public int expireNow(long beforeMillis) {
        try {
            return follower.submit(() -> expire(beforeMillis)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("expiring counted wamids failed", e.getCause());
        }
    }

    private static byte[] wamidKey(String wamid) {
        return Keys.concat(new byte[] {WAMID}, Keys.utf8(wamid));
    }

    private static byte[] countPrefix(long epochDay) {
        return Keys.concat(new byte[] {COUNT}, Keys.u64(Math.max(0, epochDay)));
    }

    /** The meter's cell of a priced status. */
    static Key keyOf(Event e) {
        StatusUpdate s = e.getStatus();
        Pricing p = s.getPricing();
        long millis = s.hasAt() ? Timestamps.toMillis(s.getAt())
                : e.hasOccurredAt() ? Timestamps.toMillis(e.getOccurredAt()) : Timestamps.toMillis(e.getStoredAt());
        String category = clean(p.getCategory()).replace('-', '_');
        String type = clean(p.getType());
        // Meta deprecates `billable` in favour of the type: regular is billed, free_* is not
        boolean billable = p.getType().isEmpty() ? p.getBillable() : p.getType().equals("regular");
        String recipient = !s.getRecipientId().isEmpty() ? s.getRecipientId() : e.getUser();
        return new Key(Math.floorDiv(millis, 86_400_000L), e.getPhoneNumberId(), category, type, billable,
                CallingCodes.countryOf(recipient));
    }

    private static String clean(String s) {
        String t = s.toLowerCase(Locale.ROOT).replace("\0", "");
        return t.isEmpty() ? "unknown" : t;
    }

    private static MeterCount decode(byte[] k, byte[] v) {
        String[] parts = new String(k, 9, k.length - 9, StandardCharsets.UTF_8).split("\0", -1);
        if (parts.length != 5 || v.length != 8) {
            throw new StoreException("a billing meter record does not decode", null);
        }
        return new MeterCount(Keys.u64(k, 1), parts[0], parts[1], parts[2], parts[3].equals("1"), parts[4],
                Keys.u64(v, 0));
    }

    /** A cell of the meter. */
    record Key(long epochDay, String phoneNumberId, String category, String type, boolean billable, String country) {
        byte[] encode() {
            return Keys.concat(countPrefix(epochDay), Keys.utf8(phoneNumberId.replace("\0", "") + '\0' + category + '\0'
                    + type + '\0' + (billable ? '1' : '0') + '\0' + country));
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
