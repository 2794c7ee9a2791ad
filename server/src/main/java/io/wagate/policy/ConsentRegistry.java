package io.wagate.policy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wagate.api.v1.ConsentChange;
import io.wagate.api.v1.ConsentRecord;
import io.wagate.api.v1.ConsentState;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.StoreException;
import io.wagate.store.WriteSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The consent ledger: per (our phone-number id, user) the latest opt-in or opt-out, what caused
 * it, and the {@value #HISTORY} changes before it.
 *
 * <p>Durable in the {@code consent} column family, one record per key {@code phoneNumberId/user}.
 * Users are kept as Meta's wa_id (digits only), so {@code +1 650-555-1234} and {@code 16505551234}
 * are the same user; a business-scoped user id is kept as given.
 *
 * <p>Changes from events ({@link #apply}) only move forward in time: an event older than the
 * record's latest change (in whole seconds, as Meta gives them), or one already recorded (same message and state), changes nothing, so a
 * replay after a crash is harmless. A change through the API ({@link #set}) always applies.
 *
 * <p>Thread-safe: every read-modify-write holds this registry's lock until it is written.
 */
public final class ConsentRegistry {
    /** Earlier changes kept per user, besides the current one. */
    public static final int HISTORY = 10;
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ().\\-]*");

    private final Database db;

    public ConsentRegistry(Database db) {
        this.db = db;
    }

    /**
     * The form users are kept in: a phone number (with or without +, spaces, dashes) becomes its
     * digits; anything else (a business-scoped user id) is kept trimmed.
     */
    public static String normalizeUser(String user) {
        String u = user.strip();
        if (!PHONE.matcher(u).matches()) {
            return u;
        }
        StringBuilder digits = new StringBuilder(u.length()); // on every marketing send: no regex replace
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }

    /** The record of this user with this number, if any change was ever recorded. */
    public Optional<ConsentRecord> get(String phoneNumberId, String user) {
        byte[] v = db.get(ColumnFamily.CONSENT, key(phoneNumberId, normalizeUser(user)));
        return v == null ? Optional.empty() : Optional.of(decode(v));
    }

    /** Records a change unconditionally (the API); returns once it is durable (synced). */
    public ConsentRecord set(String phoneNumberId, String user, ConsentChange change) {
        String u = normalizeUser(user);
        synchronized (this) {
            ConsentRecord updated = with(get(phoneNumberId, u).orElse(null), phoneNumberId, u, change);
            WriteSet w = new WriteSet().put(ColumnFamily.CONSENT, key(phoneNumberId, u), updated.toByteArray());
            db.writer().write(w); // synced, under the lock: the next change must read this one
            return updated;
        }
    }

    /**
     * Adds a change found in an event to {@code w} unless it is older than the latest change or
     * already recorded; {@code batch} holds records changed earlier in the same batch. The caller
     * writes {@code w} while holding {@link #lock()}.
     *
     * @return the updated record, or empty when nothing changed
     */
    public Optional<ConsentRecord> apply(String phoneNumberId, String user, ConsentChange change,
                                         Map<String, ConsentRecord> batch, WriteSet w) {
        String u = normalizeUser(user);
        if (u.isEmpty() || phoneNumberId.isEmpty()) {
            return Optional.empty();
        }
        String k = phoneNumberId + '/' + u;
        ConsentRecord current = batch.containsKey(k) ? batch.get(k) : get(phoneNumberId, u).orElse(null);
        // Meta's times have whole seconds: within the same second the event log's order decides
        if (current != null && (change.getAt().getSeconds() < current.getCurrent().getAt().getSeconds()
                || alreadyRecorded(current, change))) {
            return Optional.empty();
        }
        ConsentRecord updated = with(current, phoneNumberId, u, change);
        batch.put(k, updated);
        w.put(ColumnFamily.CONSENT, key(phoneNumberId, u), updated.toByteArray());
        return Optional.of(updated);
    }

    /** The lock {@link #apply} callers hold from reading to writing their batch. */
    public Object lock() {
        return this;
    }

    /** A page of {@link #list}: the records and where the next page starts ("" at the end). */
    public record Page(List<ConsentRecord> records, String nextPageToken) {
    }

    /**
     * Records in key order (number, then user), of one number or all (null), matching
     * {@code filter}; at most {@code pageSize}. {@code pageToken} is a previous page's token.
     *
     * @throws IllegalArgumentException for a token that is not one of ours
     */
    public Page list(String phoneNumberId, Predicate<ConsentRecord> filter, int pageSize, String pageToken) {
        byte[] prefix = phoneNumberId == null ? Keys.MIN : Keys.utf8(phoneNumberId + '/');
        byte[] from = prefix;
        byte[] to = phoneNumberId == null ? Keys.MAX : Keys.prefixUpperBound(prefix);
        if (!pageToken.isEmpty()) {
            if (pageToken.indexOf('/') <= 0 || (phoneNumberId != null && !pageToken.startsWith(phoneNumberId + '/'))) {
                throw new IllegalArgumentException("is not a token from a previous response");
            }
            from = Keys.utf8(pageToken);
        }
        List<ConsentRecord> out = new ArrayList<>();
        String[] next = {""};
        db.scan(ColumnFamily.CONSENT, from, to, false, (k, v) -> {
            ConsentRecord r = decode(v);
            if (!filter.test(r)) {
                return true;
            }
            if (out.size() == pageSize) {
                next[0] = r.getPhoneNumberId() + '/' + r.getUser();
                return false;
            }
            out.add(r);
            return true;
        });
        return new Page(out, next[0]);
    }

    private static boolean alreadyRecorded(ConsentRecord r, ConsentChange c) {
        if (c.getMessageId().isEmpty()) {
            return r.getCurrent().getState() == c.getState() && r.getCurrent().getSource() == c.getSource()
                    && r.getCurrent().getAt().equals(c.getAt());
        }
        if (same(r.getCurrent(), c)) {
            return true;
        }
        for (ConsentChange h : r.getHistoryList()) {
            if (same(h, c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(ConsentChange a, ConsentChange b) {
        return a.getMessageId().equals(b.getMessageId()) && a.getState() == b.getState()
                && a.getSource() == b.getSource();
    }

    private static ConsentRecord with(ConsentRecord current, String phoneNumberId, String user, ConsentChange c) {
        ConsentRecord.Builder b = ConsentRecord.newBuilder().setPhoneNumberId(phoneNumberId).setUser(user)
                .setCurrent(c);
        if (current != null) {
            b.addHistory(current.getCurrent());
            current.getHistoryList().stream().limit(HISTORY - 1).forEach(b::addHistory);
        }
        return b.build();
    }

    /** Whether the latest change opted the user out. */
    public static boolean optedOut(ConsentRecord r) {
        return r.getCurrent().getState() == ConsentState.OPTED_OUT;
    }

    private static byte[] key(String phoneNumberId, String user) {
        return Keys.utf8(phoneNumberId + '/' + user);
    }

    private static ConsentRecord decode(byte[] v) {
        try {
            return ConsentRecord.parseFrom(v);
        } catch (InvalidProtocolBufferException ex) {
            throw new StoreException("a consent record does not decode: " + ex.getMessage(), ex);
        }
    }
}
