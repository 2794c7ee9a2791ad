package io.wagate.cli.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a load run issues work: a warmup by time, then either a number of measured operations or a
 * measured duration. Shared by all threads of one run; thread-safe. Times are
 * {@link System#nanoTime()} values.
 */
final class Schedule {

  /** What a caller may do with the operation it is about to issue. */
  enum Admission {
    /** Issue it but do not record it. */
    WARMUP,
    /** Issue and record it. */
    MEASURED,
    /** Do not issue it; the run is over for this caller. */
    STOP
  }

  private final long startNanos;
  private final long warmupEndNanos;
  private final long endNanos;
  private final boolean bounded;
  private final long count;
  private final AtomicLong measuredAdmitted = new AtomicLong();
  private volatile boolean stopped;

  /**
   * A schedule starting at {@code startNanos}.
   *
   * @param count measured operations, or 0 to run for {@code duration}
   * @param duration measured time, when {@code count} is 0
   */
  Schedule(long startNanos, Duration warmup, long count, Duration duration) {
    this.startNanos = startNanos;
    this.warmupEndNanos = startNanos + warmup.toNanos();
    this.count = count;
    this.bounded = count == 0;
    this.endNanos = bounded ? warmupEndNanos + duration.toNanos() : 0;
  }

  /** Decides for an operation issued (or intended to be issued) at {@code nanos}. */
  Admission admit(long nanos) {
    if (stopped || (bounded && nanos - endNanos >= 0)) {
      return Admission.STOP;
    }
    if (nanos - warmupEndNanos < 0) {
      return Admission.WARMUP;
    }
    if (count > 0 && measuredAdmitted.incrementAndGet() > count) {
      return Admission.STOP;
    }
    return Admission.MEASURED;
  }

  /** Makes every later {@link #admit} answer STOP. */
  void stop() {
    stopped = true;
  }

  long startNanos() {
    return startNanos;
  }

  long warmupEndNanos() {
    return warmupEndNanos;
  }
}
