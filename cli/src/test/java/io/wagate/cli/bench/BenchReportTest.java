package io.wagate.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import io.wagate.cli.output.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  private static LoadPlan plan(double rate) {
    return new LoadPlan(LoadPlan.Mode.UNARY, 64, rate, 32, 0, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  private static LoadResult send(long ok, long p99Nanos) {
    Histogram h = LatencySummary.newHistogram();
    h.recordValue(p99Nanos);
    return new LoadResult(ok, Map.of(Status.Code.RESOURCE_EXHAUSTED, 2L), h, 2_000_000_000L, null);
  }

  private static RocksDbBaseline.Result baseline(String fs) {
    return new RocksDbBaseline.Result(
        Path.of("/var/lib/wagate/wagate-baseline-1"), fs, 64, 80_000, 2_000_000_000L,
        new LatencySummary(1000, 0.1, 0.2, 0.3, 1.0, 0.12));
  }

  @Test
  void ratioAndRateTarget() {
    BenchReport r = new BenchReport("127.0.0.1:7400", plan(1000), 1024, 1000, send(20_000, 2_000_000), baseline("ext4"));
    assertThat(r.send().throughput()).isEqualTo(10_000.0);
    assertThat(r.baseline().throughput()).isEqualTo(40_000.0);
    assertThat(r.ratio()).isCloseTo(0.25, within(1e-9));
    assertThat(r.p99TargetMs()).isCloseTo(2.4, within(1e-9)); // 2 × 0.2 + 2
    StringWriter s = new StringWriter();
    r.print(new PrintWriter(s));
    assertThat(s.toString())
        .contains("20000 ok, 2 errors in 2.0s")
        .contains("10000.0 msg/s")
        .contains("baseline  40000.0 writes/s")
        .contains("ratio     send/baseline 0.250")
        .contains("= 2.400 ms: met")
        .contains("errors    RESOURCE_EXHAUSTED 2")
        .doesNotContain("warning");
    String json = Json.render(r.toJson());
    assertThat(json).contains("\"ratio\": 0.25", "\"target_p99_ms\": 2.4", "\"met\": true", "\"RESOURCE_EXHAUSTED\": 2");
  }

  @Test
  void closedLoop_hasNoRateTarget_andTmpfsWarns() {
    BenchReport r = new BenchReport("t", plan(0), 1024, 1000, send(1, 1), baseline("tmpfs"));
    assertThat(r.p99TargetMs()).isNaN();
    StringWriter s = new StringWriter();
    r.print(new PrintWriter(s));
    assertThat(s.toString()).doesNotContain("target    ").contains("warning   the baseline ran on tmpfs");
    assertThat(Json.render(r.toJson())).doesNotContain("rate_target").contains("\"rate\": null");
  }

  @Test
  void withoutBaseline_ratioIsNaN() {
    BenchReport r = new BenchReport("t", plan(0), 1024, 1000, send(1, 1), null);
    assertThat(r.ratio()).isNaN();
    assertThat(Json.render(r.toJson())).doesNotContain("baseline");
  }
}
