package io.wagate.policy;

import io.wagate.config.ClientQuotaConfig;
import io.wagate.config.PolicyConfig;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.WriteSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage of each internal client against its limits ({@code policy.clients}): sends per minute
 * (a token bucket of {@code messages_per_minute} tokens refilled evenly over a minute, in memory)
 * and per UTC day (counted in memory, kept durably).
 *
 * <p>Clients without an entry of their own share the {@value PolicyConfig#DEFAULT_CLIENT} entry's
 * budget, if there is one; otherwise they have no limits.
 *
 * <p>Durability of the day's usage: a write per send would cost the hot path a database write, so
 * the counts are flushed every {@link #FLUSH_INTERVAL} (synced) and on close. A crash loses at
 * most the sends accepted in the last flush interval from the day's count: the quota may then let
 * through that many more sends that day, never fewer. A restart reads the day's count back.
 * Storage: {@code billing} column family, {@code 'q' day(u64) client} → sends (u64).
 *
 * <p>Thread-safe: each client's state is locked on its own; the flush runs on
 * {@value #THREAD_NAME}.
 */
public final class ClientQuotas implements AutoCloseable {
    public static final String THREAD_NAME = "wagate-quota-flush";
    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    private static final byte USAGE = 'q';
    private static final long DAY_MS = 86_400_000L;
    private static final Logger log = LoggerFactory.getLogger(ClientQuotas.class);

    private final Database db;
    private final Map<String, Budget> budgets = new LinkedHashMap<>();
    private final ScheduledExecutorService flusher;

    public ClientQuotas(Database db, Map<String, ClientQuotaConfig> clients) {
        this.db = db;
        clients.forEach((name, q) -> budgets.put(name, new Budget(name, q)));
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        flusher.scheduleWithFixedDelay(this::flushSafely, FLUSH_INTERVAL.toMillis(), FLUSH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Whether any client has limits. */
    public boolean isEmpty() {
        return budgets.isEmpty();
    }

    /**
     * Takes one send of {@code category} (marketing, utility, authentication, service; null when
     * unknown) by {@code client} at {@code nowMillis} from its budget.
     *
     * @throws PolicyException DENIED {@code CATEGORY_NOT_ALLOWED}, or EXHAUSTED {@code CLIENT_QUOTA}
     *     naming the client, the limit and when it resets; nothing is taken then
     */
    public void take(String client, String category, String what, long nowMillis) {
        Budget b = budgets.get(client);
        if (b == null) {
            b = budgets.get(PolicyConfig.DEFAULT_CLIENT);
            if (b == null) {
                return;
            }
        }
        b.take(client, category, what, nowMillis);
    }

    /** Sends counted today (the UTC day of {@code nowMillis}) against the budget {@code entry}. */
    public long usedToday(String entry, long nowMillis) {
        Budget b = budgets.get(entry);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            b.roll(Math.floorDiv(nowMillis, DAY_MS));
            return b.used;
        }
    }

    /** Writes every changed day count now, synced. */
    public void flush() {
        WriteSet w = new WriteSet();
        for (Budget b : budgets.values()) {
            synchronized (b) {
                if (b.dirty) {
                    w.put(ColumnFamily.BILLING, usageKey(b.day, b.name), Keys.u64(b.used));
                    b.dirty = false;
                }
            }
        }
        if (!w.isEmpty()) {
            db.writer().write(w);
        }
    }

    private void flushSafely() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("writing per-client usage failed, trying again in {}: {}", FLUSH_INTERVAL, e.toString());
        }
    }

    private static byte[] usageKey(long day, String name) {
        return Keys.concat(new byte[] {USAGE}, Keys.u64(day), Keys.utf8(name));
    }

    /** One entry of {@code policy.clients}: its bucket and its day's count. */
    private final class Budget {
        final String name;
        final ClientQuotaConfig limits;
        final double perMilli;
        double tokens;
        long refilledAt = Long.MIN_VALUE;
        long day = Long.MIN_VALUE;
        long used;
        boolean dirty;

        Budget(String name, ClientQuotaConfig limits) {
            this.name = name;
            this.limits = limits;
            this.perMilli = limits.messagesPerMinute() == null ? 0 : limits.messagesPerMinute() / 60_000.0;
            this.tokens = limits.messagesPerMinute() == null ? 0 : limits.messagesPerMinute();
        }

        synchronized void take(String client, String category, String what, long now) {
            String who = (client.isEmpty() ? "the anonymous client (no wagate-client header)" : "client '" + client + "'")
                    + (name.equals(client) ? ""
                    : " (under the '" + PolicyConfig.DEFAULT_CLIENT + "' quota of clients without their own)");
            if (!limits.allows(category)) {
                throw new PolicyException(PolicyException.Kind.DENIED, "CATEGORY_NOT_ALLOWED", 0, who + " may send "
                        + String.join(", ", limits.categories()) + " only; " + (category == null
                        ? what + " is of an unknown category (not in the template catalogue)"
                        : what + " is " + category));
            }
            roll(Math.floorDiv(now, DAY_MS));
            Long perMinute = limits.messagesPerMinute();
            if (perMinute != null) {
                if (refilledAt != Long.MIN_VALUE && now > refilledAt) {
                    tokens = Math.min(perMinute, tokens + (now - refilledAt) * perMilli);
                }
                refilledAt = Math.max(refilledAt, now);
                if (tokens < 1) {
                    long waitMs = (long) Math.ceil((1 - tokens) / perMilli);
                    throw new PolicyException(PolicyException.Kind.EXHAUSTED, "CLIENT_QUOTA", 0, who
                            + " has used its " + perMinute + " messages per minute; the next send is possible in "
                            + waitMs + " ms (at " + Instant.ofEpochMilli(now + waitMs) + ")");
                }
            }
            Long perDay = limits.messagesPerDay();
            if (perDay != null && used >= perDay) {
                throw new PolicyException(PolicyException.Kind.EXHAUSTED, "CLIENT_QUOTA", 0, who + " has used its "
                        + perDay + " messages per day; the quota resets at "
                        + LocalDate.ofEpochDay(day + 1) + "T00:00:00Z");
            }
            if (perMinute != null) {
                tokens -= 1;
            }
            used++;
            dirty = true;
        }

        /** Moves to {@code today}, reading its count back from the store after a restart. */
        void roll(long today) {
            if (today == day) {
                return;
            }
            if (dirty) {
                flushSafelyLater();
            }
            byte[] v = db.get(ColumnFamily.BILLING, usageKey(today, name));
            day = today;
            used = v == null ? 0 : Keys.u64(v, 0);
            dirty = false;
        }

        /** The day is over but its last count is not written: write it off this thread. */
        private void flushSafelyLater() {
            WriteSet w = new WriteSet().put(ColumnFamily.BILLING, usageKey(day, name), Keys.u64(used));
            db.writer().submit(w);
        }
    }

    /** The budget's entry name a client's sends count against, if any. */
    public Optional<String> entryOf(String client) {
        if (budgets.containsKey(client)) {
            return Optional.of(client);
        }
        return budgets.containsKey(PolicyConfig.DEFAULT_CLIENT) ? Optional.of(PolicyConfig.DEFAULT_CLIENT)
                : Optional.empty();
    }

    /** Stops flushing and writes what is left. Idempotent. */
    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("writing per-client usage at close failed: {}", e.toString());
        }
    }
}
