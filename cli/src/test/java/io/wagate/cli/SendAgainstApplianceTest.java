package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagate.api.v1.State;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wagatectl send} against the real appliance: what it prints, and what reaches the emulated Meta. */
class SendAgainstApplianceTest {

  private static final String NL = System.lineSeparator();
  private static final String TO = "+15550001111";

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

  /** Sends, expects exit 0 and "accepted ID (ACCEPTED)", returns the id. */
  private String sendOk(String... contentArgs) {
    String[] args = new String[4 + contentArgs.length + 1];
    args[0] = "send";
    args[1] = "--from";
    args[2] = "support";
    args[3] = "--to";
    args[4] = TO;
    System.arraycopy(contentArgs, 0, args, 5, contentArgs.length);
    CliRun r = wagate.run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).matches("accepted [0-9A-Z]{13} \\(ACCEPTED\\)" + NL);
    return r.out().substring("accepted ".length(), "accepted ".length() + 13);
  }

  @Test
  void send_text_printsAcceptedId_andMetaGetsItWithOurIdInCallbackData() {
    String id = sendOk("--text", "hello");

    JsonNode body = wagate.awaitReceived(id);
    assertThat(body.path("messaging_product").asText()).isEqualTo("whatsapp");
    assertThat(body.path("to").asText()).isEqualTo(TO);
    assertThat(body.path("type").asText()).isEqualTo("text");
    assertThat(body.path("text").path("body").asText()).isEqualTo("hello");
    assertThat(body.path("biz_opaque_callback_data").asText()).isEqualTo("wg1:" + id);
  }

  @Test
  void send_callbackData_travelsAfterOurId() {
    String id = sendOk("--text", "hi", "--callback-data", "order-7");

    assertThat(wagate.awaitReceived(id).path("biz_opaque_callback_data").asText()).isEqualTo("wg1:" + id + ":order-7");
  }

  @Test
  void send_sameIdempotencyKeyTwice_printsDuplicateOfTheFirst_andMetaGetsOneMessage() {
    String id = sendOk("--text", "once", "--idempotency-key", "k-1");

    CliRun again = wagate.run("send", "--from", "support", "--to", TO, "--text", "once", "--idempotency-key", "k-1");

    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).matches("duplicate of " + id + " \\((ACCEPTED|QUEUED|SENDING|SUBMITTED)\\)" + NL);
    wagate.awaitReceived(id);
    wagate.awaitState(id, State.SUBMITTED);
    assertThat(wagate.emulator.received()).hasSize(1);
  }

  @Test
  void send_json_printsTheResponse() {
    CliRun r = wagate.run("send", "--from", "support", "--to", TO, "--text", "hi", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("\"id\": \"[0-9A-Z]{13}\"").contains("\"state\": \"ACCEPTED\"");
  }

  @Test
  void send_template_reachesMetaInItsShape() {
    String id = sendOk("--template", "order_update", "--language", "en_US", "--param", "Ada", "--param", "42",
        "--header-image-link", "https://example.com/h.png");

    JsonNode t = wagate.awaitReceived(id).path("template");
    assertThat(t.path("name").asText()).isEqualTo("order_update");
    assertThat(t.path("language").path("code").asText()).isEqualTo("en_US");
    JsonNode header = t.path("components").get(0);
    assertThat(header.path("type").asText()).isEqualTo("header");
    assertThat(header.path("parameters").get(0).path("type").asText()).isEqualTo("image");
    assertThat(header.path("parameters").get(0).path("image").path("link").asText()).isEqualTo("https://example.com/h.png");
    JsonNode body = t.path("components").get(1);
    assertThat(body.path("type").asText()).isEqualTo("body");
    assertThat(body.path("parameters")).hasSize(2);
    assertThat(body.path("parameters").get(0).path("type").asText()).isEqualTo("text");
    assertThat(body.path("parameters").get(0).path("text").asText()).isEqualTo("Ada");
    assertThat(body.path("parameters").get(1).path("text").asText()).isEqualTo("42");
  }

  @Test
  void send_namedTemplateParams_carryParameterName() {
    String id = sendOk("--template", "greeting", "--language", "de", "--named-param", "first_name=Ada");

    JsonNode p = wagate.awaitReceived(id).path("template").path("components").get(0).path("parameters").get(0);
    assertThat(p.path("parameter_name").asText()).isEqualTo("first_name");
    assertThat(p.path("text").asText()).isEqualTo("Ada");
  }

  @Test
  void send_imageLinkWithCaption_reachesMetaAsImage() {
    String id = sendOk("--image", "https://example.com/p.jpg", "--caption", "look");

    JsonNode body = wagate.awaitReceived(id);
    assertThat(body.path("type").asText()).isEqualTo("image");
    assertThat(body.path("image").path("link").asText()).isEqualTo("https://example.com/p.jpg");
    assertThat(body.path("image").path("caption").asText()).isEqualTo("look");
    assertThat(body.path("image").has("id")).isFalse();
  }

  @Test
  void send_documentByMediaIdWithFilename_reachesMetaAsDocument() {
    String id = sendOk("--document", "1013859600285441", "--filename", "invoice.pdf");

    JsonNode doc = wagate.awaitReceived(id).path("document");
    assertThat(doc.path("id").asText()).isEqualTo("1013859600285441");
    assertThat(doc.path("filename").asText()).isEqualTo("invoice.pdf");
    assertThat(doc.has("link")).isFalse();
  }

  @Test
  void send_location_reachesMetaWithCoordinatesNameAndAddress() {
    String id = sendOk("--location", "52.52,13.405", "--location-name", "Office", "--location-address", "Alexanderplatz 1");

    JsonNode loc = wagate.awaitReceived(id).path("location");
    assertThat(loc.path("latitude").asDouble()).isEqualTo(52.52);
    assertThat(loc.path("longitude").asDouble()).isEqualTo(13.405);
    assertThat(loc.path("name").asText()).isEqualTo("Office");
    assertThat(loc.path("address").asText()).isEqualTo("Alexanderplatz 1");
  }

  @Test
  void send_reaction_reachesMetaWithMessageIdAndEmoji() {
    String id = sendOk("--reaction", "\uD83D\uDC4D", "--reaction-to", "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA");

    JsonNode reaction = wagate.awaitReceived(id).path("reaction");
    assertThat(reaction.path("message_id").asText()).isEqualTo("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA");
    assertThat(reaction.path("emoji").asText()).isEqualTo("\uD83D\uDC4D");
  }

  @Test
  void send_recipientNotE164_exits2WithTheServersFieldViolation() {
    CliRun r = wagate.run("send", "--from", "support", "--to", "12345", "--text", "hi");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: INVALID_ARGUMENT: ");
    assertThat(r.err().lines())
        .contains("  to: '12345' is neither an E.164 phone number (+ and 7-15 digits)"
            + " nor a business-scoped user id (like US.13491208655302741918)");
    assertThat(wagate.emulator.received()).isEmpty();
  }

  @Test
  void send_textOver4096Characters_exits2WithTheServersFieldViolation() {
    CliRun r = wagate.run("send", "--from", "support", "--to", TO, "--text", "x".repeat(4097));

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines()).contains("  text.body: must be at most 4096 characters, got 4097");
  }

  @Test
  void send_severalViolations_printsOneLineEach() {
    CliRun r = wagate.run("send", "--from", "nobody", "--to", "12345", "--text", "hi");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines().filter(l -> l.startsWith("  ")))
        .containsExactly(
            "  from: unknown sender number 'nobody'; configured: support",
            "  to: '12345' is neither an E.164 phone number (+ and 7-15 digits)"
                + " nor a business-scoped user id (like US.13491208655302741918)");
  }
}
