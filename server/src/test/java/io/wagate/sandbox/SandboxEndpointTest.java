package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagate.sandbox.SandboxHttp.Response;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxEndpointTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "EAAG-test-token-1";
    static final String OTHER_NUMBER = "206540352242922";
    static final String OTHER_TOKEN = "EAAG-test-token-2";
    static final String PATH = "/v25.0/" + NUMBER + "/messages";
    static final String TEXT = """
            {"messaging_product":"whatsapp","recipient_type":"individual","to":"+1 (650) 555-1234",
             "type":"text","text":{"body":"hello"}}""";

    static SandboxEmulator sandbox;
    static URI base;

    @BeforeAll
    static void start() {
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN)
                .withNumber(OTHER_NUMBER, OTHER_TOKEN).withMaxBodyBytes(64 * 1024));
        base = sandbox.baseUrl();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.clearReceived();
        sandbox.faults().clear();
    }

    @Test
    void baseUrl_isLoopbackWithChosenPort() {
        assertThat(base.getHost()).isEqualTo("127.0.0.1");
        assertThat(base.getPort()).isPositive();
    }

    @Test
    void send_missingBearer_is401Code190() throws Exception {
        Response r = SandboxHttp.post(base, PATH, null, TEXT);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo(190);
        assertThat(r.body().at("/error/type").asText()).isEqualTo("OAuthException");
        assertThat(sandbox.receivedCount()).isZero();
    }

    @Test
    void send_unknownToken_is401Code190() throws Exception {
        Response r = SandboxHttp.post(base, PATH, "not-a-token", TEXT);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo(190);
        assertThat(r.body().toString()).doesNotContain("not-a-token");
    }

    @Test
    void send_unknownNumber_isGraphUnsupportedPost100() throws Exception {
        Response r = SandboxHttp.post(base, "/v25.0/999999/messages", TOKEN, TEXT);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(100);
        assertThat(r.body().at("/error/error_subcode").asInt()).isEqualTo(33);
        assertThat(r.body().at("/error/type").asText()).isEqualTo("GraphMethodException");
        assertThat(r.body().at("/error/message").asText()).startsWith("Unsupported post request.");
    }

    @Test
    void send_tokenOfAnotherNumber_isGraphUnsupportedPost100() throws Exception {
        Response r = SandboxHttp.post(base, PATH, OTHER_TOKEN, TEXT);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(100);
    }

    @Test
    void send_numberRegisteredAtRuntime_isAccepted() throws Exception {
        sandbox.registerNumber("3000", "late-token");
        Response r = SandboxHttp.post(base, "/v25.0/3000/messages", "late-token", TEXT);
        assertThat(r.status()).isEqualTo(200);
        assertThat(sandbox.received("3000")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v17.0", "v21.0", "v25.0", "v99.0"})
    void send_anyVersionPrefix_isAccepted(String version) throws Exception {
        Response r = SandboxHttp.post(base, "/" + version + "/" + NUMBER + "/messages", TOKEN, TEXT);
        assertThat(r.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v25/" + NUMBER + "/messages", "/25.0/" + NUMBER + "/messages",
            "/v25.0/" + NUMBER + "/medias", "/v25.0/" + NUMBER + "/media/x", "/"})
    void unknownPath_is404(String path) throws Exception {
        Response r = SandboxHttp.post(base, path, TOKEN, TEXT);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().at("/error/message").asText()).startsWith("Unknown path components");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v25.0/" + NUMBER + "/media", "/v25.0/" + NUMBER})
    void mediaPaths_withAJsonPost_are100(String path) throws Exception {
        // the media upload wants multipart (100: the parameter file is required); a node takes no POST (100/33)
        Response r = SandboxHttp.post(base, path, TOKEN, TEXT);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(100);
    }

    @Test
    void send_getOnMessages_isUnsupported() throws Exception {
        Response r = SandboxHttp.get(base, PATH);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(100);
    }

    @Test
    void send_oversizeBody_is413() throws Exception {
        String big = "{\"messaging_product\":\"whatsapp\",\"to\":\"+1650\",\"text\":{\"body\":\""
                + "x".repeat(70 * 1024) + "\"}}";
        Response r = SandboxHttp.post(base, PATH, TOKEN, big, Duration.ofSeconds(10));
        assertThat(r.status()).isEqualTo(413);
        assertThat(sandbox.receivedCount()).isZero();
    }

    @Test
    void send_bodyNotJson_is100() throws Exception {
        Response r = SandboxHttp.post(base, PATH, TOKEN, "this is not json");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(100);
    }

    @Test
    void send_text_answersMetaSuccessShapeAndRecords() throws Exception {
        Response r = SandboxHttp.post(base, PATH, TOKEN, TEXT);

        assertThat(r.status()).isEqualTo(200);
        JsonNode b = r.body();
        assertThat(b.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(b.at("/contacts/0/input").asText()).isEqualTo("+1 (650) 555-1234");
        assertThat(b.at("/contacts/0/wa_id").asText()).isEqualTo("16505551234");
        String wamid = b.at("/messages/0/id").asText();
        assertThat(wamid).startsWith("wamid.").hasSizeLessThanOrEqualTo(128);
        assertThat(b.at("/messages/0").has("message_status")).isFalse();

        List<ReceivedMessage> got = sandbox.awaitReceived(1, Duration.ofSeconds(5));
        assertThat(got).singleElement().satisfies(m -> {
            assertThat(m.phoneNumberId()).isEqualTo(NUMBER);
            assertThat(m.wamid()).isEqualTo(wamid);
            assertThat(m.body()).isEqualTo(SandboxHttp.JSON.readTree(TEXT));
            assertThat(m.at()).isNotNull();
        });
    }

    @Test
    void send_businessScopedUserId_isAcceptedAndEchoed() throws Exception {
        String body = """
                {"messaging_product":"whatsapp","recipient":"US.ENT.13491208655302741918","type":"text",
                 "text":{"body":"hi"}}""";
        Response r = SandboxHttp.post(base, PATH, TOKEN, body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().at("/contacts/0/input").asText()).isEqualTo("US.ENT.13491208655302741918");
    }

    @Test
    void send_template_answersMessageStatusAccepted() throws Exception {
        String body = """
                {"messaging_product":"whatsapp","to":"+16505551234","type":"template",
                 "template":{"name":"hello_world","language":{"code":"en_US"}}}""";
        Response r = SandboxHttp.post(base, PATH, TOKEN, body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().at("/messages/0/message_status").asText()).isEqualTo("accepted");
    }

    @Test
    void send_manyMessages_getUniqueWamids() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(SandboxHttp.post(base, PATH, TOKEN, TEXT).body().at("/messages/0/id").asText());
        }
        assertThat(ids).hasSize(200);
        assertThat(sandbox.receivedCount()).isEqualTo(200);
    }

    @Test
    void markRead_validWamid_answersSuccessAndRecords() throws Exception {
        String body = """
                {"messaging_product":"whatsapp","status":"read","message_id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                 "typing_indicator":{"type":"text"}}""";
        Response r = SandboxHttp.post(base, PATH, TOKEN, body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(SandboxHttp.JSON.readTree("{\"success\":true}"));
        assertThat(sandbox.markedRead()).hasSize(1);
        assertThat(sandbox.receivedCount()).isZero();
    }

    @Test
    void markRead_unknownFormatId_is131009() throws Exception {
        Response r = SandboxHttp.post(base, PATH, TOKEN,
                "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\"12345\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(131009);
        assertThat(sandbox.markedRead()).isEmpty();
    }

    @Test
    void inspection_listsReceivedMessagesAsJson() throws Exception {
        SandboxHttp.post(base, PATH, TOKEN, TEXT);
        SandboxHttp.post(base, "/v25.0/" + OTHER_NUMBER + "/messages", OTHER_TOKEN, TEXT);

        Response all = SandboxHttp.get(base, "/_sandbox/messages");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().path("count").asInt()).isEqualTo(2);
        assertThat(all.body().path("messages")).hasSize(2);
        JsonNode first = all.body().at("/messages/0");
        assertThat(first.path("phone_number_id").asText()).isEqualTo(NUMBER);
        assertThat(first.path("wamid").asText()).startsWith("wamid.");
        assertThat(first.path("body")).isEqualTo(SandboxHttp.JSON.readTree(TEXT));

        Response one = SandboxHttp.get(base, "/_sandbox/messages?phone_number_id=" + OTHER_NUMBER);
        assertThat(one.body().path("messages")).hasSize(1);
    }

    @Test
    void health_answersOk() throws Exception {
        Response r = SandboxHttp.get(base, "/_sandbox/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void errorEnvelope_hasMetaShape() throws Exception {
        Response r = SandboxHttp.post(base, PATH, TOKEN,
                "{\"messaging_product\":\"whatsapp\",\"to\":\"+16505551234\",\"type\":\"text\",\"text\":{}}");
        JsonNode e = r.body().path("error");
        assertThat(e.path("message").asText()).isEqualTo("(#131008) Required parameter is missing");
        assertThat(e.path("type").asText()).isEqualTo("OAuthException");
        assertThat(e.path("code").asInt()).isEqualTo(131008);
        assertThat(e.at("/error_data/messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(e.at("/error_data/details").asText()).contains("text['body']");
        assertThat(e.path("fbtrace_id").asText()).hasSizeBetween(23, 27);
    }

    @Test
    void latency_delaysEveryAnswer() throws Exception {
        try (SandboxEmulator slow = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN)
                .withLatency(Duration.ofMillis(300)))) {
            long t0 = System.nanoTime();
            Response r = SandboxHttp.post(slow.baseUrl(), PATH, TOKEN, TEXT);
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(200);
            assertThat(elapsedMs).isGreaterThanOrEqualTo(290);
        }
    }

    @Test
    void awaitReceived_timesOutWithCount() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sandbox.awaitReceived(1, Duration.ofMillis(50)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("got 0");
    }
}
