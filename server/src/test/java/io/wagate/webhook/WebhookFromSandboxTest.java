package io.wagate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.InboundMessage;
import io.wagate.config.WebhookConfig;
import io.wagate.events.EventLog;
import io.wagate.sandbox.InboundSpec;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import io.wagate.sandbox.WebhookBehaviour;
import io.wagate.sandbox.WebhookOptions;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox emulator, which signs and posts webhooks the way Meta does (escaped JSON,
 * batching), delivering into the real receiver and event log: every post is accepted and every
 * status and inbound message becomes its event.
 */
class WebhookFromSandboxTest {

    private static final String NUMBER = "106540352242922";
    private static final String TOKEN = "sandbox-token";
    private static final String SECRET = "sandbox-app-secret";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private Database db;
    private EventLog log;
    private WebhookServer server;
    private SandboxEmulator sandbox;
    private final MetricRegistry metrics = new MetricRegistry();

    @BeforeEach
    void start() {
        db = Database.open(StoreOptions.defaults(dir.resolve("db")));
        log = new EventLog(db, System::currentTimeMillis);
        server = WebhookServer.start(WebhookConfig.loopback(0, List.of()),
                WebhookCredentials.of(List.of(new WebhookCredentials.App("sandbox", SECRET, null))),
                NumberAliases.of(Map.of(NUMBER, "support")), log, metrics);
        URI target = URI.create("http://127.0.0.1:" + server.port() + WebhookConfig.DEFAULT_PATH);
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN)
                .withWebhooks(WebhookOptions.to(target, SECRET).withBehaviour(WebhookBehaviour.DEFAULT
                        .withDelays(Duration.ZERO, Duration.ofMillis(30), Duration.ofMillis(30), Duration.ofMillis(30)))));
    }

    @AfterEach
    void stop() {
        sandbox.close();
        server.close(Duration.ofSeconds(2));
        db.close();
    }

    private Map<String, Event> eventsById() {
        return log.read(1, 10_000, 10_000, e -> true).events().stream()
                .collect(Collectors.toMap(Event::getId, Function.identity()));
    }

    @Test
    void statuses_ofASend_carryOurMessageIdBack() throws Exception {
        String json = "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"text\","
                + "\"text\":{\"body\":\"hi\"},\"biz_opaque_callback_data\":\"wg1:01JXYZ:order-7\"}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        sandbox.baseUrl().resolve("/v25.0/" + NUMBER + "/messages"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String wamid = WebhookJson.MAPPER.readTree(r.body()).path("messages").get(0).path("id").asText();

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        Map<String, Event> events = eventsById();
        for (String status : List.of("sent", "delivered", "read")) {
            Event e = events.get("st:" + wamid + ":" + status);
            assertThat(e).as(status).isNotNull();
            assertThat(e.getKind()).isEqualTo(EventKind.STATUS);
            assertThat(e.getNumber()).isEqualTo("support");
            assertThat(e.getUser()).isEqualTo("16505551234");
            assertThat(e.getStatus().getMessageId()).isEqualTo("01JXYZ");
            assertThat(e.getStatus().getCallbackData()).isEqualTo("order-7");
        }
        assertThat(events.get("st:" + wamid + ":sent").getStatus().getPricing().getPricingModel()).isEqualTo("PMP");
        assertThat(metrics.counter("webhook.rejected.signature").getCount()).isZero();
        assertThat(metrics.counter("webhook.rejected.malformed").getCount()).isZero();
    }

    @Test
    void inboundOfEveryKind_becomesItsEvent() {
        JsonNodeFactory n = JsonNodeFactory.instance;
        Map<String, InboundSpec> specs = Map.of(
                "text", InboundSpec.text("16505551234", "Grüße aus München \uD83D\uDE00").withName("Jürgen"),
                "image", InboundSpec.media("image", "16505551234", "1003383421387256"),
                "location", InboundSpec.location("16505551234", 37.48425, -122.148141),
                "interactive", InboundSpec.buttonReply("16505551234", "yes-please", "Yes"),
                "button", InboundSpec.quickReply("16505551234", "STOP", "Stop promotions"),
                "reaction", InboundSpec.reaction("16505551234", "wamid.OUT1", "\uD83D\uDC4D"),
                "request_welcome", InboundSpec.of("request_welcome", "16505551234", null),
                "unsupported", InboundSpec.of("unsupported", "16505551234", null),
                "bsuid", InboundSpec.text(null, "no number").withUserId("US.13491208655302741918"),
                "order", InboundSpec.of("order", "16505551234", n.objectNode().put("catalog_id", "1537")
                        .put("text", "fast").set("product_items", n.arrayNode().add(n.objectNode()
                                .put("product_retailer_id", "sku-1").put("quantity", 2)
                                .put("item_price", 12.5).put("currency", "USD")))));
        Map<String, String> wamids = specs.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> sandbox.injectInbound(e.getValue())));

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        Map<String, Event> events = eventsById();
        Function<String, InboundMessage> inbound = key -> {
            Event e = events.get("in:" + wamids.get(key));
            assertThat(e).as(key).isNotNull();
            assertThat(e.getKind()).isEqualTo(EventKind.INBOUND_MESSAGE);
            assertThat(e.getNumber()).isEqualTo("support");
            return e.getInbound();
        };
        InboundMessage text = inbound.apply("text");
        assertThat(text.getText().getBody()).isEqualTo("Grüße aus München \uD83D\uDE00");
        assertThat(text.getProfileName()).isEqualTo("Jürgen");
        assertThat(text.getFrom()).isEqualTo("16505551234");
        assertThat(inbound.apply("image").getMedia().getMetaMediaId()).isEqualTo("1003383421387256");
        assertThat(inbound.apply("location").getLocation().getLatitude()).isEqualTo(37.48425);
        assertThat(inbound.apply("interactive").getInteractive().getId()).isEqualTo("yes-please");
        assertThat(inbound.apply("button").getButton().getPayload()).isEqualTo("STOP");
        assertThat(inbound.apply("reaction").getReaction().getEmoji()).isEqualTo("\uD83D\uDC4D");
        assertThat(inbound.apply("request_welcome").getType()).isEqualTo("request_welcome");
        assertThat(inbound.apply("unsupported").getErrorsList()).isNotEmpty();
        assertThat(inbound.apply("order").getOrder().getProductItemsJson()).contains("sku-1");
        InboundMessage bsuid = inbound.apply("bsuid");
        assertThat(bsuid.getUserId()).isEqualTo("US.13491208655302741918");
        assertThat(events.get("in:" + wamids.get("bsuid")).getUser()).isIn("US.13491208655302741918", bsuid.getFrom());
        assertThat(metrics.counter("webhook.rejected.signature").getCount()).isZero();
        assertThat(metrics.counter("webhook.rejected.malformed").getCount()).isZero();
    }
}
