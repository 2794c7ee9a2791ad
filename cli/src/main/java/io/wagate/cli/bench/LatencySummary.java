package io.wagate.cli.bench;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram recorded in nanoseconds, in milliseconds.
 *
 * @param count recorded values
 * @param p50Ms median
 * @param p99Ms 99th percentile
 * @param p999Ms 99.9th percentile
 * @param maxMs largest value
 * @param meanMs arithmetic mean
 */
public record LatencySummary(long count, double p50Ms, double p99Ms, double p999Ms, double maxMs, double meanMs) {

  private static final double NANOS_PER_MS = 1_000_000.0;

  /** Summarises {@code nanos}; all zero for an empty histogram. */
  public static LatencySummary of(Histogram nanos) {
    if (nanos.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(
        nanos.getTotalCount(),
        nanos.getValueAtPercentile(50.0) / NANOS_PER_MS,
        nanos.getValueAtPercentile(99.0) / NANOS_PER_MS,
        nanos.getValueAtPercentile(99.9) / NANOS_PER_MS,
        nanos.getMaxValue() / NANOS_PER_MS,
        nanos.getMean() / NANOS_PER_MS);
  }

  /** A histogram fit for latencies in nanoseconds: 3 significant digits, auto-resizing. */
  public static Histogram newHistogram() {
    return new Histogram(3);
  }

  /** Events per second for {@code count} events over {@code nanos}; 0 when no time passed. */
  public static double perSecond(long count, long nanos) {
    return nanos <= 0 ? 0 : count * 1_000_000_000.0 / nanos;
  }
}
