package io.wagate.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.config.WebhookConfig;
import io.wagate.events.EventLog;
import io.wagate.store.Database;
import io.wagate.store.StoreFullException;
import io.wagate.store.StoreOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook listener over real HTTP on a loopback port, storing into a real event log. */
class WebhookServerTest {

    static final String SECRET_ONE = "app-secret-one";
    static final String SECRET_TWO = "app-secret-two";
    static final WebhookCredentials CREDENTIALS = WebhookCredentials.of(List.of(
            new WebhookCredentials.App("first", SECRET_ONE, "verify-me"),
            new WebhookCredentials.App("second", SECRET_TWO, "verify-me-too")));

    @TempDir
    Path dir;
    private Database db;
    private EventLog log;
    private GatedSink sink;
    private final MetricRegistry metrics = new MetricRegistry();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private WebhookServer server;

    static WebhookConfig config(Duration idle, Integer maxBody) {
        return new WebhookConfig("127.0.0.1", 0, "/webhook", List.of(), maxBody, 1024, idle, null, null, null);
    }

    private WebhookServer start() {
        return start(config(null, 65536));
    }

    private WebhookServer start(WebhookConfig config) {
        server = WebhookServer.start(config, CREDENTIALS, NumberAliases.of(Map.of(WebhookSamples.PHONE_NUMBER_ID, "support")),
                sink, metrics);
        return server;
    }

    @BeforeEach
    void openLog() {
        db = Database.open(StoreOptions.defaults(dir.resolve("db")));
        log = new EventLog(db, System::currentTimeMillis);
        sink = new GatedSink(log);
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
        db.close();
    }

    private List<Event> stored() {
        return log.read(1, 10_000, 10_000, e -> true).events();
    }

