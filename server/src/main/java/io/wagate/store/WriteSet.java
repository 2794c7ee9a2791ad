package io.wagate.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pure-Java description of a batch of puts and deletes across column families; applied
 * atomically, in the order added (a later operation on the same key wins).
 *
 * <p>Build it on one thread, then hand it to {@link GroupCommitWriter#submit} or {@link
 * Database#writeUnsynced}; it is not thread-safe. Key and value arrays are not copied: do not
 * modify them after adding them.
 *
 * <pre>{@code
 * db.writer().write(new WriteSet()
 *     .put(ColumnFamily.MESSAGES, Keys.u64(id), message)
 *     .delete(ColumnFamily.PENDING, Keys.u64(id)));
 * }</pre>
 */
public final class WriteSet {
  /** Per-operation overhead RocksDB adds in a batch (tag, column family id, length varints). */
  private static final int OPERATION_OVERHEAD_BYTES = 8;

  private final List<Operation> operations = new ArrayList<>();
  private long estimatedBytes;

  /** Adds a put of {@code value} under {@code key} in {@code cf}; returns this. */
  public WriteSet put(ColumnFamily cf, byte[] key, byte[] value) {
    Objects.requireNonNull(cf, "cf");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    operations.add(new Operation(cf, key, value));
    estimatedBytes += OPERATION_OVERHEAD_BYTES + key.length + value.length;
    return this;
  }

  /** Adds a delete of {@code key} in {@code cf} (a no-op if absent); returns this. */
  public WriteSet delete(ColumnFamily cf, byte[] key) {
    Objects.requireNonNull(cf, "cf");
    Objects.requireNonNull(key, "key");
    operations.add(new Operation(cf, key, null));
    estimatedBytes += OPERATION_OVERHEAD_BYTES + key.length;
    return this;
  }

  /** Returns whether no operation was added. */
  public boolean isEmpty() {
    return operations.isEmpty();
  }

  /** Returns the number of operations added. */
  public int size() {
    return operations.size();
  }

  /** Returns an estimate of the bytes this set adds to the write-ahead log. */
  public long estimatedBytes() {
    return estimatedBytes;
  }

  /** Feeds every operation, in order, to {@code sink}. */
  <E extends Exception> void applyTo(OperationSink<E> sink) throws E {
    for (Operation op : operations) {
      if (op.value == null) {
        sink.delete(op.cf, op.key);
      } else {
        sink.put(op.cf, op.key, op.value);
      }
    }
  }

  /** Receives the operations of a write set; implemented over a RocksDB {@code WriteBatch}. */
  interface OperationSink<E extends Exception> {
    void put(ColumnFamily cf, byte[] key, byte[] value) throws E;

    void delete(ColumnFamily cf, byte[] key) throws E;
  }

  private record Operation(ColumnFamily cf, byte[] key, byte[] value) {}
}
