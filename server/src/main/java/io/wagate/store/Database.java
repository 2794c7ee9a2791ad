package io.wagate.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The appliance's one RocksDB database: column families by concern ({@link ColumnFamily}), a
 * schema version, and the {@link GroupCommitWriter} through which every write that must survive a
 * crash goes.
 *
 * <p>Semantics: reads see every write whose call (or future) has returned. Writes through {@link
 * #writer()} are on disk (synced WAL) when acknowledged; {@link #writeUnsynced} is not synced and
 * may be lost on an OS crash or power loss (never on a mere process crash). Each {@link WriteSet}
 * is atomic across column families. Errors surface as {@link StoreException} and its subtypes,
 * with messages that never contain keys or values.
 *
 * <p>Threading: every method is thread-safe; reads and scans run concurrently. {@link #close()}
 * waits for running reads and scans, so never call it from inside a {@link KeyValueVisitor}.
 *
 * <pre>{@code
 * try (Database db = Database.open(StoreOptions.defaults(dataDir.resolve("db")))) {
 *   db.writer().write(new WriteSet().put(ColumnFamily.MESSAGES, Keys.u64(42), bytes));
 *   byte[] stored = db.get(ColumnFamily.MESSAGES, Keys.u64(42));
 * }
 * }</pre>
 */
public final class Database implements AutoCloseable {
  /** The schema version this build reads and writes; stored in {@link ColumnFamily#META}. */
  public static final int SCHEMA_VERSION = 1;

  private final Path directory;
  private final RocksHandles rocks;
  private final FreeSpaceGuard freeSpace;
  private final GroupCommitWriter writer;
  /** Read side: any use of the native handles. Write side: releasing them. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private Database(StoreOptions options, RocksHandles rocks) {
    this.directory = options.directory();
    this.rocks = rocks;
    this.freeSpace =
        new FreeSpaceGuard(options.freeSpaceProbe(), directory, options.minFreeBytes());
    this.writer = new GroupCommitWriter(this::commitSynced, freeSpace, options.maxGroupSize());
  }

  /**
   * Opens the database in {@code options.directory()}, creating the directory and the database
   * if missing. Existing column families are all opened (unknown ones kept), missing ones
   * created; a new database gets {@link #SCHEMA_VERSION}.
   *
   * @throws SchemaVersionException if the database has another schema version (nothing written)
   * @throws StoreLockedException if another process (or {@code Database}) has it open
   * @throws StoreException if the directory holds something that is not a Wagate database
   *     (nothing written), or RocksDB fails
   */
  public static Database open(StoreOptions options) {
    Objects.requireNonNull(options, "options");
    RocksHandles rocks = DatabaseOpener.open(options.directory());
    Database database = new Database(options, rocks);
    database.writer.start();
    return database;
  }

  /** Returns the value under {@code key} in {@code cf}, or {@code null} when absent. */
  public byte[] get(ColumnFamily cf, byte[] key) {
    Objects.requireNonNull(key, "key");
    Lock lock = acquire("reading a key");
    try {
      return rocks.db.get(rocks.handle(cf), key);
    } catch (RocksDBException e) {
      throw RocksErrors.translate("reading a key", directory, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the values under {@code keys} in {@code cf}, in the same order, with {@code null} for
   * absent keys.
   */
  public List<byte[]> multiGet(ColumnFamily cf, List<byte[]> keys) {
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      return new ArrayList<>();
    }
    Lock lock = acquire("reading keys");
    try {
      List<ColumnFamilyHandle> handles = Collections.nCopies(keys.size(), rocks.handle(cf));
      return rocks.db.multiGetAsList(handles, keys);
    } catch (RocksDBException e) {
      throw RocksErrors.translate("reading keys", directory, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Visits the entries with keys in [{@code fromInclusive}, {@code toExclusive}) in key order
   * (unsigned bytewise), or in reverse order when {@code reverse}. Both bounds are required (use
   * {@link Keys#MIN}, {@link Keys#MAX}, {@link Keys#prefixUpperBound}); they are set as the
   * iterator's lower and upper bound, so RocksDB never looks outside them. An empty or inverted
   * range visits nothing. The visitor returns {@code false} to stop. The scan sees a consistent
   * snapshot taken when it starts.
   */
  public void scan(ColumnFamily cf, byte[] fromInclusive, byte[] toExclusive, boolean reverse,
      KeyValueVisitor visitor) {
    Objects.requireNonNull(fromInclusive, "fromInclusive");
    Objects.requireNonNull(toExclusive, "toExclusive");
    Objects.requireNonNull(visitor, "visitor");
    if (Arrays.compareUnsigned(fromInclusive, toExclusive) >= 0) {
      return;
    }
    Lock lock = acquire("scanning");
    try (Slice lower = new Slice(fromInclusive);
        Slice upper = new Slice(toExclusive);
        ReadOptions read = new ReadOptions()
            .setIterateLowerBound(lower)
            .setIterateUpperBound(upper);
        RocksIterator it = rocks.db.newIterator(rocks.handle(cf), read)) {
      if (reverse) {
        it.seekToLast();
      } else {
        it.seekToFirst();
      }
      while (it.isValid()) {
        if (!visitor.visit(it.key(), it.value())) {
          return;
        }
        if (reverse) {
          it.prev();
        } else {
          it.next();
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw RocksErrors.translate("scanning", directory, e);
    } finally {
      lock.unlock();
    }
  }

  /** Returns the group-commit writer: the way to write anything that must survive a crash. */
  public GroupCommitWriter writer() {
    return writer;
  }

  /**
   * Applies {@code writes} atomically without waiting for a sync: for data that may be lost on a
   * crash (cursors, hints). Goes through the WAL, so only an OS crash or power loss can lose it.
   *
   * @throws StoreFullException if disk space is short (nothing written)
   * @throws StoreClosedException if the database is closed
   */
  public void writeUnsynced(WriteSet writes) {
    Objects.requireNonNull(writes, "writes");
    freeSpace.check();
    write("writing unsynced", List.of(writes), rocks.unsynced);
  }

  /** Returns the database directory. */
  public Path directory() {
    return directory;
  }

  /**
   * Closes the database. Idempotent. Stops the writer first (queued submissions fail with
   * {@link StoreClosedException}, a group being written finishes), waits for running reads and
   * scans, then releases the native objects (see {@code RocksHandles.close()} for the order).
   * Later calls fail with {@link StoreClosedException}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    if (lifecycle.getReadHoldCount() > 0) {
      throw new IllegalStateException("Database.close() called from inside a read or scan");
    }
    writer.close();
    lifecycle.writeLock().lock();
    try {
      closed = true;
      rocks.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** The writer's sink: one synced batch for the whole group. */
  private void commitSynced(List<WriteSet> group) {
    write("committing a group of writes", group, rocks.synced);
  }

  private void write(String operation, List<WriteSet> writes, WriteOptions writeOptions) {
    Lock lock = acquire(operation);
    try (WriteBatch batch = new WriteBatch()) {
      BatchSink sink = new BatchSink(batch, rocks);
      for (WriteSet set : writes) {
        set.applyTo(sink);
      }
      rocks.db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw RocksErrors.translate(operation, directory, e);
    } finally {
      lock.unlock();
    }
  }

  private Lock acquire(String operation) {
    Lock lock = lifecycle.readLock();
    lock.lock();
    if (closed) {
      lock.unlock();
      throw new StoreClosedException(operation + ": the database is closed", null);
    }
    return lock;
  }

  /** Adds write set operations to a RocksDB batch. */
  private static final class BatchSink implements WriteSet.OperationSink<RocksDBException> {
    private final WriteBatch batch;
    private final RocksHandles rocks;

    BatchSink(WriteBatch batch, RocksHandles rocks) {
      this.batch = batch;
      this.rocks = rocks;
    }

    @Override
    public void put(ColumnFamily cf, byte[] key, byte[] value) throws RocksDBException {
      batch.put(rocks.handle(cf), key, value);
    }

    @Override
    public void delete(ColumnFamily cf, byte[] key) throws RocksDBException {
      batch.delete(rocks.handle(cf), key);
    }
  }
}
