package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.wagate.sandbox.SampleTemplates;
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
 * {@code wagatectl sandbox template} and {@code wagatectl sandbox marketing} against the real
 * appliance in sandbox mode: the emulator's catalogue and opt-outs change, and Meta's webhooks follow.
 */
class SandboxPolicyCommandsTest {

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
    SampleTemplates.all().forEach(wagate.emulator.templates()::add);
    wagate.emulator.webhooks().setTarget(
        URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhook"), "cli-secret");
  }

  @AfterEach
  void stop() {
    wagate.close();
    receiver.stop(0);
  }

  @Test
  void template_setsTheStatus_andTheWebhookFollows() {
    CliRun r = wagate.run("sandbox", "template", "spring_sale", "--language", "en_US", "--status", "PAUSED",
        "--reason", "LOW_QUALITY");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).matches("spring_sale en_US PAUSED MARKETING id [0-9]+" + NL);
    assertThat(wagate.emulator.templates().list()).anySatisfy(t -> {
      assertThat(t.name()).isEqualTo("spring_sale");
      assertThat(t.status()).isEqualTo("PAUSED");
    });
    assertThat(wagate.emulator.awaitWebhooksIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(String.join("", bodies)).contains("\"field\":\"message_template_status_update\"")
        .contains("\"event\":\"PAUSED\"").contains("\"reason\":\"LOW_QUALITY\"");
  }

  @Test
  void template_category_json() {
    CliRun r = wagate.run("sandbox", "template", "order_update", "--language", "es_ES", "--category", "marketing",
        "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"category\": \"MARKETING\"");
    assertThat(wagate.emulator.awaitWebhooksIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(String.join("", bodies)).contains("\"field\":\"template_category_update\"");
  }

  @Test
  void template_badInput_failsNamingIt() {
    CliRun unknown = wagate.run("sandbox", "template", "nope", "--language", "en_US", "--status", "PAUSED");
    CliRun badStatus = wagate.run("sandbox", "template", "spring_sale", "--language", "en_US", "--status", "ASLEEP");
    CliRun nothing = wagate.run("sandbox", "template", "spring_sale", "--language", "en_US");
    CliRun noLanguage = wagate.run("sandbox", "template", "spring_sale", "--status", "PAUSED");

    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("no template nope (en_US)");
    assertThat(badStatus.exit()).isNotZero();
    assertThat(badStatus.err()).contains("ASLEEP");
    assertThat(nothing.exit()).isEqualTo(2);
    assertThat(nothing.err()).contains("--status or --category is required");
    assertThat(noLanguage.exit()).isEqualTo(2);
    assertThat(wagate.emulator.templates().list()).allSatisfy(t -> assertThat(t.status()).isEqualTo("APPROVED"));
  }

  @Test
  void marketing_stopAndResume_postUserPreferences() {
    CliRun stop = wagate.run("sandbox", "marketing", "+1 555 000 1111", "--stop");
    assertThat(stop.exit()).as(stop.err()).isZero();
    assertThat(stop.out()).isEqualTo("15550001111 stop" + NL);
    assertThat(wagate.emulator.policy().stoppedMarketing()).containsExactly(ApplianceFixture.NUMBER_ID + "|15550001111");

    CliRun resume = wagate.run("sandbox", "marketing", "15550001111", "--resume");
    assertThat(resume.exit()).as(resume.err()).isZero();
    assertThat(wagate.emulator.policy().stoppedMarketing()).isEmpty();
    assertThat(wagate.emulator.awaitWebhooksIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(String.join("", bodies)).contains("\"field\":\"user_preferences\"").contains("\"value\":\"stop\"")
        .contains("\"value\":\"resume\"");
  }

  @Test
  void inbound_ago_datesTheMessage() {
    long before = java.time.Instant.now().minus(Duration.ofHours(26)).getEpochSecond();
    CliRun r = wagate.run("sandbox", "inbound", "--from", "15550001111", "--text", "old", "--ago", "26h");
    CliRun bad = wagate.run("sandbox", "inbound", "--from", "15550001111", "--text", "old", "--ago", "yesterday");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--ago");
    assertThat(wagate.emulator.awaitWebhooksIdle(Duration.ofSeconds(10))).isTrue();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"timestamp\":\"([0-9]+)\"")
        .matcher(String.join("", bodies));
    assertThat(m.find()).isTrue();
    assertThat(Long.parseLong(m.group(1))).isBetween(before - 5, before + 60);
    assertThat(wagate.emulator.policy().windowClosesAt(ApplianceFixture.NUMBER_ID, "15550001111").orElseThrow())
        .isBefore(java.time.Instant.now());
  }

  @Test
  void marketing_badInput_failsNamingIt() {
    CliRun both = wagate.run("sandbox", "marketing", "15550001111", "--stop", "--resume");
    CliRun neither = wagate.run("sandbox", "marketing", "15550001111");
    CliRun badUser = wagate.run("sandbox", "marketing", "bob", "--stop");
    CliRun badNumber = wagate.run("sandbox", "marketing", "15550001111", "--stop", "--number", "42");

    assertThat(both.exit()).isEqualTo(2);
    assertThat(neither.exit()).isEqualTo(2);
    assertThat(badUser.exit()).isNotZero();
    assertThat(badUser.err()).contains("user must be");
    assertThat(badNumber.exit()).isNotZero();
    assertThat(badNumber.err()).contains("phone_number_id 42");
    assertThat(wagate.emulator.policy().stoppedMarketing()).isEmpty();
  }
}
