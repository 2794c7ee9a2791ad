package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Status webhooks after accepted sends, over real sockets to a recording receiver. */
class SandboxWebhookStatusTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "tok";
    static final Duration WAIT = Duration.ofSeconds(10);

    WebhookReceiver receiver;
    SandboxEmulator sandbox;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        WebhookOptions to = WebhookOptions.to(receiver.uri(), WebhookReceiver.SECRET);
        // one POST at a time: these tests read the order statuses arrive in, and concurrent POSTs
        // (like Meta's) may arrive in any order on a loaded machine
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN)
                .withWebhooks(to.withBounds(1, to.capacity()).withBehaviour(fast(WebhookBehaviour.DEFAULT))));
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    static WebhookBehaviour fast(WebhookBehaviour b) {
        return b.withDelays(Duration.ZERO, Duration.ofMillis(30), Duration.ofMillis(30), Duration.ofMillis(30));
    }

    String send(String to, String extraJson) throws Exception {
        String json = "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\"," + extraJson + "}";
        SandboxHttp.Response r = SandboxHttp.post(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/messages", TOKEN, json,
                Duration.ofSeconds(5));
        assertThat(r.status()).as("send answered %s", r.body()).isEqualTo(200);
        return r.body().path("messages").get(0).path("id").asText();
    }

    String sendText(String to) throws Exception {
        return send(to, "\"type\":\"text\",\"text\":{\"body\":\"hello\"}");
    }

    List<JsonNode> statusesOf(String wamid) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : receiver.acceptedStatuses()) {
            if (s.path("id").asText().equals(wamid)) {
                out.add(s);
            }
        }
        return out;
    }

    List<String> names(List<JsonNode> statuses) {
        return statuses.stream().map(s -> s.path("status").asText()).toList();
    }

    @Test
    void acceptedText_getsSentDeliveredRead_inOrder_pricedOnSentAndDelivered() throws Exception {
        String wamid = send("+1 650 555 1234", "\"type\":\"text\",\"text\":{\"body\":\"hi\"},"
                + "\"biz_opaque_callback_data\":\"wg1:abc\"");

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        List<JsonNode> st = statusesOf(wamid);
        assertThat(names(st)).containsExactly("sent", "delivered", "read");
        for (JsonNode s : st) {
            assertThat(s.path("recipient_id").asText()).isEqualTo("16505551234");
            assertThat(s.path("biz_opaque_callback_data").asText()).isEqualTo("wg1:abc");
            assertThat(s.path("timestamp").asText()).matches("[0-9]{10}");
            assertThat(s.has("conversation")).isFalse();
        }
        assertThat(st.get(0).path("pricing").toString()).isEqualTo(
                "{\"billable\":false,\"pricing_model\":\"PMP\",\"type\":\"free_customer_service\",\"category\":\"service\"}");
        assertThat(st.get(1).has("pricing")).isTrue();
        assertThat(st.get(2).has("pricing")).isFalse();
        JsonNode first = receiver.posts().get(0).json();
        assertThat(first.path("object").asText()).isEqualTo("whatsapp_business_account");
        assertThat(first.path("entry").get(0).path("id").asText()).isEqualTo(WebhookOptions.DEFAULT_WABA_ID);
        JsonNode change = first.path("entry").get(0).path("changes").get(0);
        assertThat(change.path("field").asText()).isEqualTo("messages");
        assertThat(change.path("value").path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(change.path("value").path("metadata").path("phone_number_id").asText()).isEqualTo(NUMBER);
        assertThat(change.path("value").path("metadata").path("display_phone_number").asText()).isEqualTo("15552242922");
        assertThat(receiver.posts()).allMatch(WebhookReceiver.Post::signatureValid);
    }

    @Test
    void template_isPricedByItsCategory_andAudioIsPlayed() throws Exception {
        sandbox.webhooks().setBehaviour(sandbox.webhooks().behaviour().withTemplateCategory("promo", "marketing"));
        String marketing = send("16505550001", "\"type\":\"template\",\"template\":{\"name\":\"promo\","
                + "\"language\":{\"code\":\"en_US\"}}");
        String utility = send("16505550001", "\"type\":\"template\",\"template\":{\"name\":\"order_update\","
                + "\"language\":{\"code\":\"en_US\"}}");
        String mediaId = sandbox.media().put(NUMBER, "audio/ogg", new byte[] {1}, SandboxMediaStore.Origin.UPLOAD).id();
        String audio = send("16505550001", "\"type\":\"audio\",\"audio\":{\"id\":\"" + mediaId + "\"}");

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(statusesOf(marketing).get(0).path("pricing").toString()).isEqualTo(
                "{\"billable\":true,\"pricing_model\":\"PMP\",\"type\":\"regular\",\"category\":\"marketing\"}");
        assertThat(statusesOf(utility).get(0).path("pricing").path("category").asText()).isEqualTo("utility");
        assertThat(names(statusesOf(audio))).containsExactly("sent", "delivered", "read", "played");
    }

    @Test
    void utilityTemplate_insideTheCustomerServiceWindow_isFree() throws Exception {
        sandbox.injectInbound(InboundSpec.text("16505550002", "hi"));
        String utility = send("+16505550002", "\"type\":\"template\",\"template\":{\"name\":\"receipt\","
                + "\"language\":{\"code\":\"en\"}}");

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        JsonNode pricing = statusesOf(utility).get(0).path("pricing");
        assertThat(pricing.path("type").asText()).isEqualTo("free_customer_service");
        assertThat(pricing.path("billable").asBoolean()).isFalse();
    }

    @Test
    void skipDelivered_onlyReadArrives_carryingPricing() throws Exception {
        sandbox.webhooks().setBehaviour(sandbox.webhooks().behaviour().withSkipDelivered(true));
        String wamid = sendText("16505551234");

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        List<JsonNode> st = statusesOf(wamid);
        assertThat(names(st)).containsExactly("sent", "read");
        assertThat(st.get(1).has("pricing")).isTrue();
    }

    @Test
    void skipRead_endsAtDelivered() throws Exception {
        sandbox.webhooks().setBehaviour(sandbox.webhooks().behaviour().withSkipRead(true));
        String wamid = sendText("16505551234");

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(names(statusesOf(wamid))).containsExactly("sent", "delivered");
    }

    @Test
    void reorder_postsDeliveredBeforeSent_withTruthfulTimestamps() throws Exception {
        sandbox.webhooks().setBehaviour(sandbox.webhooks().behaviour().withReorder(true)
                .withDelays(Duration.ZERO, Duration.ofMillis(1100), Duration.ofMillis(30), Duration.ZERO));
        String wamid = sendText("16505551234");

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        List<JsonNode> st = statusesOf(wamid);
        assertThat(names(st)).containsExactly("delivered", "sent", "read");
        assertThat(st.get(0).path("timestamp").asLong()).isGreaterThan(st.get(1).path("timestamp").asLong());
    }

    @Test
    void duplicate_postsEveryStatusTwice_inSeparatePosts() throws Exception {
        sandbox.webhooks().setBehaviour(sandbox.webhooks().behaviour().withDuplicate(true).withSkipRead(true));
        String wamid = sendText("16505551234");

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        List<JsonNode> st = statusesOf(wamid);
        assertThat(names(st)).containsExactlyInAnyOrder("sent", "sent", "delivered", "delivered");
        List<JsonNode> sent = st.stream().filter(s -> s.path("status").asText().equals("sent")).toList();
        assertThat(sent.get(0)).isEqualTo(sent.get(1));
        assertThat(receiver.posts().size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void scriptedFailure_forOneRecipient_isFailedWithMetaErrors_othersDelivered() throws Exception {
        sandbox.webhooks().setBehaviour(sandbox.webhooks().behaviour()
                .withFailure("+16505550099", StatusFailure.of(131026, "Receiver is incapable of receiving this message")));
        String failing = sendText("16505550099");
        String fine = sendText("16505550100");

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        List<JsonNode> st = statusesOf(failing);
        assertThat(names(st)).containsExactly("sent", "failed");
        JsonNode error = st.get(1).path("errors").get(0);
        assertThat(error.path("code").asInt()).isEqualTo(131026);
        assertThat(error.path("title").asText()).isEqualTo("Message undeliverable");
        assertThat(error.path("message").asText()).isEqualTo("Message undeliverable");
        assertThat(error.path("error_data").path("details").asText()).isEqualTo("Receiver is incapable of receiving this message");
        assertThat(st.get(1).has("pricing")).isFalse();
        assertThat(names(statusesOf(fine))).containsExactly("sent", "delivered", "read");
    }

    @Test
    void manySends_areBatched_intoFewerValidPosts() throws Exception {
        sandbox.webhooks().setOptions(sandbox.webhooks().options().withBatching(1000, Duration.ofMillis(20))
                .withBehaviour(fast(WebhookBehaviour.DEFAULT).withSkipRead(true)));
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            wamids.add(sendText("1650555" + String.format("%04d", i)));
        }

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(receiver.acceptedStatuses()).hasSize(400);
        assertThat(receiver.posts().size()).isLessThan(200);
        assertThat(receiver.posts()).allMatch(WebhookReceiver.Post::signatureValid);
        assertThat(receiver.posts()).anyMatch(p -> p.statuses().size() > 1);
        for (String w : wamids) {
            assertThat(names(statusesOf(w))).containsExactly("sent", "delivered");
        }
        WebhookStats s = sandbox.webhooks().stats();
        assertThat(s.statuses()).isEqualTo(400);
        assertThat(s.answeredOk()).isEqualTo(receiver.posts().size());
        assertThat(s.pending()).isZero();
    }

    @Test
    void batch_neverExceedsMaxBatch() throws Exception {
        sandbox.webhooks().setOptions(sandbox.webhooks().options().withBatching(7, Duration.ofMillis(50))
                .withBehaviour(fast(WebhookBehaviour.DEFAULT).withSkipRead(true).withSkipDelivered(true)));
        for (int i = 0; i < 30; i++) {
            sendText("16505551234");
        }
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(receiver.posts()).allMatch(p -> p.statuses().size() <= 7);
        assertThat(receiver.acceptedStatuses()).hasSize(30);
    }

    @Test
    void nonAscii_isEscapedLowercase_andTheSignatureCoversExactlyTheBytes() throws Exception {
        String wamid = send("16505551234", "\"type\":\"text\",\"text\":{\"body\":\"x\"},"
                + "\"biz_opaque_callback_data\":\"caf\u00e9 \u2713 \ud83d\ude00\"");

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        WebhookReceiver.Post post = receiver.posts().get(0);
        assertThat(post.text().chars()).as("ASCII only").allMatch(c -> c < 128);
        assertThat(new String(post.raw(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(post.text());
        assertThat(post.text()).contains("caf\\u00e9 \\u2713 \\ud83d\\ude00");
        assertThat(post.signature()).matches("sha256=[0-9a-f]{64}");
        assertThat(post.signatureValid()).isTrue();
        assertThat(statusesOf(wamid).get(0).path("biz_opaque_callback_data").asText()).isEqualTo("caf\u00e9 \u2713 \ud83d\ude00");
        assertThat(WebhookSigner.signature(WebhookReceiver.SECRET, post.raw())).isEqualTo(post.signature());
    }

    @Test
    void noTarget_nothingIsPosted() throws Exception {
        sandbox.webhooks().setTarget(null, null);
        sendText("16505551234");
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> receiver.posts().isEmpty());
        assertThat(sandbox.webhooks().stats().statuses()).isZero();
    }

    @Test
    void sendToUserId_reportsRecipientUserId() throws Exception {
        String json = "{\"messaging_product\":\"whatsapp\",\"recipient\":\"US.13491208655302741918\","
                + "\"type\":\"text\",\"text\":{\"body\":\"hi\"}}";
        SandboxHttp.Response r = SandboxHttp.post(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/messages", TOKEN, json,
                Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(200);
        String wamid = r.body().path("messages").get(0).path("id").asText();
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        JsonNode sent = statusesOf(wamid).get(0);
        assertThat(sent.path("recipient_user_id").asText()).isEqualTo("US.13491208655302741918");
        assertThat(sent.has("recipient_id")).isFalse();
    }
}
