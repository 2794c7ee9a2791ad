package io.wagate.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Refuses writes while the free space under the data directory is below the configured floor.
 *
 * <p>A probe reading is reused for {@link #READING_TTL_NANOS} so that a busy writer does not pay a
 * system call per write. Thread-safe: concurrent callers may each take a fresh reading when the
 * cached one expires, which is harmless.
 */
final class FreeSpaceGuard {
  static final long READING_TTL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final FreeSpaceProbe probe;
  private final Path directory;
  private final long minFreeBytes;
  private volatile Reading last;

  FreeSpaceGuard(FreeSpaceProbe probe, Path directory, long minFreeBytes) {
    this.probe = probe;
    this.directory = directory;
    this.minFreeBytes = minFreeBytes;
  }

  /**
   * Returns normally when enough space is free.
   *
   * @throws StoreFullException when less than the floor is free
   * @throws StoreException when the probe fails
   */
  void check() {
    if (minFreeBytes == 0) {
      return;
    }
    long now = System.nanoTime();
    Reading reading = last;
    if (reading == null || now - reading.takenAtNanos >= READING_TTL_NANOS) {
      reading = new Reading(probe(), now);
      last = reading;
    }
    if (reading.freeBytes < minFreeBytes) {
      throw new StoreFullException(
          "not enough free disk space under " + directory + ": " + reading.freeBytes
              + " bytes free, " + minFreeBytes + " required; free space and retry",
          null);
    }
  }

  private long probe() {
    try {
      return probe.usableBytes(directory);
    } catch (IOException | RuntimeException e) {
      throw new StoreException("checking free disk space under " + directory + " failed", e);
    }
  }

  private record Reading(long freeBytes, long takenAtNanos) {}
}
