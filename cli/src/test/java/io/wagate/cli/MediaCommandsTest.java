package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wagate.api.v1.MediaObject;
import io.wagate.cli.commands.Prompter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wagatectl media ...} and {@code keys rotate} against {@link FakeMediaStore}: what they
 * send, what they print, their exit codes.
 */
class MediaCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FakeMediaStore store;

  @BeforeEach
  void start() {
    store = new FakeMediaStore();
  }

  @AfterEach
  void stop() {
    store.close();
  }

  private Path file(String name, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return Files.write(dir.resolve(name), data);
  }

  private String put(Path file, String... more) {
    String[] args = Stream.concat(Stream.of("media", "put", file.toString()), Stream.of(more)).toArray(String[]::new);
    CliRun r = store.run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return r.out().strip();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  @Test
  void put_printsOnlyTheId_guessesTheTypeAndSendsTheFileName() throws IOException {
    Path f = file("photo.JPG", 1000);

    String id = put(f);

    MediaObject o = store.objects.get(id);
    assertThat(o).as("stored " + id).isNotNull();
    assertThat(o.getMimeType()).isEqualTo("image/jpeg");
    assertThat(o.getFilename()).isEqualTo("photo.JPG");
    assertThat(store.bytes.get(id)).isEqualTo(Files.readAllBytes(f));
  }

  @Test
  void put_largeFile_goesInChunksOfAtMost1MiB() throws IOException {
    Path f = file("clip.mp4", 3 * 1024 * 1024 + 7);

    String id = put(f, "--filename", "holiday.mp4");

    assertThat(store.bytes.get(id)).isEqualTo(Files.readAllBytes(f));
    assertThat(store.objects.get(id).getFilename()).isEqualTo("holiday.mp4");
    assertThat(store.uploadChunks).allMatch(n -> n >= 1 && n <= 1024 * 1024).hasSizeGreaterThan(3);
  }

  @Test
  void put_emptyFile_sendsOnlyTheHeader() throws IOException {
    String id = put(file("empty.txt", 0));

    assertThat(store.objects.get(id).getSize()).isZero();
    assertThat(store.uploadChunks).isEmpty();
  }

  @Test
  void put_json_printsTheObject_andTypeOptionWins() throws IOException {
    CliRun r = store.run("media", "put", file("data.bin", 10).toString(), "--type", "application/pdf", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode o = json(r.out());
    assertThat(o.path("mime_type").asText()).isEqualTo("application/pdf");
    assertThat(o.path("size").asText()).isEqualTo("10");
    assertThat(o.path("kind").asText()).isEqualTo("OUTBOUND");
  }

  @Test
  void put_refusedType_showsTheServersMessage_exit2() throws IOException {
    CliRun r = store.run("media", "put", file("x.exe", 10).toString(), "--type", FakeMediaStore.REFUSED_TYPE);

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("error: INVALID_ARGUMENT: type " + FakeMediaStore.REFUSED_TYPE
        + " is not one Meta accepts" + System.lineSeparator());
    assertThat(store.objects).isEmpty();
  }

  @Test
  void put_withProgress_drawsTheBarOnStderrOnly_andEndsTheLine() throws IOException {
    CliRun r = store.run("media", "put", file("doc.pdf", 600_000).toString(), "--progress");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).matches("M\\d{12}\\R");
    assertThat(r.err()).startsWith("\rupload doc.pdf  [").contains("100%", "585.9 KiB / 585.9 KiB", "/s")
        .endsWith(System.lineSeparator());
  }

  @Test
  void get_toFile_writesTheBytes_andSaysWhat() throws IOException {
    Path f = file("a.png", 200_000);
    String id = put(f);
    Path out = dir.resolve("out.png");

    CliRun r = store.run("media", "get", id, "-o", out.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(f));
    assertThat(r.out()).startsWith("wrote " + out + " (195.3 KiB, image/png, sha256 " + FakeMediaStore.sha256(Files.readAllBytes(f)));
    assertThat(leftovers()).containsExactlyInAnyOrder("a.png", "out.png");
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void get_existingFile_isRefusedWithoutForce_andReplacedWithIt() throws IOException {
    String id = put(file("a.png", 100));
    Path out = Files.writeString(dir.resolve("out.png"), "keep me");

    CliRun refused = store.run("media", "get", id, "-o", out.toString());

    assertThat(refused.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).startsWith("error: " + out + " exists; use --force to overwrite it");
    assertThat(Files.readString(out)).isEqualTo("keep me");

    CliRun forced = store.run("media", "get", id, "-o", out.toString(), "--force");

    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(store.bytes.get(id));
  }

  @Test
  void get_corruptBytes_failsClearly_andLeavesNoFile() throws IOException {
    String id = put(file("a.png", 100_000));
    store.corruptDownloads = true;
    Path out = dir.resolve("out.png");

    CliRun r = store.run("media", "get", id, "-o", out.toString());

    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).startsWith("error: the download of " + id + " is corrupt: SHA-256 of the received bytes is ")
        .contains(out + " was not written");
    assertThat(leftovers()).containsExactly("a.png");
  }

  @Test
  void get_unknownId_exits3WithTheServersMessage_andLeavesNoFile() throws IOException {
    CliRun r = store.run("media", "get", "M000000000099", "-o", dir.resolve("x").toString());

    assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).isEqualTo("error: NOT_FOUND: no media M000000000099" + System.lineSeparator());
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void get_toStdout_writesRawBytes() throws IOException {
    String id = put(file("a.ogg", 70_000));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    CliRun r = store.run(stdout, CliRun.NO_TERMINAL, "media", "get", id, "-o", "-");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(stdout.toByteArray()).isEqualTo(store.bytes.get(id));
    assertThat(r.out()).isEmpty();
  }

  @Test
  void get_withoutOutputOnATerminal_refusesToWriteBinaryThere() {
    Prompter terminal = new Prompter() {
      @Override
      public boolean interactive() {
        return true;
      }

      @Override
      public boolean confirm(String question) {
        throw new AssertionError(question);
      }
    };
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    CliRun r = store.run(stdout, terminal, "media", "get", "M000000000001");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).startsWith("error: stdout is a terminal; give -o FILE");
    assertThat(stdout.size()).isZero();
  }

  @Test
  void ls_table_newestFirst_withHumanSizes_andFilenameOrOwner() throws IOException {
    String out = put(file("report.pdf", 2048));
    String in = store.putInbound("audio/ogg", new byte[5]).getId();

    CliRun r = store.run("media", "ls");

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).matches("ID +KIND +STATE +TYPE +SIZE +CREATED +FILENAME/OWNER");
    assertThat(lines.get(1)).startsWith(in).contains("inbound", "stored", "audio/ogg", "5 B")
        .endsWith("meta:100000000000001");
    assertThat(lines.get(2)).startsWith(out).contains("outbound", "application/pdf", "2.0 KiB").endsWith("report.pdf")
        .containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(lines).hasSize(3);
  }

  @Test
  void ls_onePage_printsTheNextToken_andAllFollowsThem() throws IOException {
    for (int i = 0; i < 5; i++) {
      put(file("f" + i + ".txt", i + 1));
    }

    CliRun page = store.run("media", "ls", "--limit", "2");
    assertThat(page.exit()).as(page.err()).isZero();
    assertThat(page.out().lines().toList()).hasSize(5).last().isEqualTo("more: --page-token 2");

    CliRun next = store.run("media", "ls", "--limit", "2", "--page-token", "4");
    assertThat(next.out().lines().toList()).hasSize(2);

    CliRun all = store.run("media", "ls", "--limit", "2", "--all", "--json");
    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(all.err()).isEmpty();
    List<String> ids = all.out().lines().map(l -> json(l).path("id").asText()).toList();
    assertThat(ids).hasSize(5).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void ls_jsonOnePage_putsTheTokenOnStderr() throws IOException {
    put(file("a.txt", 1));
    put(file("b.txt", 1));

    CliRun r = store.run("media", "ls", "--limit", "1", "--json", "--kind", "OUTBOUND");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).hasSize(1);
    assertThat(r.err()).isEqualTo("more: --page-token 1" + System.lineSeparator());
  }

  @Test
  void ls_empty_saysSo() {
    CliRun r = store.run("media", "ls", "--kind", "inbound");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("no media" + System.lineSeparator());
  }

  @Test
  void rm_isIdempotent_andSaysWhichPerId() throws IOException {
    String id = put(file("a.txt", 3));

    CliRun r = store.run("media", "rm", id, "M000000000077");
    CliRun again = store.run("media", "rm", id, "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines()).containsExactly("deleted " + id, "M000000000077 already gone");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out().strip()).isEqualTo("{\"id\":\"" + id + "\",\"deleted\":false}");
    assertThat(store.objects).isEmpty();
  }

  @Test
  void stats_showsPerKindQuotaKeyAndNoRotation() throws IOException {
    put(file("a.pdf", 1024 * 1024));
    store.putInbound("image/jpeg", new byte[10]);

    CliRun r = store.run("media", "stats");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines()).containsExactly(
        "objects     2 (1.0 MiB)",
        "inbound     1 (10 B)",
        "outbound    1 (1.0 MiB)",
        "quota       12.5 % of 8.0 MiB used",
        "fetching    0",
        "master key  k1",
        "rotation    none");
    CliRun json = store.run("media", "stats", "--json");
    assertThat(json(json.out()).path("outbound_bytes").asText()).isEqualTo("1048576");
  }

  @Test
  void keysRotate_waitsShowingProgress_andPrintsOldAndNewKey() throws IOException {
    for (int i = 0; i < 3; i++) {
      put(file("f" + i + ".txt", 10));
    }

    CliRun r = store.run("keys", "rotate", "--poll-interval", "1ms", "--progress");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("rotated master key k1 -> k2 (3 data keys re-wrapped)" + System.lineSeparator());
    assertThat(r.err()).startsWith("rotating master key k1 -> k2 (Ctrl-C stops waiting, not the rotation)")
        .contains("\rre-wrapping data keys  [", "3 / 3");
    assertThat(store.masterKey).isEqualTo("k2");
    CliRun stats = store.run("media", "stats");
    assertThat(stats.out()).contains("master key  k2", "rotation    none");
  }

  @Test
  void keysRotate_noWait_returnsAtOnce_andStatsShowsTheRotation() throws IOException {
    put(file("f.txt", 10));
    put(file("g.txt", 10));

    CliRun r = store.run("keys", "rotate", "--no-wait", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = json(r.out());
    assertThat(j.path("old_key_id").asText()).isEqualTo("k1");
    assertThat(j.path("new_key_id").asText()).isEqualTo("k2");
    assertThat(j.path("finished").asBoolean()).isFalse();
    CliRun stats = store.run("media", "stats");
    assertThat(stats.out()).contains("master key  k1", "rotation    to k2: 0/2 data keys re-wrapped (0 %)");
  }

  @Test
  void keysRotate_withoutTerminal_drawsNoBar() {
    CliRun r = store.run("keys", "rotate", "--poll-interval", "1ms");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("\r");
    assertThat(r.out()).isEqualTo("rotated master key k1 -> k2 (0 data keys re-wrapped)" + System.lineSeparator());
  }

  @Test
  void keysRotate_rotationNotYetVisible_keepsWaiting() throws IOException {
    put(file("f.txt", 10));
    store.rotationShowsUpAfter = 3;

    CliRun r = store.run("keys", "rotate", "--poll-interval", "1ms");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("rotated master key k1 -> k2 (1 data keys re-wrapped)" + System.lineSeparator());
  }

  @Test
  void keysRotate_rotationThatNeverShowsUp_failsAfterTimeout_namingBothKeys() throws IOException {
    put(file("f.txt", 10));
    store.rotationFailsAtOnce = true;

    CliRun r = store.run("keys", "rotate", "--poll-interval", "10ms", "--timeout", "300ms");

    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).endsWith("error: the rotation to k2 is not reported by MediaStore.Stats, yet the active key is"
        + " still k1; it may have failed: see the Wagate log" + System.lineSeparator());
  }
}
