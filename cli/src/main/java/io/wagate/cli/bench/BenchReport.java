package io.wagate.cli.bench;

import io.grpc.Status;
import io.wagate.cli.args.DurationParser;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The result of {@code bench send}: the Send figures, the same-run baseline beside them, the ratio
 * {@code send/baseline}, and for fixed-rate runs the latency target {@code 2 × fsync p99 + 2 ms}
 * next to the measured Send p99.
 *
 * @param target where Wagate was reached
 * @param plan what was run
 * @param bodyBytes text size
 * @param recipients distinct recipients
 * @param send what the Send run measured
 * @param baseline the RocksDB baseline, or null without {@code --baseline}
 */
public record BenchReport(
    String target, LoadPlan plan, int bodyBytes, int recipients, LoadResult send, RocksDbBaseline.Result baseline) {

  /** Fixed part of the rate target, in milliseconds. */
  public static final double TARGET_SLACK_MS = 2.0;

  /** {@code send/baseline} throughput, or NaN without a baseline. */
  public double ratio() {
    if (baseline == null || baseline.throughput() == 0) {
      return Double.NaN;
    }
    return send.throughput() / baseline.throughput();
  }

  /** {@code 2 × fsync p99 + 2 ms} for fixed-rate runs with a baseline, else NaN. */
  public double p99TargetMs() {
    if (baseline == null || !plan.openLoop()) {
      return Double.NaN;
    }
    return 2 * baseline.fsync().p99Ms() + TARGET_SLACK_MS;
  }

  /** The machine-readable form. */
  public Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("target", target);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("mode", plan.mode().name().toLowerCase(Locale.ROOT));
    p.put("concurrency", plan.concurrency());
    p.put("rate", plan.openLoop() ? plan.rate() : null);
    p.put("window", plan.mode() == LoadPlan.Mode.STREAM ? plan.window() : null);
    p.put("count", plan.count() > 0 ? plan.count() : null);
    p.put("duration_s", plan.count() > 0 ? null : plan.duration().toMillis() / 1000.0);
    p.put("warmup_s", plan.warmup().toMillis() / 1000.0);
    p.put("size_bytes", bodyBytes);
    p.put("recipients", recipients);
    root.put("plan", p);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("ok", send.ok());
    Map<String, Object> errors = new LinkedHashMap<>();
    send.errors().forEach((code, n) -> errors.put(code.name(), n));
    s.put("errors", errors);
    s.put("aborted", send.abort() == null ? null : describe(send.abort()));
    s.put("measured_s", round(send.measuredNanos() / 1e9));
    s.put("throughput_per_s", round(send.throughput()));
    s.put("latency_ms", latency(send.latency()));
    root.put("send", s);
    if (baseline != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("directory", baseline.directory().toString());
      b.put("file_system", baseline.fileSystem());
      b.put("threads", baseline.threads());
      b.put("writes", baseline.writes());
      b.put("throughput_per_s", round(baseline.throughput()));
      b.put("fsync_ms", latency(baseline.fsync()));
      root.put("baseline", b);
      root.put("ratio", round(ratio()));
      if (plan.openLoop()) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("send_p99_ms", round(send.latency().p99Ms()));
        t.put("target_p99_ms", round(p99TargetMs()));
        t.put("met", send.latency().p99Ms() <= p99TargetMs());
        root.put("rate_target", t);
      }
    }
    return root;
  }

  /** The human form. */
  public void print(PrintWriter out) {
    out.printf(Locale.ROOT, "bench send against %s: %s%n", target, describePlan());
    LatencySummary l = send.latency();
    out.printf(Locale.ROOT, "send      %d ok, %d errors in %.1fs%n", send.ok(), send.errorCount(), send.measuredNanos() / 1e9);
    out.printf(Locale.ROOT, "          %.1f msg/s   latency ms  p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
        send.throughput(), l.p50Ms(), l.p99Ms(), l.p999Ms(), l.maxMs());
    for (Map.Entry<Status.Code, Long> e : send.errors().entrySet()) {
      out.printf(Locale.ROOT, "errors    %s %d%n", e.getKey(), e.getValue());
    }
    if (send.abort() != null) {
      out.println("aborted   " + describe(send.abort()));
    }
    if (baseline == null) {
      return;
    }
    out.printf(Locale.ROOT, "baseline  %.1f writes/s  (RocksDB, %d threads, sync, %s on %s)%n",
        baseline.throughput(), baseline.threads(), baseline.directory().getParent(), baseline.fileSystem());
    out.printf(Locale.ROOT, "fsync     p50 %.3f ms  p99 %.3f ms  (1 thread, %d writes)%n",
        baseline.fsync().p50Ms(), baseline.fsync().p99Ms(), baseline.fsync().count());
    out.printf(Locale.ROOT, "ratio     send/baseline %.3f%n", ratio());
    if (plan.openLoop()) {
      boolean met = l.p99Ms() <= p99TargetMs();
      out.printf(Locale.ROOT, "target    send p99 %.3f ms vs 2 × fsync p99 + 2 ms = %.3f ms: %s%n",
          l.p99Ms(), p99TargetMs(), met ? "met" : "MISSED");
    }
    if (baseline.inMemoryFileSystem()) {
      out.println("warning   the baseline ran on " + baseline.fileSystem()
          + ", where sync is free; use --baseline-dir on Wagate's data disk");
    }
  }

  private String describePlan() {
    StringBuilder b = new StringBuilder(plan.mode().name().toLowerCase(Locale.ROOT));
    if (plan.openLoop()) {
      b.append(String.format(Locale.ROOT, ", %.0f msg/s fixed rate (at most %d in flight%s)", plan.rate(),
          plan.mode() == LoadPlan.Mode.UNARY ? plan.concurrency() : plan.window(),
          plan.mode() == LoadPlan.Mode.UNARY ? "" : " per stream, " + plan.concurrency() + " streams"));
    } else if (plan.mode() == LoadPlan.Mode.UNARY) {
      b.append(", ").append(plan.concurrency()).append(" callers");
    } else {
      b.append(", ").append(plan.concurrency()).append(" streams × window ").append(plan.window());
    }
    b.append(plan.count() > 0 ? ", " + plan.count() + " messages" : ", " + DurationParser.format(plan.duration()));
    b.append(" after ").append(plan.warmup().isZero() ? "no warmup" : DurationParser.format(plan.warmup()) + " warmup");
    b.append(", ").append(bodyBytes).append("-byte text to ").append(recipients).append(" recipients");
    return b.toString();
  }

  private static Map<String, Object> latency(LatencySummary l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", l.count());
    m.put("p50", round(l.p50Ms()));
    m.put("p99", round(l.p99Ms()));
    m.put("p99_9", round(l.p999Ms()));
    m.put("max", round(l.maxMs()));
    m.put("mean", round(l.meanMs()));
    return m;
  }

  private static String describe(Status s) {
    return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
  }

  private static double round(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? v : Math.round(v * 1000) / 1000.0;
  }
}
