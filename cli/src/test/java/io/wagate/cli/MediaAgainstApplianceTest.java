package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wagatectl media ...} and {@code keys rotate} against the real appliance: its encrypted
 * store, its type and size checks, its master key (the sandbox's generated key file).
 */
class MediaAgainstApplianceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  @TempDir Path files;
  private ApplianceFixture wagate;

  @BeforeEach
  void start() {
    wagate = ApplianceFixture.inProcess(dataDir);
  }

  @AfterEach
  void stop() {
    wagate.close();
  }

  private static byte[] jpeg(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    byte[] magic = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};
    System.arraycopy(magic, 0, b, 0, Math.min(magic.length, size));
    return b;
  }

  private static byte[] pdf(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    byte[] magic = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, b, 0, Math.min(magic.length, size));
    return b;
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /**
   * Runs {@code media VERB} with {@code --target} and {@code options} first and {@code ids} after
   * {@code --}, as scripts may write it.
   */
  private CliRun media(ApplianceFixture f, String verb, List<String> options, String... ids) {
    List<String> args = new java.util.ArrayList<>(List.of("media", verb, "--target", f.target()));
    args.addAll(options);
    args.add("--");
    args.addAll(List.of(ids));
    return CliRun.run(f.target().startsWith("in-process:") ? ApplianceFixture.inProcessChannels()
        : io.wagate.cli.connection.ChannelFactory.netty(), java.time.Clock.systemUTC(), args.toArray(String[]::new));
  }

  private String put(String name, byte[] data) throws IOException {
    CliRun r = wagate.run("media", "put", Files.write(files.resolve(name), data).toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).matches("\\S+\\R");
    return r.out().strip();
  }

  /** Gets {@code id} into a new file and returns the SHA-256 of what was written. */
  private String getSha(String id) throws IOException {
    Path out = files.resolve("got-" + id);
    CliRun r = media(wagate, "get", List.of("-o", out.toString()), id);
    assertThat(r.exit()).as(r.err()).isZero();
    return sha256(Files.readAllBytes(out));
  }

  @Test
  void putGet_sizes0_1_andAFewMB_comeBackByteIdentical() throws IOException {
    byte[] empty = new byte[0];
    byte[] one = "x".getBytes(StandardCharsets.US_ASCII);
    byte[] big = pdf(3 * 1024 * 1024 + 17);

    String e = put("empty.txt", empty);
    String o = put("one.txt", one);
    String b = put("big.pdf", big);

    assertThat(getSha(e)).isEqualTo(sha256(empty));
    assertThat(getSha(o)).isEqualTo(sha256(one));
    assertThat(getSha(b)).isEqualTo(sha256(big));
  }

  @Test
  void put_json_isTheStoredObject_withTheSha256OfTheFile() throws IOException {
    byte[] data = jpeg(300_000);
    CliRun r = wagate.run("media", "put", Files.write(files.resolve("p.jpg"), data).toString(), "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode o = json(r.out());
    assertThat(o.path("mime_type").asText()).isEqualTo("image/jpeg");
    assertThat(o.path("state").asText()).isEqualTo("STORED");
    assertThat(o.path("kind").asText()).isEqualTo("OUTBOUND");
    assertThat(o.path("sha256").asText()).isEqualTo(sha256(data));
    assertThat(o.path("filename").asText()).isEqualTo("p.jpg");
  }

  @Test
  void lsAndStats_showWhatWasPut() throws IOException {
    String id = put("report.pdf", pdf(2048));

    CliRun ls = wagate.run("media", "ls");
    CliRun stats = wagate.run("media", "stats");
    CliRun statsJson = wagate.run("media", "stats", "--json");

    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(ls.out().lines().toList().get(0)).matches("ID +KIND +STATE +TYPE +SIZE +CREATED +FILENAME/OWNER");
    assertThat(ls.out().lines()).anyMatch(l -> l.startsWith(id) && l.contains("outbound") && l.contains("stored")
        && l.contains("application/pdf") && l.contains("2.0 KiB") && l.endsWith("report.pdf"));
    assertThat(stats.exit()).as(stats.err()).isZero();
    assertThat(stats.out().lines()).contains("objects     1 (2.0 KiB)", "outbound    1 (2.0 KiB)", "inbound     0 (0 B)",
        "fetching    0", "rotation    none").anyMatch(l -> l.matches("master key  \\S+"));
    assertThat(json(statsJson.out()).path("outbound_objects").asText()).isEqualTo("1");
  }

  @Test
  void lsAll_followsPageTokens() throws IOException {
    for (int i = 0; i < 3; i++) {
      put("f" + i + ".txt", ("text " + i).getBytes(StandardCharsets.US_ASCII));
    }

    CliRun page = wagate.run("media", "ls", "--limit", "2");
    CliRun all = wagate.run("media", "ls", "--limit", "2", "--all", "--json", "--kind", "outbound");

    assertThat(page.exit()).as(page.err()).isZero();
    assertThat(page.out().lines()).anyMatch(l -> l.startsWith("more: --page-token "));
    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(all.out().lines().map(l -> json(l).path("id").asText()).toList()).hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  void rm_thenGet_isNotFound_exit3_andRmAgainSaysAlreadyGone() throws IOException {
    String id = put("a.jpg", jpeg(10_000));

    CliRun rm = media(wagate, "rm", List.of(), id);
    CliRun get = media(wagate, "get", List.of("-o", files.resolve("gone.jpg").toString()), id);
    CliRun again = media(wagate, "rm", List.of(), id);

    assertThat(rm.exit()).as(rm.err()).isZero();
    assertThat(rm.out()).isEqualTo("deleted " + id + System.lineSeparator());
    assertThat(get.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(get.err()).startsWith("error: NOT_FOUND: ").contains(id);
    assertThat(Files.exists(files.resolve("gone.jpg"))).isFalse();
    assertThat(leftovers()).doesNotContain("gone.jpg").noneMatch(n -> n.endsWith(".part"));
    assertThat(again.out()).isEqualTo(id + " already gone" + System.lineSeparator());
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(files)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void put_refusedType_showsTheServersMessage_exit2() throws IOException {
    Path f = Files.write(files.resolve("tool.exe"), new byte[10]);

    CliRun r = wagate.run("media", "put", f.toString(), "--type", "application/x-msdownload");

    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).startsWith("error: INVALID_ARGUMENT: ").contains("application/x-msdownload");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void put_overTheCapForItsType_showsTheServersMessage_exit2() throws IOException {
    CliRun r = wagate.run("media", "put", Files.write(files.resolve("huge.jpg"), jpeg(6 * 1024 * 1024)).toString());

    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).startsWith("error: INVALID_ARGUMENT: ");
    assertThat(stats().path("objects").asText()).isEqualTo("0");
  }

  @Test
  void put_contentNotWhatTheNameSays_showsTheServersMessage_exit2() throws IOException {
    CliRun r = wagate.run("media", "put", Files.write(files.resolve("photo.png"), jpeg(10_000)).toString());

    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).startsWith("error: INVALID_ARGUMENT: ").contains("image/png", "image/jpeg");
    assertThat(stats().path("objects").asText()).isEqualTo("0");
  }

  private JsonNode stats() {
    CliRun s = wagate.run("media", "stats", "--json");
    assertThat(s.exit()).as(s.err()).isZero();
    return json(s.out());
  }

  @Test
  void keysRotate_waitsWithProgress_printsOldAndNewKey_andMediaStaysDownloadable() throws IOException {
    byte[] a = jpeg(100_000);
    byte[] b = pdf(50_000);
    String ida = put("a.jpg", a);
    String idb = put("b.pdf", b);
    String before = stats().path("master_key_id").asText();

    CliRun r = wagate.run("keys", "rotate", "--progress");

    assertThat(r.exit()).as(r.err()).isZero();
    String after = stats().path("master_key_id").asText();
    assertThat(after).isNotEqualTo(before);
    assertThat(r.out()).isEqualTo("rotated master key " + before + " -> " + after + " (2 data keys re-wrapped)"
        + System.lineSeparator());
    assertThat(r.err()).startsWith("rotating master key " + before + " -> " + after).contains("re-wrapping data keys");
    assertThat(stats().has("rotation")).isFalse();
    assertThat(getSha(ida)).isEqualTo(sha256(a));
    assertThat(getSha(idb)).isEqualTo(sha256(b));
  }

  @Test
  void keysRotate_noWait_json_namesBothKeys() throws InterruptedException {
    String before = stats().path("master_key_id").asText();

    CliRun r = wagate.run("keys", "rotate", "--no-wait", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = json(r.out());
    assertThat(j.path("old_key_id").asText()).isEqualTo(before);
    String target = j.path("new_key_id").asText();
    assertThat(target).isNotEmpty().isNotEqualTo(before);
    // it goes on without wagatectl
    long deadline = System.nanoTime() + ApplianceFixture.WAIT.toNanos();
    while (!stats().path("master_key_id").asText().equals(target)) {
      assertThat(System.nanoTime() - deadline).as("rotation to " + target + " finished in time").isNegative();
      Thread.sleep(20);
    }
  }

  @Test
  void putGet_overARealSocket_8MB_withProgressBars(@TempDir Path otherDataDir) throws IOException {
    byte[] data = pdf(8 * 1024 * 1024);
    Path f = Files.write(files.resolve("manual.pdf"), data);
    try (ApplianceFixture loopback = ApplianceFixture.onLoopback(otherDataDir)) {
      CliRun put = loopback.run("media", "put", f.toString(), "--progress");
      assertThat(put.exit()).as(put.err()).isZero();
      assertThat(put.err()).startsWith("\rupload manual.pdf  [").contains("100%  8.0 MiB / 8.0 MiB");
      String id = put.out().strip();

      Path out = files.resolve("back.pdf");
      CliRun get = media(loopback, "get", List.of("-o", out.toString(), "--progress"), id);

      assertThat(get.exit()).as(get.err()).isZero();
      assertThat(get.err()).startsWith("\rdownload " + id + "  [").contains("100%  8.0 MiB / 8.0 MiB");
      assertThat(get.out()).startsWith("wrote " + out + " (8.0 MiB, application/pdf, sha256 " + sha256(data) + ")");
      assertThat(sha256(Files.readAllBytes(out))).isEqualTo(sha256(data));
    }
  }
}
