package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Inbound messages injected as a user's phone would send them, by Java and over the control API. */
class SandboxInboundTest {

    static final String NUMBER = "106540352242922";
    static final Duration WAIT = Duration.ofSeconds(10);

    WebhookReceiver receiver;
    SandboxEmulator sandbox;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, "tok")
                .withWebhook(receiver.uri(), WebhookReceiver.SECRET));
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    /** Every type's control-API body (the type's object under its name), from reference §4.5 and §11. */
    static Map<String, String> everyType() {
        return Map.ofEntries(
                Map.entry("text", "{\"body\":\"Does it come in another color?\"}"),
                Map.entry("image", "{\"id\":\"1479537139650973\",\"mime_type\":\"image/jpeg\",\"sha256\":\"abc\",\"caption\":\"look\"}"),
                Map.entry("audio", "{\"id\":\"1479537139650974\",\"voice\":true}"),
                Map.entry("video", "{}"),
                Map.entry("document", "{\"filename\":\"invoice.pdf\"}"),
                Map.entry("sticker", "{\"animated\":false}"),
                Map.entry("location", "{\"latitude\":52.52,\"longitude\":13.405,\"name\":\"Berlin\"}"),
                Map.entry("contacts", "[{\"name\":{\"formatted_name\":\"Ana Lima\"},\"phones\":[{\"phone\":\"+1 650 555 0000\"}]}]"),
                Map.entry("interactive", "{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"row-1\",\"title\":\"First\"}}"),
                Map.entry("button", "{\"payload\":\"STOP\",\"text\":\"Stop promotions\"}"),
                Map.entry("reaction", "{\"message_id\":\"wamid.HBgLabc\",\"emoji\":\"\\ud83d\\udc4d\"}"),
                Map.entry("order", "{\"catalog_id\":\"cat1\",\"product_items\":[{\"product_retailer_id\":\"sku1\","
                        + "\"quantity\":2,\"item_price\":9.5,\"currency\":\"EUR\"}]}"),
                Map.entry("system", "{\"type\":\"user_changed_number\",\"body\":\"User A changed number\",\"wa_id\":\"16505559999\"}"),
                Map.entry("request_welcome", "{}"),
                Map.entry("unsupported", "{\"type\":\"edit\"}"));
    }

    static java.util.stream.Stream<String> types() {
        return everyType().keySet().stream().sorted();
    }

    JsonNode onlyValue() {
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(receiver.posts()).hasSize(1);
        WebhookReceiver.Post p = receiver.posts().get(0);
        assertThat(p.signatureValid()).isTrue();
        JsonNode change = p.json().path("entry").get(0).path("changes").get(0);
        assertThat(change.path("field").asText()).isEqualTo("messages");
        return change.path("value");
    }

    @ParameterizedTest
    @MethodSource("types")
    void everyType_overTheControlApi_yieldsAWellFormedSignedWebhook(String type) throws Exception {
        String body = "{\"from\":\"+16505551234\",\"name\":\"Sheena\",\"type\":\"" + type + "\",\"" + type + "\":"
                + everyType().get(type) + "}";
        SandboxHttp.Response r = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/inbound", body);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        String wamid = r.body().path("wamid").asText();

        JsonNode value = onlyValue();
        assertThat(value.path("metadata").path("phone_number_id").asText()).isEqualTo(NUMBER);
        JsonNode m = value.path("messages").get(0);
        assertThat(m.path("id").asText()).isEqualTo(wamid).startsWith("wamid.");
        assertThat(m.path("from").asText()).isEqualTo("16505551234");
        assertThat(m.path("type").asText()).isEqualTo(type);
        assertThat(m.path("timestamp").asText()).matches("[0-9]{10}");
        if (type.equals("system")) {
            assertThat(value.has("contacts")).isFalse();
        } else {
            JsonNode contact = value.path("contacts").get(0);
            assertThat(contact.path("profile").path("name").asText()).isEqualTo("Sheena");
            assertThat(contact.path("wa_id").asText()).isEqualTo("16505551234");
        }
        switch (type) {
            case "request_welcome" -> assertThat(m.has(type)).isFalse();
            case "unsupported" -> assertThat(m.path("errors").get(0).path("code").asInt()).isEqualTo(131051);
            case "image", "audio", "video", "document", "sticker" -> {
                assertThat(m.path(type).path("id").asText()).isNotEmpty();
                assertThat(m.path(type).path("mime_type").asText()).contains("/");
                assertThat(m.path(type).path("sha256").asText()).isNotEmpty();
            }
            default -> assertThat(m.path(type).isContainerNode()).isTrue();
        }
    }

    @Test
    void javaApi_buttonReply_withContext_andNonAsciiText() {
        sandbox.injectInbound(InboundSpec.buttonReply("16505551234", "yes", "Sí, gracias \ud83d\ude00")
                .withContext("wamid.HBgLquoted").withName("Zoë"));

        JsonNode value = onlyValue();
        JsonNode m = value.path("messages").get(0);
        assertThat(m.path("context").path("id").asText()).isEqualTo("wamid.HBgLquoted");
        assertThat(m.path("context").path("from").asText()).isEqualTo("15552242922");
        assertThat(m.path("interactive").path("button_reply").path("title").asText()).isEqualTo("Sí, gracias \ud83d\ude00");
        assertThat(receiver.posts().get(0).text()).contains("S\\u00ed, gracias \\ud83d\\ude00").contains("Zo\\u00eb");
    }

    @Test
    void userKnownOnlyByBsuid_hasUserIdAndFromUserId_noWaId() {
        sandbox.injectInbound(InboundSpec.text(null, "hi").withUserId("US.13491208655302741918"));

        JsonNode value = onlyValue();
        assertThat(value.path("contacts").get(0).path("user_id").asText()).isEqualTo("US.13491208655302741918");
        assertThat(value.path("contacts").get(0).has("wa_id")).isFalse();
        JsonNode m = value.path("messages").get(0);
        assertThat(m.path("from_user_id").asText()).isEqualTo("US.13491208655302741918");
        assertThat(m.has("from")).isFalse();
    }

    @Test
    void textFromAnAd_carriesAReferral() throws Exception {
        sandbox.injectInbound(InboundSpec.text("16505551234", "I saw your ad")
                .withReferral(SandboxHttp.JSON.readTree("{\"headline\":\"Spring sale\"}")));

        JsonNode referral = onlyValue().path("messages").get(0).path("referral");
        assertThat(referral.path("headline").asText()).isEqualTo("Spring sale");
        assertThat(referral.path("source_type").asText()).isEqualTo("ad");
        assertThat(referral.path("ctwa_clid").asText()).isNotEmpty();
    }

    @Test
    void nfmReply_needsJsonInResponseJson() {
        assertThatThrownBy(() -> sandbox.injectInbound(InboundSpec.of("interactive", "16505551234",
                SandboxHttp.JSON.readTree("{\"type\":\"nfm_reply\",\"nfm_reply\":{\"response_json\":\"nope\"}}"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interactive.nfm_reply.response_json");
    }

    @Test
    void controlApi_badRequests_are400_namingTheProblem() throws Exception {
        assertThat(error("POST", "/_sandbox/inbound", "{not json")).contains("body is not JSON");
        assertThat(error("POST", "/_sandbox/inbound", "{\"from\":\"16505551234\",\"type\":\"selfie\"}"))
                .contains("type must be one of");
        assertThat(error("POST", "/_sandbox/inbound", "{\"type\":\"text\",\"text\":{\"body\":\"x\"}}"))
                .contains("from (the user's wa_id) or user_id");
        assertThat(error("POST", "/_sandbox/inbound", "{\"from\":\"16505551234\",\"type\":\"text\",\"text\":{}}"))
                .contains("text.body must be a non-empty string");
        assertThat(error("POST", "/_sandbox/inbound", "{\"from\":\"16505551234\",\"type\":\"location\","
                + "\"location\":{\"latitude\":95,\"longitude\":0}}")).contains("location.latitude");
        assertThat(error("POST", "/_sandbox/inbound", "{\"from\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"x\"},"
                + "\"image\":{}}")).contains("unknown field 'image'");
        assertThat(error("POST", "/_sandbox/inbound", "{\"from\":\"abc\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}"))
                .contains("from must be the user's phone number");
        assertThat(error("POST", "/_sandbox/inbound", "{\"phone_number_id\":\"999\",\"from\":\"16505551234\","
                + "\"type\":\"text\",\"text\":{\"body\":\"x\"}}")).contains("phone_number_id 999 is not a number");
        assertThat(error("POST", "/_sandbox/webhook", "{\"skip_delivered\":\"yes\"}")).contains("skip_delivered must be true or false");
        assertThat(error("POST", "/_sandbox/webhook", "{\"sent_delay\":5}")).contains("unknown webhook field 'sent_delay'");
        assertThat(error("POST", "/_sandbox/webhook", "{\"target\":\"ftp://x\"}")).contains("webhook.target");
        assertThat(error("POST", "/_sandbox/webhook", "{\"failures\":{\"+1650\":\"bad\"}}")).contains("failures[+1650]");
        assertThat(error("POST", "/_sandbox/webhook", "{\"template_categories\":{\"promo\":\"spam\"}}"))
                .contains("marketing, utility or authentication");
    }

    @Test
    void controlApi_webhookSettings_changeBehaviour_andReportCounts() throws Exception {
        SandboxHttp.Response r = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/webhook",
                "{\"sent_delay_ms\":0,\"delivered_delay_ms\":10,\"skip_read\":true,\"duplicate\":false,"
                        + "\"failures\":{\"+16505550099\":{\"code\":131049,\"details\":\"ecosystem\"}},"
                        + "\"template_categories\":{\"otp\":\"authentication\"},\"retry_schedule_ms\":[0,100],"
                        + "\"max_age_seconds\":60,\"max_batch\":50,\"linger_ms\":2}");
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        assertThat(r.body().path("skip_read").asBoolean()).isTrue();
        assertThat(r.body().path("failures").path("16505550099").path("code").asInt()).isEqualTo(131049);
        assertThat(r.body().path("target").asText()).isEqualTo(receiver.uri().toString());
        assertThat(sandbox.webhooks().behaviour().failureFor("+1 650 555 0099").code()).isEqualTo(131049);
        assertThat(sandbox.webhooks().options().retrySchedule()).containsExactly(Duration.ZERO, Duration.ofMillis(100));

        assertThat(SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/webhook/pause", null).body()
                .path("paused").asBoolean()).isTrue();
        assertThat(SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/webhook/resume", null).body()
                .path("paused").asBoolean()).isFalse();
        SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/inbound",
                "{\"from\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        JsonNode stats = SandboxHttp.get(sandbox.baseUrl(), "/_sandbox/webhook").body().path("stats");
        assertThat(stats.path("inbound").asLong()).isEqualTo(1);
        assertThat(stats.path("answered_ok").asLong()).isEqualTo(1);
        assertThat(stats.path("pending").asLong()).isZero();
    }

    @Test
    void controlApi_inboundWithoutTarget_is409() throws Exception {
        sandbox.webhooks().setTarget(null, null);
        SandboxHttp.Response r = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/inbound",
                "{\"from\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().path("error").path("message").asText()).contains("no webhook target");
    }

    private String error(String method, String path, String body) throws Exception {
        SandboxHttp.Response r = SandboxHttp.control(sandbox.baseUrl(), method, path, body);
        assertThat(r.status()).as("%s %s -> %s", method, body, r.body()).isEqualTo(400);
        return r.body().path("error").path("message").asText();
    }
}
