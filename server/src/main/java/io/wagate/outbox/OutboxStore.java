package io.wagate.outbox;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.Message;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.StoreException;
import io.wagate.store.WriteSet;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * How messages are laid out in the database.
 *
 * <ul>
 *   <li>{@code messages}: id (u64) → the {@link Message} as callers see it, content included;
 *   <li>{@code pending}: id → the same message without content, for messages not yet ended; the
 *       scheduler is rebuilt from this alone, so a restart never reads finished history;
 *   <li>{@code by_recipient}: recipient, 0, id → empty; for listing by recipient;
 *   <li>{@code idempotency}: client, 0, key → id (u64) and acceptance time (u64 millis);
 *   <li>{@code idempotency_by_time}: acceptance time (u64 millis), client, 0, key → empty; so keys
 *       past the dedupe window are forgotten without scanning all keys.
 * </ul>
 *
 * <p>Every change of state is one atomic write across these families. Durable writes go through
 * the group-commit writer; the returned future completes once they are synced.
 */
public final class OutboxStore {
    private final Database db;

    public OutboxStore(Database db) {
        this.db = db;
    }

    /** Stores a new message and, when given, its idempotency key. */
    public CompletableFuture<Void> insert(Message m, byte[] idempotencyKey) {
        long id = MessageIds.parse(m.getId());
        WriteSet w = new WriteSet()
                .put(ColumnFamily.MESSAGES, Keys.u64(id), m.toByteArray())
                .put(ColumnFamily.PENDING, Keys.u64(id), pendingView(m).toByteArray())
                .put(ColumnFamily.BY_RECIPIENT, recipientKey(m.getTo(), id), new byte[0]);
        if (idempotencyKey != null) {
            long acceptedAt = Timestamps.toMillis(m.getAcceptedAt());
            w.put(ColumnFamily.IDEMPOTENCY, idempotencyKey, ByteBuffer.allocate(16).putLong(id).putLong(acceptedAt).array());
            w.put(ColumnFamily.IDEMPOTENCY_BY_TIME, Keys.concat(Keys.u64(acceptedAt), idempotencyKey), new byte[0]);
        }
        return db.writer().submit(w);
    }

    /** Stores a new state of an existing message; an ended message leaves {@code pending}. */
    public CompletableFuture<Void> update(Message m, boolean ended) {
        return db.writer().submit(updateOf(m, ended));
    }

    /** Adds to {@code w} the new record of a message that has already left {@code pending}. */
    public void putEnded(WriteSet w, Message m) {
        w.put(ColumnFamily.MESSAGES, Keys.u64(MessageIds.parse(m.getId())), m.toByteArray());
    }

    /** Writes durably what {@link #updateOf} (or several of them) prepared. */
    public CompletableFuture<Void> write(WriteSet w) {
        return db.writer().submit(w);
    }

    /** The write {@link #update} makes, to combine several messages into one batch. */
    public WriteSet updateOf(Message m, boolean ended) {
        long id = MessageIds.parse(m.getId());
        WriteSet w = new WriteSet().put(ColumnFamily.MESSAGES, Keys.u64(id), m.toByteArray());
        if (ended) {
            w.delete(ColumnFamily.PENDING, Keys.u64(id));
        } else {
            w.put(ColumnFamily.PENDING, Keys.u64(id), pendingView(m).toByteArray());
        }
        return w;
    }

    /** The message with this id, or null. */
    public Message get(long id) {
        return decode(db.get(ColumnFamily.MESSAGES, Keys.u64(id)));
    }

