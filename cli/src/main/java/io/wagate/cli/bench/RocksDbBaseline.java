package io.wagate.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The same-run baseline a durable Send is compared with: a raw RocksDB database in a fresh scratch
 * directory, written with {@code sync=true} by {@code threads} threads (RocksDB groups their WAL
 * syncs itself), then by one thread timing each synced put to give fsync p50/p99.
 *
 * <p>The scratch directory must be on the disk that holds Wagate's data directory, or the
 * comparison means nothing; on tmpfs a sync costs nothing. It is deleted afterwards. This is the
 * only place the CLI touches RocksDB, and never the appliance's database.
 */
public final class RocksDbBaseline {

  /** The single-thread fsync loop stops after this long, at most. */
  static final Duration FSYNC_MAX_DURATION = Duration.ofSeconds(10);
  /** The single-thread fsync loop writes at most this many records in count mode. */
  static final long FSYNC_MAX_COUNT = 20_000;
  private static final int FSYNC_WARMUP_WRITES = 100;

  /**
   * What to run.
   *
   * @param threads concurrent writers
   * @param count measured writes across all threads, or 0 to run for {@code duration}
   * @param duration measured time when {@code count} is 0
   * @param warmup time before measuring starts
   * @param recordBytes value size
   */
  public record Plan(int threads, long count, Duration duration, Duration warmup, int recordBytes) {}

  /**
   * What was measured.
   *
   * @param directory the scratch directory (already deleted)
   * @param fileSystem its file-system type as the JDK reports it, for example ext4 or tmpfs
   * @param threads concurrent writers
   * @param writes measured synced writes by all threads
   * @param measuredNanos from the end of the warmup to the last measured write
   * @param fsync latency of single-thread synced writes
   */
  public record Result(
      Path directory, String fileSystem, int threads, long writes, long measuredNanos, LatencySummary fsync) {

    /** Synced writes per second by all threads. */
    public double throughput() {
      return LatencySummary.perSecond(writes, measuredNanos);
    }

    /** True when the scratch directory was on a RAM file system, where sync is free. */
    public boolean inMemoryFileSystem() {
      return fileSystem.equals("tmpfs") || fileSystem.equals("ramfs");
    }
  }

  private RocksDbBaseline() {}

  /**
   * Runs the baseline in a new directory under {@code parent} and deletes it afterwards.
   *
   * @throws IllegalStateException if RocksDB fails, naming the operation and directory
   * @throws UncheckedIOException if the scratch directory cannot be created or deleted
   */
  public static Result run(Path parent, Plan plan) throws InterruptedException {
    RocksDB.loadLibrary();
    Path dir;
    try {
      dir = Files.createTempDirectory(parent, "wagate-baseline-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch directory under " + parent, e);
    }
    try {
      String fileSystem = Files.getFileStore(dir).type();
      byte[] value = new byte[plan.recordBytes()];
      new Random(42).nextBytes(value); // incompressible, like encrypted or varied payloads
      try (Options options = new Options().setCreateIfMissing(true);
          RocksDB db = RocksDB.open(options, dir.toString());
          WriteOptions sync = new WriteOptions().setSync(true)) {
        long[] concurrent = concurrent(db, sync, plan, value);
        Histogram fsync = singleThread(db, sync, plan, value);
        return new Result(dir, fileSystem, plan.threads(), concurrent[0], concurrent[1], LatencySummary.of(fsync));
      } catch (RocksDBException e) {
        throw new IllegalStateException("baseline: RocksDB open or write failed in " + dir + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("baseline: cannot inspect " + dir, e);
    } finally {
      deleteRecursively(dir);
    }
  }

  /** Returns {measured writes, measured nanos}. */
  private static long[] concurrent(RocksDB db, WriteOptions sync, Plan plan, byte[] value)
      throws RocksDBException, InterruptedException {
    Schedule schedule = new Schedule(System.nanoTime(), plan.warmup(), plan.count(), plan.duration());
    AtomicReference<RocksDBException> failure = new AtomicReference<>();
    long[][] perThread = new long[plan.threads()][2]; // {writes, last write end}
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < plan.threads(); t++) {
      int id = t;
      threads.add(
          new Thread(
              () -> {
                long seq = 0;
                try {
                  for (long now = System.nanoTime(); ; now = System.nanoTime()) {
                    Schedule.Admission a = schedule.admit(now);
                    if (a == Schedule.Admission.STOP) {
                      return;
                    }
                    db.put(sync, key(id, seq++), value);
                    if (a == Schedule.Admission.MEASURED) {
                      perThread[id][0]++;
                      perThread[id][1] = System.nanoTime();
                    }
                  }
                } catch (RocksDBException e) {
                  failure.compareAndSet(null, e);
                  schedule.stop();
                }
              },
              "baseline-writer-" + t));
    }
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    long writes = 0;
    long last = schedule.warmupEndNanos();
    for (long[] w : perThread) {
      writes += w[0];
      if (w[0] > 0 && w[1] - last > 0) {
        last = w[1];
      }
    }
    return new long[] {writes, last - schedule.warmupEndNanos()};
  }

  private static Histogram singleThread(RocksDB db, WriteOptions sync, Plan plan, byte[] value)
      throws RocksDBException {
    int id = plan.threads();
    long seq = 0;
    for (int i = 0; i < FSYNC_WARMUP_WRITES; i++) {
      db.put(sync, key(id, seq++), value);
    }
    long limit = plan.count() > 0 ? Math.min(plan.count(), FSYNC_MAX_COUNT) : Long.MAX_VALUE;
    Duration d = plan.count() > 0 ? FSYNC_MAX_DURATION : min(plan.duration(), FSYNC_MAX_DURATION);
    long end = System.nanoTime() + d.toNanos();
    Histogram h = LatencySummary.newHistogram();
    for (long n = 0; n < limit; n++) {
      long start = System.nanoTime();
      if (start - end >= 0) {
        break;
      }
      db.put(sync, key(id, seq++), value);
      h.recordValue(System.nanoTime() - start);
    }
    return h;
  }

  /** Big-endian (writer, sequence): each writer appends to its own key range. */
  private static byte[] key(int writer, long seq) {
    return ByteBuffer.allocate(Integer.BYTES + Long.BYTES).putInt(writer).putLong(seq).array();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("baseline: cannot delete scratch directory " + dir, e);
    }
  }
}
