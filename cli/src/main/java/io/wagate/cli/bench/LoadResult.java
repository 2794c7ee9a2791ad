package io.wagate.cli.bench;

import io.grpc.Status;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured (warmup excluded).
 *
 * @param ok messages accepted
 * @param errors failed messages by gRPC code
 * @param latencyNanos latency of accepted messages
 * @param measuredNanos from the end of the warmup to the last measured answer
 * @param abort why the run stopped early, or null
 */
public record LoadResult(
    long ok, Map<Status.Code, Long> errors, Histogram latencyNanos, long measuredNanos, Status abort) {

  /** Accepted messages per second. */
  public double throughput() {
    return LatencySummary.perSecond(ok, measuredNanos);
  }

  /** Percentiles of {@link #latencyNanos}. */
  public LatencySummary latency() {
    return LatencySummary.of(latencyNanos);
  }

  /** All failed messages. */
  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The most frequent error code, or null without errors. */
  public Status.Code mostFrequentError() {
    return errors.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }
}
