package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.cli.connection.ChannelFactory;
import io.wagate.sandbox.ReceivedMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wagatectl bench send} against the real appliance: every measured message is durable and reaches Meta. */
class BenchAgainstApplianceTest {

  @TempDir Path dataDir;
  private ApplianceFixture wagate;

  @BeforeEach
  void start() {
    wagate = ApplianceFixture.inProcess(dataDir);
  }

  @AfterEach
  void stop() {
    wagate.close();
  }

  @Test
  void unary_countWithConcurrency_reportsThroughputAndPercentiles_andMetaGetsEveryMessage() {
    CliRun r = wagate.run("bench", "send", "--from", "support", "--count", "200", "--concurrency", "8",
        "--warmup", "0s", "--to-count", "10", "--size", "16");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("bench send against " + wagate.target() + ": unary, 8 callers, 200 messages")
        .contains("send      200 ok, 0 errors")
        .containsPattern("\\d+\\.\\d msg/s   latency ms  p50 \\d+\\.\\d{3}  p99 \\d+\\.\\d{3}  p99\\.9 ");
    // plus the unmeasured preflight message
    List<ReceivedMessage> got = wagate.emulator.awaitReceived(201, ApplianceFixture.WAIT);
    assertThat(got).extracting(m -> m.body().path("to").asText())
        .contains("+15550000000", "+15550000009").doesNotContain("+15550000010");
    assertThat(got.get(0).body().path("text").path("body").asText()).hasSize(16);
  }

  @Test
  void stream_count_reportsThroughputAndPercentiles() {
    CliRun r = wagate.run("bench", "send", "--from", "support", "--mode", "stream", "--count", "200",
        "--concurrency", "4", "--window", "8", "--warmup", "0s", "--idempotency", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("\"mode\": \"stream\"", "\"ok\": 200", "\"errors\": { }", "\"aborted\": null", "\"p50\"", "\"p99\"")
        .containsPattern("\"throughput_per_s\": \\d")
        .doesNotContain("\"baseline\"");
    assertThat(wagate.emulator.awaitReceived(201, ApplianceFixture.WAIT)).hasSize(201);
  }

  @Test
  void baseline_printsTheBaselineAndTheRatio_andLeavesNothingBehind(@TempDir Path scratch) throws Exception {
    CliRun r = wagate.run("bench", "send", "--from", "support", "--count", "200", "--concurrency", "4",
        "--warmup", "0s", "--baseline", "--baseline-dir", scratch.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("send      200 ok, 0 errors")
        .containsPattern("baseline  \\d+\\.\\d writes/s  \\(RocksDB, 4 threads, sync, ")
        .containsPattern("fsync     p50 \\d+\\.\\d{3} ms  p99 \\d+\\.\\d{3} ms")
        .containsPattern("ratio     send/baseline \\d+\\.\\d{3}");
    try (var left = Files.list(scratch)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void unknownSender_failsThePreflightWithExit2() {
    CliRun r = wagate.run("bench", "send", "--from", "nobody", "--count", "5", "--warmup", "0s");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines()).contains("  from: unknown sender number 'nobody'; configured: support");
    assertThat(wagate.emulator.received()).isEmpty();
  }

  @Test
  void nothingListening_exits6() throws Exception {
    String target = ApplianceFixture.closedLoopbackTarget();

    CliRun r = CliRun.run(ChannelFactory.netty(), Clock.systemUTC(), "bench", "send", "--count", "5",
        "--target", target, "--timeout", "2s");

    assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err()).contains("cannot reach Wagate at " + target);
  }
}
