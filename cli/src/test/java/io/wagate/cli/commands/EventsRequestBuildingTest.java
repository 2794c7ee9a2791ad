package io.wagate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.ReadEventsRequest;
import io.wagate.api.v1.RewindRequest;
import io.wagate.api.v1.StartPosition;
import io.wagate.api.v1.SubscribeRequest;
import io.wagate.cli.CliRun;
import io.wagate.cli.Wagatectl;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the parsed {@code events} options turn into, without a server. */
class EventsRequestBuildingTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private static Object command(String... args) {
    return new Wagatectl(CliRun.NO_CHANNELS, Clock.fixed(NOW, ZoneOffset.UTC)).commandLine()
        .parseArgs(args).subcommand().subcommand().commandSpec().userObject();
  }

  @Test
  void tail_defaults_throwawayGroupFromLatest_serverDefaultsForFlowControl() {
    SubscribeRequest.Open open = ((EventsTailCommand) command("events", "tail")).open();

    assertThat(open.getGroup()).matches("wagatectl-tail-[A-Za-z0-9._-]+-" + ProcessHandle.current().pid() + "-[0-9a-f]{8}");
    assertThat(open.getGroup().length()).isLessThanOrEqualTo(128);
    assertThat(open.getStart()).isEqualTo(StartPosition.newBuilder().setLatest(true).build());
    assertThat(open.getFilter().getNumbersList()).isEmpty();
    assertThat(open.getFilter().getKindsList()).isEmpty();
    assertThat(open.getMaxInFlight()).isZero();
    assertThat(open.hasAckDeadline()).isFalse();
    assertThat(open.getMember()).startsWith("wagatectl@").endsWith(":" + ProcessHandle.current().pid());
  }

  @Test
  void tail_throwawayGroupNames_differ() {
    assertThat(EventsTailCommand.throwawayGroupName()).isNotEqualTo(EventsTailCommand.throwawayGroupName());
  }

  @Test
  void tail_allOptions() {
    SubscribeRequest.Open open = ((EventsTailCommand) command("events", "tail", "--group", "crm", "--number", "support,sales",
        "--number", "ops", "--kind", "inbound", "--kind", "status,alert", "--from", "-2h", "--max-in-flight", "5",
        "--ack-deadline", "1m30s", "--count", "3", "--json")).open();

    assertThat(open.getGroup()).isEqualTo("crm");
    assertThat(open.getFilter().getNumbersList()).containsExactly("support", "sales", "ops");
    assertThat(open.getFilter().getKindsList()).containsExactly(EventKind.INBOUND_MESSAGE, EventKind.STATUS, EventKind.ALERT);
    assertThat(open.getStart().getTime().getSeconds()).isEqualTo(NOW.minusSeconds(7200).getEpochSecond());
    assertThat(open.getMaxInFlight()).isEqualTo(5);
    assertThat(open.getAckDeadline().getSeconds()).isEqualTo(90);
  }

  @Test
  void read_defaults_earliestAndAPageOf100() {
    ReadEventsRequest r = ((EventsReadCommand) command("events", "read")).request();

    assertThat(r.getFrom()).isEqualTo(StartPosition.newBuilder().setEarliest(true).build());
    assertThat(r.getLimit()).isEqualTo(100);
    assertThat(r.getFilter().getNumbersCount()).isZero();
  }

  @Test
  void read_fromOffsetWithFilter() {
    ReadEventsRequest r = ((EventsReadCommand) command("events", "read", "--from", "1042", "--kind", "outbound_ended",
        "--number", "support", "--limit", "10")).request();

    assertThat(r.getFrom().getOffset()).isEqualTo(1042);
    assertThat(r.getFilter().getKindsList()).containsExactly(EventKind.OUTBOUND_ENDED);
    assertThat(r.getFilter().getNumbersList()).containsExactly("support");
    assertThat(r.getLimit()).isEqualTo(10);
  }

  @Test
  void rewind_toTime() {
    RewindRequest r = ((EventsRewindCommand) command("events", "rewind", "crm", "--to", "2025-02-01 10:00:00Z", "--yes")).request();

    assertThat(r.getGroup()).isEqualTo("crm");
    assertThat(r.getTo().getTime().getSeconds()).isEqualTo(Instant.parse("2025-02-01T10:00:00Z").getEpochSecond());
  }
}
