package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.cli.connection.ChannelFactory;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage errors: exit 2, one line naming the option, nothing connects. */
class CommandLineParsingTest {

  private static final String[] SEND = {"send", "--from", "support", "--to", "+15550001111"};

  private static String[] send(String... more) {
    String[] all = new String[SEND.length + more.length];
    System.arraycopy(SEND, 0, all, 0, SEND.length);
    System.arraycopy(more, 0, all, SEND.length, more.length);
    return all;
  }

  private static void assertUsage(CliRun r, String... fragments) {
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: ").contains(fragments).contains("--help' for more information");
  }

  @Test
  void noCommand_printsUsageAndExits2() {
    CliRun r = CliRun.parseOnly();
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("missing command", "Usage: wagatectl");
  }

  @Test
  void unknownCommand_suggests() {
    assertUsage(CliRun.parseOnly("stauts"), "stauts");
  }

  @Test
  void nounWithoutVerb_printsUsageAndExits2() {
    CliRun r = CliRun.parseOnly("messages");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("missing subcommand", "get", "list", "cancel");
  }

  @Test
  void send_withoutFrom_namesIt() {
    assertUsage(CliRun.parseOnly("send", "--to", "+15550001111", "--text", "hi"), "--from");
  }

  @Test
  void send_withoutTo_namesIt() {
    assertUsage(CliRun.parseOnly("send", "--from", "support", "--text", "hi"), "--to");
  }

  @Test
  void send_withoutContent_namesTheContentOptions() {
    assertUsage(CliRun.parseOnly(SEND), "--text", "--template", "--image", "--location", "--reaction");
  }

  @Test
  void send_twoContents_areMutuallyExclusive() {
    assertUsage(CliRun.parseOnly(send("--text", "hi", "--location", "1,2")), "mutually exclusive", "--text", "--location");
  }

  @Test
  void send_twoMediaKinds_areMutuallyExclusive() {
    assertUsage(CliRun.parseOnly(send("--image", "1", "--video", "2")), "mutually exclusive", "--image", "--video");
  }

  @Test
  void send_previewUrlWithoutText_requiresText() {
    assertUsage(CliRun.parseOnly(send("--preview-url")), "--text");
  }

  @Test
  void send_templateWithoutLanguage_requiresLanguage() {
    assertUsage(CliRun.parseOnly(send("--template", "welcome")), "--language");
  }

  @Test
  void send_captionWithoutMedia_requiresAMediaKind() {
    assertUsage(CliRun.parseOnly(send("--caption", "look")), "--image");
  }

  @Test
  void send_reactionWithoutTarget_requiresReactionTo() {
    assertUsage(CliRun.parseOnly(send("--reaction", "👍")), "--reaction-to");
  }

  @Test
  void send_badPriority_namesOptionAndChoices() {
    assertUsage(CliRun.parseOnly(send("--text", "hi", "--priority", "urgent")), "--priority", "high, normal or bulk", "urgent");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2x", "h", "10", "-5m", "1.5h", ""})
  void send_badValidity_namesOption(String value) {
    assertUsage(CliRun.parseOnly(send("--text", "hi", "--validity", value)), "--validity");
  }

  @Test
  void send_zeroValidity_isRejected() {
    assertUsage(CliRun.parseOnly(send("--text", "hi", "--validity", "0s")), "--validity must be > 0");
  }

  @Test
  void send_badLocation_namesOption() {
    assertUsage(CliRun.parseOnly(send("--location", "north")), "--location", "LAT,LONG");
    assertUsage(CliRun.parseOnly(send("--location", "91,0")), "--location", "latitude");
  }

  @Test
  void send_positionalAndNamedParams_cannotBeCombined() {
    assertUsage(
        CliRun.parseOnly(send("--template", "t", "--language", "en_US", "--param", "a", "--named-param", "b=c")),
        "--param and --named-param");
  }

  @Test
  void send_filenameOnImage_isRejected() {
    assertUsage(CliRun.parseOnly(send("--image", "123", "--filename", "x.pdf")), "--filename applies to --document");
  }

  @Test
  void send_namedParamWithoutEquals_namesOption() {
    assertUsage(CliRun.parseOnly(send("--template", "t", "--language", "en", "--named-param", "oops")), "--named-param");
  }

  @Test
  void badTimeout_namesOption() {
    assertUsage(CliRun.parseOnly("status", "--timeout", "soon"), "--timeout");
  }

  @Test
  void zeroTimeout_isRejected() {
    assertUsage(CliRun.parseOnly("status", "--timeout", "0s"), "--timeout must be > 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "host:", ":7400", "host:99999", "::1:7400", "in-process:"})
  void badTarget_namesOption(String target) {
    assertUsage(CliRun.parseOnly("status", "--target", target), "--target");
  }

  @Test
  void plaintextWithTlsFiles_isRejected() {
    assertUsage(CliRun.parseOnly("status", "--plaintext", "--ca-file", "/tmp/ca.pem"), "--plaintext cannot be combined");
  }

  @Test
  void certWithoutKey_isRejected() {
    assertUsage(CliRun.parseOnly("status", "--cert-file", "/tmp/c.pem"), "--cert-file and --key-file");
  }

  @Test
  void inProcessTarget_isRefusedByTheProductionFactory() {
    CliRun r = CliRun.run(ChannelFactory.netty(), Clock.systemUTC(), "status", "--target", "in-process:x");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("in-process targets are only available to tests");
  }

  @Test
  void messagesGet_requiresAnId() {
    assertUsage(CliRun.parseOnly("messages", "get"), "ID");
  }

  @Test
  void messagesList_badState_listsTheStates() {
    assertUsage(CliRun.parseOnly("messages", "list", "--state", "lost"), "--state", "failed", "delivered");
  }

  @Test
  void messagesList_limitOutOfRange_isRejected() {
    assertUsage(CliRun.parseOnly("messages", "list", "--limit", "0"), "--limit must be within 1..1000");
    assertUsage(CliRun.parseOnly("messages", "list", "--limit", "1001"), "--limit");
  }

  @Test
  void messagesList_badSince_namesOption() {
    assertUsage(CliRun.parseOnly("messages", "list", "--since", "yesterday"), "--since");
  }

  @Test
  void messagesCancel_requiresAnId() {
    assertUsage(CliRun.parseOnly("messages", "cancel"), "ID");
  }

  @Test
  void benchSend_countAndDuration_areMutuallyExclusive() {
    assertUsage(CliRun.parseOnly("bench", "send", "--count", "10", "--duration", "5s"), "mutually exclusive", "--count", "--duration");
  }

  @Test
  void benchSend_badMode_namesOption() {
    assertUsage(CliRun.parseOnly("bench", "send", "--mode", "batch"), "--mode", "unary or stream");
  }

  @Test
  void benchSend_badDuration_namesOption() {
    assertUsage(CliRun.parseOnly("bench", "send", "--duration", "forever"), "--duration");
    assertUsage(CliRun.parseOnly("bench", "send", "--warmup", "5"), "--warmup");
  }

  @Test
  void benchSend_baselineDirWithoutBaseline_requiresBaseline() {
    assertUsage(CliRun.parseOnly("bench", "send", "--baseline-dir", "/tmp"), "--baseline");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--concurrency=0", "--rate=0", "--rate=-5", "--count=0", "--size=0", "--size=5000", "--window=0", "--to-count=0"})
  void benchSend_outOfRangeNumbers_areRejected(String option) {
    String name = option.substring(0, option.indexOf('='));
    assertUsage(CliRun.parseOnly("bench", "send", option), name);
  }
}
