package io.wagate;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.ReadEventsRequest;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.InboundSpec;
import io.wagate.sandbox.WebhookBehaviour;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receive path end to end: the emulator posts signed webhooks over real HTTP to the
 * appliance's listener, which stores them as events; statuses move messages; inbound messages
 * open windows.
 */
class WebhookEndToEndTest {
    @TempDir
    Path dir;
    private TestAppliance t;

    @BeforeEach
    void start() {
        t = TestAppliance.start(dir);
        t.connectWebhooks();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private String send(String to, String body) {
        return t.messages().send(SendRequest.newBuilder().setFrom("support").setTo(to)
                .setText(Text.newBuilder().setBody(body)).setCallbackData("crm-" + body).build()).getId();
    }

    private Message get(String id) {
        return t.messages().get(GetMessageRequest.newBuilder().setId(id).build());
    }

    private List<Event> events(EventKind kind) {
        return t.events().read(ReadEventsRequest.newBuilder().setLimit(1000)
                .setFilter(EventFilter.newBuilder().addKinds(kind)).build()).getEventsList();
    }

    @Test
    void statusWebhooksCarryEveryMessageToRead_withPricingAndOurIds() {
        t.meta.webhooks().setBehaviour(WebhookBehaviour.DEFAULT.withDelays(Duration.ofMillis(10),
                Duration.ofMillis(20), Duration.ofMillis(30), Duration.ofMillis(30)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(send("+1650555" + String.format("%04d", 4000 + i), "m" + i));
        }
        for (String id : ids) {
            Message m = Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> get(id),
                    x -> x.getState() == State.READ);
            assertThat(m.hasSentAt() && m.hasDeliveredAt() && m.hasReadAt()).isTrue();
            assertThat(m.getPricing().getPricingModel()).isEqualTo("PMP");
        }
        List<Event> statuses = events(EventKind.STATUS);
        assertThat(statuses).hasSize(60);
        assertThat(statuses).allMatch(e -> ids.contains(e.getStatus().getMessageId())
                && e.getStatus().getCallbackData().startsWith("crm-") && e.getNumber().equals("support"));
    }

    @Test
    void reorderedAndDuplicatedStatuses_storeEachOnce_andEndInTheSameState() {
        t.meta.webhooks().setBehaviour(WebhookBehaviour.DEFAULT.withDelays(Duration.ofMillis(10),
                Duration.ofMillis(20), Duration.ofMillis(30), Duration.ofMillis(30)).withReorder(true).withDuplicate(true));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(send("+1650555" + String.format("%04d", 4100 + i), "r" + i));
        }
        for (String id : ids) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> get(id).getState() == State.READ);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> t.meta.webhooks().awaitIdle(Duration.ofMillis(100)));
        List<Event> statuses = events(EventKind.STATUS);
        assertThat(statuses).hasSize(30);
        assertThat(statuses.stream().map(Event::getId).collect(Collectors.toSet())).hasSize(30);
        assertThat(t.meta.webhooks().stats().posted()).isGreaterThan(0);
    }

    @Test
    void aScriptedFailureEndsTheMessageFailedWithMetasError() {
        t.meta.webhooks().setBehaviour(WebhookBehaviour.DEFAULT.withFailure("16505554200",
                io.wagate.sandbox.StatusFailure.of(131026)));
        String id = send("+16505554200", "undeliverable");
        Message m = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> get(id),
                x -> x.getState() == State.FAILED);
        assertThat(m.getLastError().getCode()).isEqualTo(131026);
    }

    @Test
    void inboundMessagesReachSubscribersAndOpenTheWindow() {
        String wamid = t.meta.injectInbound(InboundSpec.text("16505554300", "Hola, ¿tienen stock? 👍"));
        Event e = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events(EventKind.INBOUND_MESSAGE),
                l -> !l.isEmpty()).get(0);
        assertThat(e.getId()).isEqualTo("in:" + wamid);
        assertThat(e.getInbound().getText().getBody()).isEqualTo("Hola, ¿tienen stock? 👍");
        assertThat(e.getUser()).isEqualTo("16505554300");
        assertThat(e.getNumber()).isEqualTo("support");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                t.appliance.contactWindows().get(TestAppliance.NUMBER_ID, "16505554300").isPresent());
    }

    @Test
    void anUncertainMessageResolvedByALateSentWebhook_isNotResent() throws Exception {
        String to = "+16505554400";
        t.meta.faults().dropNext(1, to); // the answer is lost
        String id = send(to, "maybe");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(id).getState() == State.UNCERTAIN);
        // Meta had it after all: its sent status arrives, signed, on the real listener
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"300\",\"changes\":[{\"field\":"
                + "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                + "\"15550000001\",\"phone_number_id\":\"" + TestAppliance.NUMBER_ID + "\"},\"statuses\":[{\"id\":"
                + "\"wamid.LATE1\",\"status\":\"sent\",\"timestamp\":\"1750000010\",\"recipient_id\":\"16505554400\","
                + "\"biz_opaque_callback_data\":\"wg1:" + id + ":crm-maybe\"}]}}]}]}";
        assertThat(post(body)).isEqualTo(200);
        Message m = Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(id),
                x -> x.getState() == State.SENT);
        assertThat(m.getWamid()).isEqualTo("wamid.LATE1");
        Thread.sleep(1_500); // past the test appliance's 1 s reconciliation window
        assertThat(t.meta.received()).noneMatch(r -> r.body().path("to").asText().endsWith("16505554400"));
        assertThat(t.admin().getStatus(GetStatusRequest.getDefaultInstance()).getPossibleDuplicateResends()).isZero();
        // Meta's redelivery of the same webhook is stored once
        assertThat(post(body)).isEqualTo(200);
        assertThat(events(EventKind.STATUS)).hasSize(1);
    }

    @Test
    void aWrongSignatureIs401AndStoresNothing() throws Exception {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(t.webhookUri())
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(t.appliance.eventLog().head()).isZero();
    }

    private int post(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(TestAppliance.APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String sig = "sha256=" + HexFormat.of().formatHex(mac.doFinal(bytes));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(t.webhookUri())
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", sig)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
