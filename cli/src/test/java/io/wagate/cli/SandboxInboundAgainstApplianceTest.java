package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wagatectl sandbox inbound} against the real appliance in sandbox mode: the call succeeds,
 * prints the wamid, and the emulator posts the webhook (here to a recording endpoint; the
 * appliance's own webhook receiver and stored events come later).
 */
class SandboxInboundAgainstApplianceTest {

  private static final String NL = System.lineSeparator();

  @TempDir Path dataDir;
  private ApplianceFixture wagate;
  private HttpServer receiver;
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    receiver.createContext("/webhook", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        bodies.add(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receiver.start();
    wagate = ApplianceFixture.inProcess(dataDir);
    wagate.emulator.webhooks().setTarget(
        URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhook"), "cli-secret");
  }

  @AfterEach
  void stop() {
    wagate.close();
    receiver.stop(0);
  }

  @Test
  void inbound_text_printsTheWamid_andTheWebhookCarriesIt() {
    CliRun r = wagate.run("sandbox", "inbound", "--from", "15550001111", "--text", "hi", "--name", "Ana");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).matches("wamid\\.[A-Za-z0-9_-]+" + NL);
    String wamid = r.out().trim();
    assertThat(wagate.emulator.awaitWebhooksIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(bodies).anySatisfy(b -> assertThat(b).contains(wamid).contains("\"body\":\"hi\"")
        .contains("\"wa_id\":\"15550001111\"").contains("\"name\":\"Ana\""));
  }

  @Test
  void inbound_otherTypes_succeed() {
    assertThat(wagate.run("sandbox", "inbound", "--from", "15550001111", "--location", "52.52,13.405").exit()).isZero();
    assertThat(wagate.run("sandbox", "inbound", "--from", "15550001111", "--button-reply", "yes:Yes please").exit()).isZero();
    assertThat(wagate.run("sandbox", "inbound", "--user-id", "US.13491208655302741918", "--image", "123").exit()).isZero();
    CliRun json = wagate.run("sandbox", "inbound", "--from", "15550001111", "--reaction", "wamid.HBgLx:\uD83D\uDC4D", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"wamid\"");
    assertThat(wagate.emulator.awaitWebhooksIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(String.join("", bodies)).contains("\"button_reply\"").contains("\"from_user_id\":\"US.13491208655302741918\"")
        .contains("\"latitude\":52.52").contains("\"reaction\"");
  }

  @Test
  void inbound_imageFile_theWebhooksMediaIdHoldsTheFilesBytes() throws Exception {
    byte[] jpeg = new byte[5_000];
    new java.util.Random(7).nextBytes(jpeg);
    jpeg[0] = (byte) 0xFF;
    jpeg[1] = (byte) 0xD8;
    jpeg[2] = (byte) 0xFF;
    Path file = dataDir.resolve("receipt.jpg");
    java.nio.file.Files.write(file, jpeg);
    CliRun r = wagate.run("sandbox", "inbound", "--from", "15550001111", "--image-file", file.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(wagate.emulator.awaitWebhooksIdle(Duration.ofSeconds(10))).isTrue();
    String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(jpeg));
    assertThat(wagate.emulator.media().list()).anySatisfy(m -> {
      assertThat(m.sha256()).isEqualTo(sha);
      assertThat(m.mimeType()).isEqualTo("image/jpeg");
      assertThat(String.join("", bodies)).contains("\"id\":\"" + m.id() + "\"");
    });

    Path big = dataDir.resolve("big.jpg");
    java.nio.file.Files.write(big, new byte[1_000_000]);
    CliRun tooBig = wagate.run("sandbox", "inbound", "--from", "15550001111", "--image-file", big.toString());
    assertThat(tooBig.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(tooBig.err()).contains("--image-file").contains("up to 921600 bytes");
  }

  @Test
  void inbound_badInput_isAClearError() {
    CliRun noSender = wagate.run("sandbox", "inbound", "--text", "hi");
    assertThat(noSender.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(noSender.err()).contains("--from or --user-id is required");

    CliRun badFrom = wagate.run("sandbox", "inbound", "--from", "abc", "--text", "hi");
    assertThat(badFrom.exit()).isNotZero();
    assertThat(badFrom.err()).contains("from must be the user's phone number");

    CliRun badPair = wagate.run("sandbox", "inbound", "--from", "15550001111", "--button-reply", "nocolon");
    assertThat(badPair.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badPair.err()).contains("--button-reply must be ID:TITLE");
  }
}
