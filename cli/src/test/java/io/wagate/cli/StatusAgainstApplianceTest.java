package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.Appliance;
import io.wagate.cli.connection.ChannelFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wagatectl status} against the real appliance, and exit 6 where nothing listens. */
class StatusAgainstApplianceTest {

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
  void status_showsModeHealthNumberAndPendingCount() {
    // Meta keeps throttling this recipient, so its messages stay pending
    wagate.emulator.faults().failNext(1000, "+15550009999", 130429, 400);
    for (String text : new String[] {"one", "two"}) {
      CliRun sent = wagate.run("send", "--from", "support", "--to", "+15550009999", "--text", text);
      assertThat(sent.exit()).as(sent.err()).isZero();
    }

    CliRun r = wagate.run("status");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .contains(
            "version    " + Appliance.VERSION,
            "mode       sandbox",
            "health     SERVING",
            "data dir   " + dataDir,
            "cloud api  " + wagate.emulator.baseUrl(),
            "pending    2",
            "NUMBER   PHONE NUMBER ID  PENDING",
            "support  " + ApplianceFixture.NUMBER_ID + "  2")
        .anyMatch(l -> l.matches("uptime     \\d+(ms|s) \\(since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)"))
        .anyMatch(l -> l.matches("in flight  [01]"))
        .anyMatch(l -> l.startsWith("resent     0 (sent again"));
  }

  @Test
  void status_json_carriesHealthAndTheStatusMessage() {
    CliRun r = wagate.run("status", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("\"health\": \"SERVING\"", "\"mode\": \"sandbox\"", "\"alias\": \"support\"", "\"in_flight\": ",
            "\"phone_number_id\": \"" + ApplianceFixture.NUMBER_ID + "\"");
  }

  @Test
  void nothingListening_exits6AndNamesTheTarget() throws IOException {
    String target = ApplianceFixture.closedLoopbackTarget();

    CliRun get = CliRun.run(ChannelFactory.netty(), Clock.systemUTC(),
        "messages", "get", "0000000000000", "--target", target, "--timeout", "2s");
    CliRun status = CliRun.run(ChannelFactory.netty(), Clock.systemUTC(),
        "status", "--target", target, "--timeout", "2s");

    assertThat(get.exit()).as(get.err()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(get.err()).startsWith("cannot reach Wagate at " + target + ": ");
    assertThat(status.exit()).as(status.err()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(status.err()).startsWith("cannot reach Wagate at " + target + ": ");
  }

  @Test
  void numbers_showsPacingCircuitAndQueueByLane() {
    // Meta refuses the number's token: the number pauses instead of failing the messages
    wagate.emulator.faults().failNext(1, "+15550008888", 190, 401);
    CliRun first = wagate.run("send", "--from", "support", "--to", "+15550008888", "--text", "one");
    assertThat(first.exit()).as(first.err()).isZero();
    String id = first.out().split(" ")[1];
    wagate.awaitState(id, io.wagate.api.v1.State.QUEUED);
    CliRun bulk = wagate.run("send", "--from", "support", "--to", "+15550008887", "--text", "two",
        "--priority", "bulk");
    assertThat(bulk.exit()).as(bulk.err()).isZero();

    CliRun r = wagate.run("numbers");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow())
        .startsWith("NUMBER").contains("THROUGHPUT", "RATE", "CIRCUIT", "PENDING (HIGH/NORMAL/BULK)", "OLDEST");
    assertThat(r.out()).contains("support", ApplianceFixture.NUMBER_ID, "80/s", "paused until", "(#190)",
        "2 (0/1/1)");

    CliRun json = wagate.run("numbers", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"circuit\": \"PAUSED\"", "\"throughput\": 80", "\"pending_bulk\": \"1\"");
  }
}
