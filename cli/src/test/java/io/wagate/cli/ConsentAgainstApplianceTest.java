package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wagatectl consent set|get|ls} against the real appliance. */
class ConsentAgainstApplianceTest {

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
  void set_get_ls() {
    CliRun in = wagate.run("consent", "set", "support", "+1 650 555 0001", "in", "--note", "web form");
    assertThat(in.exit()).as(in.err()).isZero();
    assertThat(in.out()).isEqualTo("user 16505550001 opted-in with support\n");
    CliRun out = wagate.run("consent", "set", ApplianceFixture.NUMBER_ID, "16505550001", "OUT");
    assertThat(out.exit()).as(out.err()).isZero();
    assertThat(wagate.run("consent", "set", "support", "16505550002", "in").exit()).isZero();

    CliRun get = wagate.run("consent", "get", "support", "+16505550001");
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.out().lines()).contains(
        "number  support (" + ApplianceFixture.NUMBER_ID + ")",
        "user    16505550001",
        "state   opted-out",
        "source  api",
        "history:");
    assertThat(get.out()).contains("opted-in  api     \"web form\"");

    CliRun ls = wagate.run("consent", "ls", "--state", "out");
    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(ls.out().lines()).hasSize(2);
    assertThat(ls.out().lines().skip(1).findFirst().orElseThrow()).startsWith("support  16505550001  opted-out");
    CliRun page = wagate.run("consent", "ls", "--number", "support", "--limit", "1");
    assertThat(page.out().lines().toList()).hasSize(4).element(1).asString().contains("16505550001");
    assertThat(page.out()).endsWith("more: --page-token " + ApplianceFixture.NUMBER_ID + "/16505550002\n");
    CliRun next = wagate.run("consent", "ls", "--number", "support", "--page-token",
        ApplianceFixture.NUMBER_ID + "/16505550002");
    assertThat(next.out().lines().toList()).hasSize(2).element(1).asString().contains("16505550002");
    CliRun json = wagate.run("consent", "get", "support", "16505550002", "--json");
    assertThat(json.out()).contains("\"state\": \"OPTED_IN\"").contains("\"source\": \"CONSENT_SOURCE_API\"");
  }

  @Test
  void badInput_exitsNonZero_namingTheProblem() {
    CliRun badState = wagate.run("consent", "set", "support", "16505550001", "maybe");
    assertThat(badState.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badState.err()).contains("expected in or out, got 'maybe'");
    CliRun badNumber = wagate.run("consent", "set", "nope", "16505550001", "in");
    assertThat(badNumber.exit()).isNotZero();
    assertThat(badNumber.err()).contains("number").contains("unknown number 'nope'");
    CliRun none = wagate.run("consent", "get", "support", "16505550009");
    assertThat(none.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(none.err()).contains("no consent recorded for user 16505550009 with number support");
    assertThat(wagate.run("consent", "ls").out()).isEqualTo("no consent records\n");
  }
}