    /** The id stored under an idempotency key if it was accepted at or after {@code notBeforeMillis}. */
    public OptionalLong findIdempotent(byte[] key, long notBeforeMillis) {
        byte[] v = db.get(ColumnFamily.IDEMPOTENCY, key);
        if (v == null || v.length != 16) {
            return OptionalLong.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        long id = b.getLong();
        long acceptedAt = b.getLong();
        return acceptedAt >= notBeforeMillis ? OptionalLong.of(id) : OptionalLong.empty();
    }

    /**
     * Forgets idempotency keys accepted before {@code beforeMillis}, at most {@code limit} per call,
     * oldest first. A key that was reused after it expired keeps its newer entry.
     *
     * @param fromMillis where the previous call stopped (keys before it are gone already)
     * @return how many keys were forgotten and where the next call starts
     */
    public KeySweep forgetIdempotencyKeys(long fromMillis, long beforeMillis, int limit) {
        WriteSet w = new WriteSet();
        long[] next = {fromMillis};
        int[] n = {0};
        db.scan(ColumnFamily.IDEMPOTENCY_BY_TIME, Keys.u64(fromMillis), Keys.u64(beforeMillis), false, (k, v) -> {
            long acceptedAt = Keys.u64(k, 0);
            byte[] key = java.util.Arrays.copyOfRange(k, 8, k.length);
            byte[] entry = db.get(ColumnFamily.IDEMPOTENCY, key);
            if (entry != null && entry.length == 16 && ByteBuffer.wrap(entry, 8, 8).getLong() == acceptedAt) {
                w.delete(ColumnFamily.IDEMPOTENCY, key);
            }
            w.delete(ColumnFamily.IDEMPOTENCY_BY_TIME, k);
            next[0] = acceptedAt;
            return ++n[0] < limit;
        });
        if (!w.isEmpty()) {
            // losing this on a crash only means the keys are forgotten again later
            db.writeUnsynced(w);
        }
        return new KeySweep(n[0], n[0] < limit ? Math.max(fromMillis, beforeMillis) : next[0]);
    }

    /** What one call of {@link #forgetIdempotencyKeys} did. */
    public record KeySweep(int forgotten, long resumeFromMillis) {
    }

    /** Visits every message not yet ended, in id order, as stored in {@code pending}. */
    public void forEachPending(Consumer<Message> visitor) {
        db.scan(ColumnFamily.PENDING, Keys.MIN, Keys.MAX, false, (k, v) -> {
            visitor.accept(decode(v));
            return true;
        });
    }

    /** The highest message id ever stored, or 0. */
    public long maxId() {
        long[] max = {0};
        db.scan(ColumnFamily.MESSAGES, Keys.MIN, Keys.MAX, true, (k, v) -> {
            max[0] = Keys.u64(k, 0);
            return false;
        });
        return max[0];
    }

    /**
     * Visits messages newest first with ids in [fromId, toIdExclusive), optionally only those to
     * one recipient, until the visitor returns false.
     */
    public void scanNewestFirst(String recipient, long fromId, long toIdExclusive, MessageVisitor visitor) {
        if (recipient == null || recipient.isEmpty()) {
            db.scan(ColumnFamily.MESSAGES, Keys.u64(fromId), Keys.u64(toIdExclusive), true,
                    (k, v) -> visitor.visit(Keys.u64(k, 0), decode(v)));
            return;
        }
        db.scan(ColumnFamily.BY_RECIPIENT, recipientKey(recipient, fromId), recipientKey(recipient, toIdExclusive), true,
                (k, v) -> {
                    long id = Keys.u64(k, k.length - 8);
                    Message m = get(id);
                    return m == null || visitor.visit(id, m);
                });
    }

    /** Visitor of {@link #scanNewestFirst}. */
    @FunctionalInterface
    public interface MessageVisitor {
        /** @return false to stop */
        boolean visit(long id, Message m);
    }

    /** The idempotency key of a client: client, 0, key. */
    public static byte[] idempotencyKey(String client, String key) {
        return Keys.concat(Keys.utf8(client), new byte[] {0}, Keys.utf8(key));
    }

    private static byte[] recipientKey(String recipient, long id) {
        return Keys.concat(Keys.utf8(recipient), new byte[] {0}, Keys.u64(id));
    }

    /** What the scheduler needs after a restart: everything but the content. */
    private static Message pendingView(Message m) {
        return m.toBuilder().clearRequest().build();
    }

    private static Message decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return Message.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("decoding a stored message failed", e);
        }
    }
}