    static String sign(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private HttpRequest.Builder post(byte[] body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/webhook"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("X-Hub-Signature-256", signature);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postSigned(String sample) throws Exception {
        byte[] body = WebhookSamples.bytes(sample);
        return send(post(body, sign(SECRET_ONE, body)));
    }

    /** Posts text.json while the store waits for {@code durable}. */
    private CompletableFuture<HttpResponse<String>> postHeldBack(CompletableFuture<Void> durable) throws Exception {
        sink.gate(() -> durable);
        byte[] body = WebhookSamples.bytes("text.json");
        return http.sendAsync(post(body, sign(SECRET_ONE, body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long count(String name) {
        return metrics.counter(name).getCount();
    }

    @Test
    void handshake_echoesTheChallengeForAnyAppsToken() throws Exception {
        start();
        var ok = send(HttpRequest.newBuilder(uri("/webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        var second = send(HttpRequest.newBuilder(uri("/webhook?hub.mode=subscribe&hub.challenge=x&hub.verify_token=verify-me-too")));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(count("webhook.handshakes")).isEqualTo(2);
    }

    @Test
    void handshake_wrongTokenOrModeIsForbidden() throws Exception {
        start();
        for (String q : List.of("?hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong",
                "?hub.mode=subscribe&hub.challenge=1", "?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=verify-me",
                "?hub.mode=subscribe&hub.verify_token=verify-me", "")) {
            var r = send(HttpRequest.newBuilder(uri("/webhook" + q)));
            assertThat(r.statusCode()).as(q).isEqualTo(403);
            assertThat(r.body()).isEqualTo("verification refused");
        }
        assertThat(count("webhook.handshakes.rejected")).isEqualTo(5);
    }

    @Test
    void post_signedIsStoredThenAnswered200() throws Exception {
        start();
        var r = postSigned("statuses.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("stored 5, duplicates 0");
        List<Event> events = stored();
        assertThat(events).hasSize(5);
        assertThat(events.get(0).getNumber()).isEqualTo("support");
        assertThat(events.get(0).getId()).isEqualTo("st:wamid.OUT1:sent");
        assertThat(events).extracting(Event::getOffset).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(events.get(0).hasStoredAt()).isTrue();
        assertThat(count("webhook.posts")).isEqualTo(1);
        assertThat(count("webhook.events.stored")).isEqualTo(5);
        assertThat(count("webhook.verified.first")).isEqualTo(1);
        assertThat(metrics.timer("webhook.post_latency").getCount()).isEqualTo(1);
    }

    @Test
    void post_redeliveryIsCountedAsDuplicates() throws Exception {
        start();
        assertThat(postSigned("batch.json").statusCode()).isEqualTo(200);
        var again = postSigned("batch.json");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("stored 0, duplicates 4");
        assertThat(stored()).hasSize(4);
        assertThat(count("webhook.events.duplicate")).isEqualTo(4);
    }

    @Test
    void post_signedBySecondApp_isAccepted() throws Exception {
        start();
        byte[] body = WebhookSamples.bytes("text.json");
        assertThat(send(post(body, sign(SECRET_TWO, body))).statusCode()).isEqualTo(200);
        assertThat(count("webhook.verified.second")).isEqualTo(1);
    }

    @Test
    void post_wrongOrMissingSignature_is401AndStoresNothing() throws Exception {
        start();
        byte[] body = WebhookSamples.bytes("text.json");
        var wrong = send(post(body, sign("not-our-secret", body)));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo("X-Hub-Signature-256 does not match any configured app");
        var missing = send(post(body, null));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("missing X-Hub-Signature-256");
        var malformedJsonUnsigned = send(post("{".getBytes(StandardCharsets.UTF_8), "sha256=00"));
        assertThat(malformedJsonUnsigned.statusCode()).isEqualTo(401); // nothing is parsed before the signature
        assertThat(stored()).isEmpty();
        assertThat(count("webhook.rejected.signature")).isEqualTo(3);
        assertThat(count("webhook.rejected.malformed")).isZero();
    }

    @Test
    void post_malformed_is400WithTheReason() throws Exception {
        start();
        byte[] body = "{\"object\":\"page\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
        var r = send(post(body, sign(SECRET_ONE, body)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("object: must be whatsapp_business_account");
        assertThat(count("webhook.rejected.malformed")).isEqualTo(1);
        assertThat(stored()).isEmpty();
    }

    @Test
    void post_withAnUnreadableItem_stores200AndKeepsItRaw() throws Exception {
        start();
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
                + "\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"" + WebhookSamples.PHONE_NUMBER_ID + "\"},"
                + "\"statuses\":[{\"status\":\"read\"},{\"id\":\"wamid.OK\",\"status\":\"read\"}]}}]}]}")
                .getBytes(StandardCharsets.UTF_8);
        var r = send(post(body, sign(SECRET_ONE, body)));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("stored 2, duplicates 0");
        List<Event> events = stored();
        assertThat(events).extracting(Event::getKind).containsExactly(EventKind.UNPARSED, EventKind.STATUS);
        assertThat(events.get(0).getUnparsed().getProblem()).isEqualTo("entry[0].changes[0].value.statuses[0].id: missing");
        assertThat(count("webhook.unparsed_items")).isEqualTo(1);
        assertThat(count("webhook.rejected.malformed")).isZero();
        assertThat(send(post(body, sign(SECRET_ONE, body))).body()).isEqualTo("stored 0, duplicates 2");
    }

    @Test
    void post_nonJsonContentType_is415() throws Exception {
        start();
        byte[] body = WebhookSamples.bytes("text.json");
        var r = send(post(body, sign(SECRET_ONE, body)).setHeader("Content-Type", "text/plain"));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(stored()).isEmpty();
        var withCharset = send(post(body, sign(SECRET_ONE, body)).setHeader("Content-Type", "application/json; charset=utf-8"));
        assertThat(withCharset.statusCode()).isEqualTo(200);
    }

    @Test
    void post_overTheBodyLimit_is413() throws Exception {
        start();
        byte[] body = new byte[70_000];
        java.util.Arrays.fill(body, (byte) ' ');
        var r = send(post(body, sign(SECRET_ONE, body)));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(count("webhook.rejected.too_large")).isEqualTo(1);
        assertThat(count("webhook.posts")).isZero();
    }

    @Test
    void headersOverTheLimit_are431() throws Exception {
        start();
        var r = send(HttpRequest.newBuilder(uri("/webhook")).header("X-Padding", "p".repeat(2048)));
        assertThat(r.statusCode()).isEqualTo(431);
    }

    @Test
    void otherPath_is404_otherMethod_is405() throws Exception {
        start();
        assertThat(send(HttpRequest.newBuilder(uri("/other"))).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/webhook/x"))).statusCode()).isEqualTo(404);
        var put = send(HttpRequest.newBuilder(uri("/webhook")).PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(send(HttpRequest.newBuilder(uri("/webhook")).DELETE()).statusCode()).isEqualTo(405);
    }

    @Test
    void answerWaitsForTheSink() throws Exception {
        start();
        CompletableFuture<Void> durable = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> answer = postHeldBack(durable);
        Thread.sleep(500);
        assertThat(answer).isNotDone();
        durable.complete(null);
        assertThat(answer.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(stored()).hasSize(1);
    }

    @Test
    void storeFailure_is503SoMetaRetries() throws Exception {
        start();
        sink.gate(() -> CompletableFuture.failedFuture(new StoreFullException("disk almost full", null)));
        var r = postSigned("text.json");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("events not stored, retry later");
        assertThat(count("webhook.store_failures")).isEqualTo(1);
        assertThat(stored()).isEmpty();
    }

    @Test
    void closedStore_is503() throws Exception {
        start();
        db.close();
        var r = postSigned("text.json");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("events not stored, retry later");
    }

    @Test
    void keepAlive_answersInRequestOrderOnOneConnection() throws Exception {
        start();
        CompletableFuture<Void> durable = new CompletableFuture<>();
        sink.gate(() -> durable);
        byte[] body = WebhookSamples.bytes("text.json");
        String post = "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Hub-Signature-256: "
                + sign(SECRET_ONE, body) + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        String get = "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(post.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write(get.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            assertThat(s.getInputStream().available()).isZero(); // the 404 waits behind the POST
            durable.complete(null);
            String answers = readAtLeast(s.getInputStream(), 2, "HTTP/1.1 ");
            assertThat(answers.indexOf("HTTP/1.1 200")).isLessThan(answers.indexOf("HTTP/1.1 404")).isNotNegative();
        }
    }

    @Test
    void idleConnection_isClosed() throws Exception {
        start(config(Duration.ofMillis(300), 65536));
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            long t0 = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void close_letsAPostInFlightFinish() throws Exception {
        start();
        CompletableFuture<Void> durable = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> answer = postHeldBack(durable);
        await().atMost(Duration.ofSeconds(5)).until(() -> count("webhook.posts") == 1);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> server.close(Duration.ofSeconds(5)));
        Thread.sleep(200);
        assertThat(closed).isNotDone();
        durable.complete(null);
        assertThat(answer.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        closed.get(5, TimeUnit.SECONDS);
        server = null;
    }

    @Test
    void close_isBoundedWhenTheSinkNeverAnswers() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> answer = postHeldBack(new CompletableFuture<>());
        await().atMost(Duration.ofSeconds(5)).until(() -> count("webhook.posts") == 1);
        long t0 = System.nanoTime();
        server.close(Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        server = null;
        // never a 200 for something not stored: the connection just ends
        assertThat(answer).failsWithin(Duration.ofSeconds(5));
    }

    @Test
    void port0_bindsAFreePort() {
        start();
        assertThat(server.port()).isPositive();
        assertThat(server.localAddress().getAddress().isLoopbackAddress()).isTrue();
    }

    static String readAtLeast(InputStream in, int times, String marker) throws Exception {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (count(sb, marker) < times && System.nanoTime() < deadline) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    private static int count(StringBuilder sb, String marker) {
        int n = 0;
        for (int i = sb.indexOf(marker); i >= 0; i = sb.indexOf(marker, i + 1)) {
            n++;
        }
        return n;
    }
}
