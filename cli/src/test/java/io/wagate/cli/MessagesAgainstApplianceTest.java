package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.api.v1.Message;
import io.wagate.api.v1.State;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wagatectl messages get|list|cancel} against the real appliance and what it did with real sends. */
class MessagesAgainstApplianceTest {

  private static final Pattern ACCEPTED = Pattern.compile("accepted ([0-9A-Z]{13}) \\(ACCEPTED\\)");

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

  private String send(String to, String text) {
    CliRun r = wagate.run("send", "--from", "support", "--to", to, "--text", text);
    assertThat(r.exit()).as(r.err()).isZero();
    Matcher m = ACCEPTED.matcher(r.out());
    assertThat(m.lookingAt()).as(r.out()).isTrue();
    return m.group(1);
  }

  @Test
  void get_ofASentMessage_showsSubmittedWithMetasWamid() {
    String id = send("+15550001111", "hello");
    Message stored = wagate.awaitState(id, State.SUBMITTED);
    String wamid = wagate.emulator.received().get(0).wamid();
    assertThat(stored.getWamid()).isEqualTo(wamid).startsWith("wamid.");

    CliRun r = wagate.run("messages", "get", id);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .contains(
            "id               " + id,
            "state            SUBMITTED",
            "from             support (" + ApplianceFixture.NUMBER_ID + ")",
            "type             text",
            "content          \"hello\"",
            "attempts         1",
            "wamid            " + wamid);
  }

  @Test
  void get_json_isTheProtoJson() {
    String id = send("+15550001111", "hello");
    wagate.awaitState(id, State.SUBMITTED);

    CliRun r = wagate.run("messages", "get", id, "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"id\": \"" + id + "\"", "\"state\": \"SUBMITTED\"", "\"wamid\": \"wamid.");
  }

  @Test
  void get_unknownId_exits3() {
    CliRun r = wagate.run("messages", "get", "0000000000000");

    assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).startsWith("error: NOT_FOUND: ").contains("0000000000000");
  }

  @Test
  void get_somethingThatIsNoId_exits3() {
    CliRun r = wagate.run("messages", "get", "nope");

    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void list_empty_saysSo() {
    CliRun r = wagate.run("messages", "list");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("no messages" + System.lineSeparator());
  }

  @Test
  void list_pagesNewestFirst_andThePageTokenLeadsToTheRest() {
    String first = send("+15550001111", "a");
    String second = send("+15550002222", "b");

    CliRun page1 = wagate.run("messages", "list", "--limit", "1");

    assertThat(page1.exit()).as(page1.err()).isZero();
    var lines = page1.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("ID             STATE").contains("WAMID/LAST ERROR");
    assertThat(lines.get(1)).startsWith(second + "  ").contains("support", "+15550002222", "text");
    assertThat(lines.get(2)).isEmpty();
    assertThat(lines.get(3)).startsWith("more: --page-token ");
    String token = lines.get(3).substring("more: --page-token ".length());

    CliRun page2 = wagate.run("messages", "list", "--limit", "1", "--page-token", token);

    assertThat(page2.exit()).as(page2.err()).isZero();
    assertThat(page2.out().lines().toList()).hasSize(2);
    assertThat(page2.out().lines().skip(1).findFirst().orElseThrow()).startsWith(first + "  ");
  }

  @Test
  void list_stateSubmittedJson_listsOnlySubmittedMessages() {
    // a recipient Meta keeps throttling: its message stays pending
    wagate.emulator.faults().failNext(1000, "+15550009999", 130429, 400);
    String stuck = send("+15550009999", "held");
    String a = send("+15550001111", "a");
    String b = send("+15550002222", "b");
    wagate.awaitState(a, State.SUBMITTED);
    wagate.awaitState(b, State.SUBMITTED);

    CliRun r = wagate.run("messages", "list", "--state", "SUBMITTED", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"id\": \"" + a + "\"", "\"id\": \"" + b + "\"").doesNotContain(stuck);
    assertThat(r.out().indexOf(b)).isLessThan(r.out().indexOf(a)); // newest first
    assertThat(Pattern.compile("\"state\": \"SUBMITTED\"").matcher(r.out()).results().count()).isEqualTo(2);
  }

  @Test
  void cancel_messageBehindAFailingHead_printsCancelled_andStaysCancelled() {
    String to = "+15550003333";
    wagate.emulator.faults().failNext(1000, to, 131000, 500);
    String head = send(to, "first");
    String behind = send(to, "second");

    CliRun r = wagate.run("messages", "cancel", behind);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("cancelled " + behind + " (CANCELLED)" + System.lineSeparator());
    // cancelling again is a no-op
    CliRun again = wagate.run("messages", "cancel", behind);
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).startsWith("cancelled " + behind + " (CANCELLED)");
    // the head runs out of attempts; the cancelled message is never tried
    Message failed = wagate.awaitState(head, State.FAILED);
    assertThat(failed.getLastError().getCode()).isEqualTo(131000);
    Message cancelled = wagate.appliance.outbox().get(behind);
    assertThat(cancelled.getState()).isEqualTo(State.CANCELLED);
    assertThat(cancelled.getAttempts()).isZero();

    CliRun shown = wagate.run("messages", "get", head);
    assertThat(shown.out().lines()).contains("state            FAILED").anyMatch(l -> l.startsWith("last error       131000 "));
  }

  @Test
  void cancel_submittedMessage_exits4() {
    String id = send("+15550001111", "gone");
    wagate.awaitState(id, State.SUBMITTED);

    CliRun r = wagate.run("messages", "cancel", id);

    assertThat(r.exit()).isEqualTo(ExitCodes.PRECONDITION);
    assertThat(r.err()).startsWith("error: FAILED_PRECONDITION: ").contains(id, "SUBMITTED");
  }

  @Test
  void cancel_unknownId_exits3() {
    CliRun r = wagate.run("messages", "cancel", "0000000000000");

    assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
  }
}
