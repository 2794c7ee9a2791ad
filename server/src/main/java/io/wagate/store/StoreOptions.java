package io.wagate.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Settings of one {@link Database}, validated when constructed.
 *
 * <p>Immutable and thread-safe (provided the probe is).
 *
 * @param directory the database directory ({@code data_dir/db}); created if missing
 * @param minFreeBytes writes are refused with {@link StoreFullException} while fewer bytes than
 *     this are free under {@code directory}; {@code 0} disables the check
 * @param maxGroupSize the most {@link WriteSet}s committed by one synced write
 * @param freeSpaceProbe how free space is measured
 */
public record StoreOptions(
    Path directory, long minFreeBytes, int maxGroupSize, FreeSpaceProbe freeSpaceProbe) {

  /**
   * Default free-space floor. It equals the largest memtable (see {@code RocksTuning}): RocksDB
   * only recovers from a disk-full error by itself once that much is free, so refusing writes
   * below it keeps us out of that state in the first place.
   */
  public static final long DEFAULT_MIN_FREE_BYTES = 64L << 20;

  /** Default group size: amortises one fsync over many writes while bounding a batch's size. */
  public static final int DEFAULT_MAX_GROUP_SIZE = 1024;

  /** Validates every field; messages name the configuration key. */
  public StoreOptions {
    if (directory == null) {
      throw new IllegalArgumentException("store.directory must be set");
    }
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException(
          "store.min_free_bytes must be >= 0, got " + minFreeBytes);
    }
    if (maxGroupSize < 1) {
      throw new IllegalArgumentException(
          "store.max_group_size must be >= 1, got " + maxGroupSize);
    }
    if (freeSpaceProbe == null) {
      throw new IllegalArgumentException("store.free_space_probe must be set");
    }
  }

  /**
   * Production defaults for {@code directory}: {@value #DEFAULT_MIN_FREE_BYTES} bytes free space
   * floor, groups of up to {@value #DEFAULT_MAX_GROUP_SIZE}, and the usable space of the
   * directory's file store as probe.
   */
  public static StoreOptions defaults(Path directory) {
    return new StoreOptions(
        directory,
        DEFAULT_MIN_FREE_BYTES,
        DEFAULT_MAX_GROUP_SIZE,
        dir -> Files.getFileStore(dir).getUsableSpace());
  }
}
