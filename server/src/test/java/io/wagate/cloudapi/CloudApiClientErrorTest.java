package io.wagate.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.wagate.api.v1.Interactive;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Meta's error envelope, and bodies that are not Meta's, become typed {@link SendResult.MetaError}s. */
class CloudApiClientErrorTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "EAAG-secret-token-value";
    static final String TO = "+16505551234";

    static SandboxEmulator sandbox;
    static CloudApiClient client;
    final MessagePayloadMapper mapper = new MessagePayloadMapper();

    @BeforeAll
    static void start() {
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN));
        client = new CloudApiClient(sandbox.baseUrl(), "v25.0", Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.faults().clear();
        sandbox.clearReceived();
    }

    ObjectNode text(String body) {
        return mapper.toJson(SendRequest.newBuilder().setText(Text.newBuilder().setBody(body)).build(), TO, null);
    }

    SendResult.MetaError metaError(SendResult r) {
        assertThat(r).as("%s", r).isInstanceOf(SendResult.MetaError.class);
        return (SendResult.MetaError) r;
    }

    @Test
    void send_badToken_isAuthError190() throws Exception {
        String wrong = "EAAG-wrong-token-value";
        SendResult.MetaError e = metaError(client.sendMessage(NUMBER, wrong, text("hi")).get());

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.code()).isEqualTo(190);
        assertThat(e.type()).isEqualTo("OAuthException");
        assertThat(e.title()).isEqualTo("Invalid OAuth access token - Cannot parse access token");
        assertThat(e.fbtraceId()).hasSizeBetween(23, 27);
        assertThat(e.retryClass()).isEqualTo(RetryClass.AUTH);
        assertThat(e.toString()).doesNotContain(wrong).doesNotContain(TOKEN);
    }

    @Test
    void send_textTooLong_isInvalidParameter100() throws Exception {
        SendResult.MetaError e = metaError(client.sendMessage(NUMBER, TOKEN, text("x".repeat(4097))).get());

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.code()).isEqualTo(100);
        assertThat(e.title()).isEqualTo("Invalid parameter");
        assertThat(e.details()).contains("text['body']").contains("4096");
        assertThat(e.subcode()).isNull();
        assertThat(e.retryClass()).isEqualTo(RetryClass.PERMANENT);
    }

    @Test
    void send_fourButtons_isInvalidValue131009() throws Exception {
        Interactive.Buttons.Builder buttons = Interactive.Buttons.newBuilder();
        for (int i = 0; i < 4; i++) {
            buttons.addButtons(Interactive.ReplyButton.newBuilder().setId("b" + i).setTitle("B" + i));
        }
        SendRequest req = SendRequest.newBuilder()
                .setInteractive(Interactive.newBuilder().setBody("Pick").setButtons(buttons)).build();

        SendResult.MetaError e = metaError(client.sendMessage(NUMBER, TOKEN, mapper.toJson(req, TO, null)).get());

        assertThat(e.code()).isEqualTo(131009);
        assertThat(e.title()).isEqualTo("Parameter value is not valid");
        assertThat(e.details()).contains("Buttons count");
        assertThat(e.retryClass()).isEqualTo(RetryClass.PERMANENT);
    }

    @Test
    void send_missingBody_isMissingParameter131008() throws Exception {
        SendResult.MetaError e = metaError(client.sendMessage(NUMBER, TOKEN, text("")).get());
        assertThat(e.code()).isEqualTo(131008);
    }

    @Test
    void send_unknownNumber_isGraphMethodException100() throws Exception {
        SendResult.MetaError e = metaError(client.sendMessage("424242", TOKEN, text("hi")).get());
        assertThat(e.code()).isEqualTo(100);
        assertThat(e.subcode()).isEqualTo(33);
        assertThat(e.type()).isEqualTo("GraphMethodException");
    }

    @Test
    void send_scriptedThrottles_areClassified() throws Exception {
        sandbox.faults().failNext(1, TO, 130429).failNext(1, TO, 131056).failNext(1, TO, 131000).failNext(1, TO, 131049);

        assertThat(metaError(client.sendMessage(NUMBER, TOKEN, text("a")).get()).retryClass())
                .isEqualTo(RetryClass.THROTTLED_NUMBER);
        assertThat(metaError(client.sendMessage(NUMBER, TOKEN, text("b")).get()).retryClass())
                .isEqualTo(RetryClass.THROTTLED_PAIR);
        SendResult.MetaError unknown = metaError(client.sendMessage(NUMBER, TOKEN, text("c")).get());
        assertThat(unknown.httpStatus()).isEqualTo(500);
        assertThat(unknown.retryClass()).isEqualTo(RetryClass.TRANSIENT);
        assertThat(metaError(client.sendMessage(NUMBER, TOKEN, text("d")).get()).retryClass())
                .isEqualTo(RetryClass.RETRY_AFTER_24H);
        assertThat(client.sendMessage(NUMBER, TOKEN, text("e")).get()).isInstanceOf(SendResult.Accepted.class);
    }

    @Test
    void send_nonEnvelopeBodies_areClassifiedByStatus() throws Exception {
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int status = path.contains("/502/") ? 502 : path.contains("/403/") ? 403 : path.contains("/200/") ? 200 : 429;
            // A misbehaving proxy echoing the Authorization header must not leak it into results.
            byte[] body = ("<html>Bad gateway " + exchange.getRequestHeaders().getFirst("Authorization") + "</html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        proxy.start();
        try (CloudApiClient c = new CloudApiClient(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort()),
                "v25.0", Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            SendResult.MetaError bad502 = metaError(c.sendMessage("502", TOKEN, text("hi")).get());
            assertThat(bad502.code()).isZero();
            assertThat(bad502.httpStatus()).isEqualTo(502);
            assertThat(bad502.retryClass()).isEqualTo(RetryClass.TRANSIENT);
            assertThat(bad502.details()).contains("not Meta's error envelope").contains("<redacted>").doesNotContain(TOKEN);

            SendResult.MetaError bad403 = metaError(c.sendMessage("403", TOKEN, text("hi")).get());
            assertThat(bad403.retryClass()).isEqualTo(RetryClass.PERMANENT);
            assertThat(bad403.toString()).doesNotContain(TOKEN);

            assertThat(metaError(c.sendMessage("429", TOKEN, text("hi")).get()).retryClass())
                    .isEqualTo(RetryClass.TRANSIENT);

            SendResult ok200 = c.sendMessage("200", TOKEN, text("hi")).get();
            assertThat(ok200).isInstanceOf(SendResult.TransportFailure.class);
            assertThat(((SendResult.TransportFailure) ok200).requestMayHaveBeenSent()).isTrue();
        } finally {
            proxy.stop(0);
        }
    }
}
