package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors of {@code media} and {@code keys}: exit 2, one line naming what was wrong, nothing connects. */
class MediaCommandLineTest {

  @TempDir Path dir;

  private static void assertUsage(CliRun r, String... fragments) {
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: ").contains(fragments).contains("--help' for more information");
  }

  @Test
  void nounsWithoutVerb_printUsage() {
    CliRun media = CliRun.parseOnly("media");
    CliRun keys = CliRun.parseOnly("keys");

    assertThat(media.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(media.err()).contains("missing subcommand", "put", "get", "ls", "rm", "stats");
    assertThat(keys.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(keys.err()).contains("missing subcommand", "rotate");
  }

  @Test
  void put_withoutFile_namesIt() {
    assertUsage(CliRun.parseOnly("media", "put"), "FILE");
  }

  @Test
  void put_missingFile_saysSo() {
    assertUsage(CliRun.parseOnly("media", "put", dir.resolve("nope.jpg").toString()), "nope.jpg: no such file");
  }

  @Test
  void put_directory_isNotAFile() {
    assertUsage(CliRun.parseOnly("media", "put", dir.toString()), "is not a regular file");
  }

  @Test
  void put_unknownExtension_asksForType_andListsTheKnownOnes() throws IOException {
    Path f = Files.write(dir.resolve("a.heic"), new byte[1]);
    assertUsage(CliRun.parseOnly("media", "put", f.toString()), "cannot tell the type of", "a.heic", "--type MIME",
        "jpg", "pptx");
  }

  @Test
  void put_malformedType_namesTheOption() throws IOException {
    Path f = Files.write(dir.resolve("a.jpg"), new byte[1]);
    assertUsage(CliRun.parseOnly("media", "put", f.toString(), "--type", "jpeg"), "--type must be a MIME type", "'jpeg'");
  }

  @Test
  void transferTimeout_mustBePositive() throws IOException {
    Path f = Files.write(dir.resolve("a.jpg"), new byte[1]);
    assertUsage(CliRun.parseOnly("media", "put", f.toString(), "--transfer-timeout", "0s"),
        "--transfer-timeout must be > 0, got 0");
    assertUsage(CliRun.parseOnly("media", "get", "M1", "-o", "-", "--transfer-timeout", "0s"),
        "--transfer-timeout must be > 0, got 0");
  }

  @Test
  void get_withoutId_namesIt() {
    assertUsage(CliRun.parseOnly("media", "get"), "ID");
  }

  @Test
  void get_jsonToStdout_isRefused() {
    assertUsage(CliRun.parseOnly("media", "get", "M1", "-o", "-", "--json"), "--json", "-o FILE");
  }

  @Test
  void get_existingFileWithoutForce_isRefusedBeforeConnecting() throws IOException {
    Path f = Files.writeString(dir.resolve("x.jpg"), "mine");
    assertUsage(CliRun.parseOnly("media", "get", "M1", "-o", f.toString()), "exists; use --force to overwrite it");
    assertThat(Files.readString(f)).isEqualTo("mine");
  }

  @Test
  void get_intoAMissingDirectory_namesIt() {
    assertUsage(CliRun.parseOnly("media", "get", "M1", "-o", dir.resolve("no/such/x.jpg").toString()),
        "cannot write", dir.resolve("no/such") + " is not a directory");
  }

  @Test
  void ls_badKind_namesTheOptionAndTheChoices() {
    assertUsage(CliRun.parseOnly("media", "ls", "--kind", "sideways"), "--kind", "inbound or outbound", "'sideways'");
  }

  @Test
  void ls_limitOutOfRange_namesTheRange() {
    assertUsage(CliRun.parseOnly("media", "ls", "--limit", "0"), "--limit must be within 1..1000, got 0");
    assertUsage(CliRun.parseOnly("media", "ls", "--limit", "1001"), "--limit must be within 1..1000, got 1001");
  }

  @Test
  void rm_withoutIds_namesThem() {
    assertUsage(CliRun.parseOnly("media", "rm"), "ID");
  }

  @Test
  void keysRotate_help_saysCtrlCOnlyStopsWaiting() {
    CliRun r = CliRun.parseOnly("keys", "rotate", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Ctrl-C only stops waiting", "goes on in the appliance", "--no-wait", "--[no-]progress")
        .doesNotContain("--poll-interval");
  }

  @Test
  void putHelp_listsTheExtensionsAndTheExitCodes() {
    CliRun r = CliRun.parseOnly("media", "put", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--type", "jpg/jpeg", "--filename", "--transfer-timeout", "--[no-]progress",
        "Exit codes:");
  }
}
