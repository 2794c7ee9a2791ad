package io.wagate.store;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Filter;
import org.rocksdb.LRUCache;

/**
 * The long-lived RocksDB option objects of one database, tuned for a small (2-core) host.
 *
 * <p>Owns every native object it creates; {@link #close()} releases them in reverse order of
 * dependency and must only run after the database using them is closed. Not thread-safe: used by
 * the opening thread, then only closed.
 */
final class RocksTuning implements AutoCloseable {
  /**
   * The largest memtable. RocksDB's automatic recovery from a full disk waits until this much is
   * free (it must be able to flush one), hence the default free-space floor matches it.
   */
  static final long LARGEST_WRITE_BUFFER_BYTES = 64L << 20;

  /** Messages carry the payloads: a big memtable means fewer, larger flushes. */
  private static final long MESSAGES_WRITE_BUFFER_BYTES = LARGEST_WRITE_BUFFER_BYTES;

  /** Index-like families hold small records; smaller memtables keep memory modest. */
  private static final long SMALL_WRITE_BUFFER_BYTES = 16L << 20;

  /** One block cache for all families, so a cold family lends its share to a hot one. */
  private static final long BLOCK_CACHE_BYTES = 64L << 20;

  private final Cache blockCache = new LRUCache(BLOCK_CACHE_BYTES);
  private final Filter bloomFilter = new BloomFilter(10);
  private final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> columnFamilyOptions = new ArrayList<>();

  RocksTuning() {
    dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        // Two cores: one flush and one compaction thread; more would only fight the writer.
        .setIncreaseParallelism(2)
        .setMaxBackgroundJobs(2)
        // Write SST data back in 1 MiB steps so a flush never queues a burst of dirty pages in
        // front of the group commit's WAL fsync.
        .setBytesPerSync(1L << 20)
        // With several families a quiet one would pin old WAL files forever; past this size
        // RocksDB flushes it so the WAL can be recycled.
        .setMaxTotalWalSize(256L << 20)
        // The info LOG is for post-mortems, not an archive.
        .setMaxLogFileSize(16L << 20)
        .setKeepLogFileNum(5);
  }

  DBOptions dbOptions() {
    return dbOptions;
  }

  /** Options for the column family named {@code cfName}, including families unknown to us. */
  ColumnFamilyOptions columnFamilyOptions(String cfName) {
    long writeBuffer = ColumnFamily.MESSAGES.cfName().equals(cfName)
        ? MESSAGES_WRITE_BUFFER_BYTES
        : SMALL_WRITE_BUFFER_BYTES;
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(blockCache)
        // Point lookups (idempotency keys, message ids) mostly miss or hit one file; a 10-bit
        // bloom filter skips the others.
        .setFilterPolicy(bloomFilter)
        .setCacheIndexAndFilterBlocks(true)
        .setPinL0FilterAndIndexBlocksInCache(true);
    ColumnFamilyOptions options = new ColumnFamilyOptions()
        .setWriteBufferSize(writeBuffer)
        .setTableFormatConfig(table)
        // LZ4 is cheap enough for two cores; ZSTD only on the bottom level, written rarely.
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
    columnFamilyOptions.add(options);
    return options;
  }

  /** Releases the options first, then the cache and filter they refer to. */
  @Override
  public void close() {
    for (ColumnFamilyOptions options : columnFamilyOptions) {
      options.close();
    }
    columnFamilyOptions.clear();
    dbOptions.close();
    bloomFilter.close();
    blockCache.close();
  }
}
