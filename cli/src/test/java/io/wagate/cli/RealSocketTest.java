package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production channel factory against the real appliance on a loopback socket (plaintext by default there). */
class RealSocketTest {

  @Test
  void statusSendAndBench_overNettyOnLoopback(@TempDir Path dataDir) {
    try (ApplianceFixture wagate = ApplianceFixture.onLoopback(dataDir)) {
      assertThat(wagate.target()).startsWith("127.0.0.1:");

      CliRun status = wagate.run("status");
      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.out()).contains("health     SERVING", "mode       sandbox");

      CliRun sent = wagate.run("send", "--from", "support", "--to", "+15550001111", "--text", "over tcp");
      assertThat(sent.exit()).as(sent.err()).isZero();
      String id = sent.out().substring("accepted ".length(), "accepted ".length() + 13);
      assertThat(wagate.awaitReceived(id).path("text").path("body").asText()).isEqualTo("over tcp");

      CliRun bench = wagate.run("bench", "send", "--from", "support", "--count", "500", "--warmup", "0s",
          "--concurrency", "8", "--mode", "stream", "--json");
      assertThat(bench.exit()).as(bench.err()).isZero();
      assertThat(bench.out()).contains("\"ok\": 500");
    }
  }
}
