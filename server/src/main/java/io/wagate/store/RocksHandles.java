package io.wagate.store;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every long-lived native object of one open database, and the one place that releases them.
 *
 * <p>Immutable after construction; the handles may be used concurrently until {@link #close()},
 * which the owner ({@link Database}) calls exactly once, when no other thread uses them.
 */
final class RocksHandles implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RocksHandles.class);

  final RocksDB db;
  /** Every family of the database, ours and unknown ones, in the order opened. */
  private final List<ColumnFamilyHandle> allHandles;
  private final Map<ColumnFamily, ColumnFamilyHandle> handles;
  private final RocksTuning tuning;
  final WriteOptions synced;
  final WriteOptions unsynced;

  RocksHandles(
      RocksDB db,
      List<ColumnFamilyHandle> allHandles,
      Map<ColumnFamily, ColumnFamilyHandle> handles,
      RocksTuning tuning) {
    this.db = db;
    this.allHandles = List.copyOf(allHandles);
    this.handles = new EnumMap<>(handles);
    this.tuning = tuning;
    this.synced = new WriteOptions().setSync(true);
    // Still goes through the WAL, so a process crash loses nothing; only an OS crash or power
    // loss can drop the tail.
    this.unsynced = new WriteOptions().setSync(false);
  }

  ColumnFamilyHandle handle(ColumnFamily cf) {
    ColumnFamilyHandle handle = handles.get(cf);
    if (handle == null) {
      throw new IllegalArgumentException("unknown column family " + cf);
    }
    return handle;
  }

  List<ColumnFamilyHandle> allHandles() {
    return allHandles;
  }

  /**
   * Releases, in this order: column family handles (they point into the database), the database
   * (flushes nothing, the WAL holds everything), the write options, then the option objects the
   * database was opened with, including the block cache and bloom filter they share.
   */
  @Override
  public void close() {
    for (ColumnFamilyHandle handle : allHandles) {
      handle.close();
    }
    try {
      db.closeE();
    } catch (RocksDBException e) {
      // Everything acknowledged is in the synced WAL; a failed close only leaves work for the
      // next open's recovery.
      log.warn("closing the database reported an error; the next open will recover", e);
    }
    synced.close();
    unsynced.close();
    tuning.close();
  }
}
