package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.cli.commands.Prompter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code wagatectl events ...} usage errors and confirmations: exit codes and messages, nothing connects. */
class EventsCommandLineTest {

  private static void assertUsage(CliRun r, String... fragments) {
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: ").contains(fragments).contains("--help' for more information");
  }

  /** A terminal whose operator gives {@code answer} and which records the questions. */
  private static final class ScriptedTerminal implements Prompter {
    final List<String> questions = new ArrayList<>();
    private final String answer;

    ScriptedTerminal(String answer) {
      this.answer = answer;
    }

    @Override
    public boolean interactive() {
      return true;
    }

    @Override
    public boolean confirm(String question) {
      questions.add(question);
      return Prompter.isYes(answer);
    }
  }

  @Test
  void events_withoutVerb_listsTheVerbs() {
    CliRun r = CliRun.parseOnly("events");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("missing subcommand", "tail", "groups", "rewind", "read");
  }

  @Test
  void help_listsTheEventsCommand() {
    CliRun r = CliRun.parseOnly("--help");
    assertThat(r.out()).contains("events");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tail", "read"})
  void badFrom_namesOptionValueAndForms(String verb) {
    assertUsage(CliRun.parseOnly("events", verb, "--from", "yesterday"),
        "Invalid value for option '--from'", "'yesterday' is not a position", "latest, earliest, an offset", "-1h");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tail", "read"})
  void badKind_namesOptionAndChoices(String verb) {
    assertUsage(CliRun.parseOnly("events", verb, "--kind", "inbound,nonsense"),
        "--kind", "'nonsense'", "inbound, status, webhook_error, outbound_ended, alert, account_update");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "10001"})
  void tail_maxInFlightOutOfRange(String n) {
    assertUsage(CliRun.parseOnly("events", "tail", "--max-in-flight", n), "--max-in-flight must be within 1..10000, got " + n);
  }

  @ParameterizedTest
  @ValueSource(strings = {"500ms", "11m"})
  void tail_ackDeadlineOutOfRange(String d) {
    assertUsage(CliRun.parseOnly("events", "tail", "--ack-deadline", d), "--ack-deadline must be within 1s..10m");
  }

  @Test
  void tail_badAckDeadline_namesOptionAndValue() {
    assertUsage(CliRun.parseOnly("events", "tail", "--ack-deadline", "soon"), "--ack-deadline", "'soon'");
  }

  @Test
  void tail_countMustBePositive() {
    assertUsage(CliRun.parseOnly("events", "tail", "--count", "0"), "--count must be within 1..");
    assertUsage(CliRun.parseOnly("events", "tail", "--count", "many"), "--count", "many");
  }

  @Test
  void read_limitOutOfRange() {
    assertUsage(CliRun.parseOnly("events", "read", "--limit", "1001"), "--limit must be within 1..1000, got 1001");
  }

  @Test
  void rewind_needsGroupAndTo() {
    assertUsage(CliRun.parseOnly("events", "rewind", "--to", "earliest", "--yes"), "GROUP");
    assertUsage(CliRun.parseOnly("events", "rewind", "crm", "--yes"), "--to");
  }

  @Test
  void rewind_badTo_namesOptionAndValue() {
    assertUsage(CliRun.parseOnly("events", "rewind", "crm", "--to", "back", "--yes"),
        "Invalid value for option '--to'", "'back' is not a position");
  }

  @Test
  void rewind_withoutYes_andNoTerminal_isAUsageError() {
    assertUsage(CliRun.parseOnly("events", "rewind", "crm", "--to", "earliest"), "add --yes to confirm", "group crm");
  }

  @Test
  void rewind_declinedAtThePrompt_changesNothing_exits1() {
    ScriptedTerminal terminal = new ScriptedTerminal("n");

    CliRun r = CliRun.run(CliRun.NO_CHANNELS, Clock.systemUTC(), terminal, "events", "rewind", "crm", "--to", "-1h");

    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("not rewound: group crm is unchanged" + System.lineSeparator());
    assertThat(terminal.questions).containsExactly("Move group crm to -1h? Its members will receive events from there.");
  }

  @Test
  void rewind_badToIsReported_beforeAnyQuestion() {
    ScriptedTerminal terminal = new ScriptedTerminal("y");

    CliRun r = CliRun.run(CliRun.NO_CHANNELS, Clock.systemUTC(), terminal, "events", "rewind", "crm", "--to", "nope");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(terminal.questions).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"y", "Y", "yes", " YES "})
  void prompter_yesAnswers(String answer) {
    assertThat(Prompter.isYes(answer)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "n", "no", "yep", "ja"})
  void prompter_otherAnswers(String answer) {
    assertThat(Prompter.isYes(answer)).isFalse();
  }
}
