package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wagatectl events tail|groups|rewind|read} against the real appliance. Events come from the
 * public API: a message cancelled behind a head Meta keeps refusing ends as an OUTBOUND_ENDED
 * CANCELLED event.
 */
class EventsAgainstApplianceTest {

  private static final Pattern ACCEPTED = Pattern.compile("accepted ([0-9A-Z]{13}) \\(ACCEPTED\\)");
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /** Sends a message behind a head Meta keeps refusing to {@code to}, cancels it, and returns its id. */
  private String cancelled(String to) {
    wagate.emulator.faults().failNext(1000, to, 131000, 500);
    send(to, "head");
    String behind = send(to, "behind");
    CliRun r = wagate.run("messages", "cancel", behind);
    assertThat(r.exit()).as(r.err()).isZero();
    return behind;
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  private JsonNode groups() {
    CliRun r = wagate.run("events", "groups", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    return json(r.out());
  }

  private static JsonNode group(JsonNode groups, String name) {
    for (JsonNode g : groups.path("groups")) {
      if (g.path("name").asText().equals(name)) {
        return g;
      }
    }
    return null;
  }

  @Test
  void tailCount1Json_printsTheCancelledEvent_andLeavesNoGroupBehind() {
    String id = cancelled("+15550003333");

    CliRun r = wagate.run("events", "tail", "--from", "earliest", "--kind", "outbound_ended", "--count", "1", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode event = json(lines.get(0));
    assertThat(event.path("kind").asText()).isEqualTo("OUTBOUND_ENDED");
    assertThat(event.path("number").asText()).isEqualTo("support");
    assertThat(event.path("outbound_ended").path("message_id").asText()).isEqualTo(id);
    assertThat(event.path("outbound_ended").path("state").asText()).isEqualTo("CANCELLED");
    assertThat(event.has("stored_at")).isTrue();
    assertThat(groups().path("groups")).noneMatch(g -> g.path("name").asText().startsWith("wagatectl-tail-"));
  }

  @Test
  void tailText_printsOneLinePerEvent() {
    String id = cancelled("+15550003333");

    CliRun r = wagate.run("events", "tail", "--from", "earliest", "--kind", "outbound_ended", "--number", "support",
        "--count", "1");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).matches(
        "\\d+  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  outbound_ended  support  \\+?15550003333  CANCELLED message " + id
            + " to \\+15550003333\\R");
  }

  @Test
  void tailFromLatest_printsWhatIsStoredWhileItRuns() throws Exception {
    CompletableFuture<CliRun> tail = CompletableFuture.supplyAsync(
        () -> wagate.run("events", "tail", "--kind", "outbound_ended", "--count", "1", "--json"));
    awaitTailConnected();

    String id = cancelled("+15550004444");

    CliRun r = tail.get(ApplianceFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(json(r.out().strip()).path("outbound_ended").path("message_id").asText()).isEqualTo(id);
  }

  private void awaitTailConnected() throws InterruptedException {
    long deadline = System.nanoTime() + ApplianceFixture.WAIT.toNanos();
    while (true) {
      for (JsonNode g : groups().path("groups")) {
        if (g.path("name").asText().startsWith("wagatectl-tail-") && g.path("members").size() > 0) {
          return;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no tail connected within " + ApplianceFixture.WAIT);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void tailWithGroup_keepsTheGroup_withTheAckCommitted_andGroupsShowsIt() {
    cancelled("+15550003333");

    CliRun tail = wagate.run("events", "tail", "--group", "crm", "--from", "earliest", "--kind", "outbound_ended",
        "--count", "1", "--json");
    assertThat(tail.exit()).as(tail.err()).isZero();
    long offset = json(tail.out().strip()).path("offset").asLong();

    JsonNode crm = group(groups(), "crm");
    assertThat(crm).as("group crm").isNotNull();
    assertThat(crm.path("committed_offset").asLong()).isGreaterThan(offset);
    assertThat(crm.path("filter").path("kinds").get(0).asText()).isEqualTo("OUTBOUND_ENDED");

    CliRun table = wagate.run("events", "groups");
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out().lines().toList().get(0)).startsWith("GROUP").contains("COMMITTED", "LAG", "MEMBERS");
    assertThat(table.out()).contains("crm  ", "kinds=outbound_ended").containsPattern("log: first offset \\d+, head offset \\d+");
  }

  @Test
  void rewind_movesTheGroupBack_andTheEventComesAgain() {
    String id = cancelled("+15550003333");
    CliRun first = wagate.run("events", "tail", "--group", "crm", "--from", "earliest", "--kind", "outbound_ended",
        "--count", "1", "--json");
    assertThat(first.exit()).as(first.err()).isZero();

    CliRun rewind = wagate.run("events", "rewind", "crm", "--to", "earliest", "--yes");

    assertThat(rewind.exit()).as(rewind.err()).isZero();
    assertThat(rewind.out().lines()).anyMatch(l -> l.startsWith("group ") && l.endsWith(" crm"))
        .anyMatch(l -> l.startsWith("committed "));
    long firstOffset = groups().path("first_offset").asLong();
    assertThat(group(groups(), "crm").path("committed_offset").asLong()).isEqualTo(firstOffset);
    CliRun again = wagate.run("events", "tail", "--group", "crm", "--count", "1", "--json");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(json(again.out().strip()).path("outbound_ended").path("message_id").asText()).isEqualTo(id);
  }

  @Test
  void rewind_unknownGroup_exits3() {
    CliRun r = wagate.run("events", "rewind", "nobody", "--to", "earliest", "--yes");

    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).startsWith("error: NOT_FOUND: ");
  }

  @Test
  void read_pagesThroughTheLog() {
    String a = cancelled("+15550003333");
    String b = cancelled("+15550004444");

    CliRun page1 = wagate.run("events", "read", "--kind", "outbound_ended", "--limit", "1");

    assertThat(page1.exit()).as(page1.err()).isZero();
    List<String> lines = page1.out().lines().toList();
    assertThat(lines.get(0)).startsWith("OFFSET  STORED");
    assertThat(lines.get(1)).contains("outbound_ended", "CANCELLED message " + a);
    assertThat(lines.get(lines.size() - 1)).matches("next: --from \\d+");
    String next = lines.get(lines.size() - 1).substring("next: --from ".length());

    CliRun page2 = wagate.run("events", "read", "--from", next, "--kind", "outbound_ended", "--json");

    assertThat(page2.exit()).as(page2.err()).isZero();
    JsonNode events = json(page2.out()).path("events");
    assertThat(events).anyMatch(e -> e.path("outbound_ended").path("message_id").asText().equals(b))
        .noneMatch(e -> e.path("outbound_ended").path("message_id").asText().equals(a));
  }

  @Test
  void read_emptyLog_saysSo() {
    CliRun r = wagate.run("events", "read", "--kind", "alert");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("no events").containsPattern("next: --from \\d+");
  }

  @Test
  void tail_badGroupName_isReportedWithTheServersDetails() {
    CliRun r = wagate.run("events", "tail", "--group", "no spaces", "--count", "1");

    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).startsWith("error: INVALID_ARGUMENT: ");
  }

  @Test
  void tailCount_acksOnlyWhatItPrinted_theRestGoesBackToTheGroup() {
    String a = cancelled("+15550003333");
    String b = cancelled("+15550004444");
    String[] tail = {"events", "tail", "--group", "crm", "--from", "earliest", "--kind", "outbound_ended",
        "--max-in-flight", "10", "--count", "1", "--json"};

    CliRun first = wagate.run(tail);

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(json(first.out().strip()).path("outbound_ended").path("message_id").asText()).isEqualTo(a);
    JsonNode crm = group(groups(), "crm");
    assertThat(crm.path("in_flight").asLong()).isZero();
    assertThat(crm.path("members")).isEmpty();
    // the second event was received but not printed: handed back at once, not after the ack deadline
    CliRun second = wagate.run(tail);
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(json(second.out().strip()).path("outbound_ended").path("message_id").asText()).isEqualTo(b);
  }

  @Test
  void rewindWhileATailRuns_notesItOnStderr_andTheEventComesAgain() throws Exception {
    String id = cancelled("+15550003333");
    CompletableFuture<CliRun> tail = CompletableFuture.supplyAsync(() -> wagate.run("events", "tail", "--group", "crm",
        "--from", "earliest", "--kind", "outbound_ended", "--count", "2", "--json"));
    awaitCommittedPast(firstOffset(id));

    CliRun rewind = wagate.run("events", "rewind", "crm", "--to", "earliest", "--yes", "--json");

    assertThat(rewind.exit()).as(rewind.err()).isZero();
    long to = json(rewind.out()).path("committed_offset").asLong();
    CliRun r = tail.get(ApplianceFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEqualTo("note: group crm was rewound; events come again from offset " + to + System.lineSeparator());
    assertThat(r.out().lines().map(l -> json(l).path("outbound_ended").path("message_id").asText())).containsExactly(id, id);
  }

  private long firstOffset(String messageId) {
    CliRun r = wagate.run("events", "read", "--kind", "outbound_ended", "--json");
    for (JsonNode e : json(r.out()).path("events")) {
      if (e.path("outbound_ended").path("message_id").asText().equals(messageId)) {
        return e.path("offset").asLong();
      }
    }
    throw new AssertionError("no event of " + messageId + " in " + r.out());
  }

  private void awaitCommittedPast(long offset) throws InterruptedException {
    long deadline = System.nanoTime() + ApplianceFixture.WAIT.toNanos();
    while (true) {
      JsonNode crm = group(groups(), "crm");
      if (crm != null && crm.path("committed_offset").asLong() > offset) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("crm did not commit past " + offset + " within " + ApplianceFixture.WAIT);
      }
      Thread.sleep(10);
    }
  }
}
