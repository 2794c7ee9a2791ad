package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delivery of webhooks to a target that fails: retries on the schedule, drops after the max age, bounded memory. */
class SandboxWebhookDeliveryTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    WebhookReceiver receiver;
    SandboxEmulator sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    SandboxEmulator start(URI target, List<Duration> schedule, Duration maxAge, int capacity) {
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber("1065", "tok")
                .withWebhooks(WebhookOptions.to(target, WebhookReceiver.SECRET)
                        .withRetrySchedule(schedule, maxAge)
                        .withRequestTimeout(Duration.ofSeconds(2))
                        .withBounds(4, capacity)));
        return sandbox;
    }

    static URI closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort() + "/webhook");
        }
    }

    @Test
    void failingTarget_isRetriedImmediatelyThenOnSchedule_untilAnswered200() throws Exception {
        receiver = new WebhookReceiver();
        receiver.failNext(3);
        start(receiver.uri(), List.of(Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(200)), Duration.ofSeconds(30), 1000);

        String wamid = sandbox.injectInbound(InboundSpec.text("16505551234", "hi"));

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        List<WebhookReceiver.Post> posts = receiver.posts();
        assertThat(posts).hasSize(4);
        assertThat(posts).extracting(WebhookReceiver.Post::answered).containsExactly(500, 500, 500, 200);
        assertThat(posts).allMatch(p -> java.util.Arrays.equals(p.raw(), posts.get(0).raw()), "the same bytes each time");
        assertThat(posts.get(3).text()).contains(wamid);
        WebhookStats s = sandbox.webhooks().stats();
        assertThat(s.posted()).isEqualTo(4);
        assertThat(s.retried()).isEqualTo(3);
        assertThat(s.failedAttempts()).isEqualTo(3);
        assertThat(s.answeredOk()).isEqualTo(1);
        assertThat(s.droppedExpired()).isZero();
    }

    @Test
    void connectionClosedWithoutAnswer_isAFailure_andRetried() throws Exception {
        receiver = new WebhookReceiver();
        receiver.answer(0);
        start(receiver.uri(), List.of(Duration.ZERO, Duration.ofMillis(50)), Duration.ofSeconds(30), 1000);

        sandbox.injectInbound(InboundSpec.text("16505551234", "hi"));
        await().atMost(WAIT).until(() -> receiver.posts().size() >= 3);
        receiver.answer(200);

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(sandbox.webhooks().stats().answeredOk()).isEqualTo(1);
        assertThat(sandbox.webhooks().stats().failedAttempts()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void targetDown_postIsDroppedAfterMaxAge_andCounted() throws Exception {
        start(closedPort(), List.of(Duration.ZERO, Duration.ofMillis(50), Duration.ofMillis(100)), Duration.ofMillis(600), 1000);

        sandbox.injectInbound(InboundSpec.text("16505551234", "hi"));
        sandbox.injectInbound(InboundSpec.text("16505551235", "hi"));

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        WebhookStats s = sandbox.webhooks().stats();
        assertThat(s.droppedExpired()).isEqualTo(2);
        assertThat(s.answeredOk()).isZero();
        assertThat(s.retried()).isGreaterThanOrEqualTo(3);
        assertThat(s.pending()).isZero();
    }

    @Test
    void targetDown_heldNotificationsAreBounded_overflowIsCounted_andInjectionRefused() throws Exception {
        start(closedPort(), List.of(Duration.ofSeconds(30)), Duration.ofDays(7), 5);
        sandbox.webhooks().pause();
        for (int i = 0; i < 5; i++) {
            sandbox.injectInbound(InboundSpec.text("16505551234", "hi " + i));
        }
        try {
            sandbox.injectInbound(InboundSpec.text("16505551234", "one too many"));
            throw new AssertionError("expected the capacity to refuse");
        } catch (IllegalStateException expected) {
            assertThat(expected.getMessage()).contains("webhook.capacity");
        }
        // statuses of sends over the capacity are dropped and counted, never held
        SandboxHttp.Response r = SandboxHttp.post(sandbox.baseUrl(), "/v25.0/1065/messages", "tok",
                "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}",
                Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(200);
        WebhookStats s = sandbox.webhooks().stats();
        assertThat(s.pending()).isEqualTo(5);
        assertThat(s.droppedOverflow()).isEqualTo(1 + 3);
        assertThat(s.paused()).isTrue();
        assertThat(s.posted()).isZero();
    }

    @Test
    void pausedDelivery_resumes_andEverythingArrives() throws Exception {
        receiver = new WebhookReceiver();
        start(receiver.uri(), List.of(Duration.ZERO), Duration.ofSeconds(30), 1000);
        sandbox.webhooks().pause();
        sandbox.injectInbound(InboundSpec.text("16505551234", "one"));
        sandbox.injectInbound(InboundSpec.text("16505551234", "two"));
        assertThat(sandbox.awaitWebhooksIdle(Duration.ofMillis(200))).isFalse();
        assertThat(receiver.posts()).isEmpty();

        sandbox.webhooks().resume();

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(String.join("", receiver.posts().stream().map(WebhookReceiver.Post::text).toList()))
                .contains("\"one\"").contains("\"two\"");
    }

    @Test
    void thousandsOfStatuses_keepUp_withBoundedConnections() throws Exception {
        receiver = new WebhookReceiver();
        start(receiver.uri(), List.of(Duration.ZERO), Duration.ofSeconds(30), 100_000);
        sandbox.webhooks().setBehaviour(SandboxWebhookStatusTest.fast(WebhookBehaviour.DEFAULT));
        int n = 1000;
        for (int i = 0; i < n; i++) {
            sandbox.webhooks().accepted("1065", SandboxHttp.JSON.readTree(
                    "{\"to\":\"1650555" + String.format("%04d", i) + "\",\"type\":\"text\"}"), "wamid.x" + i);
        }
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(receiver.acceptedStatuses()).hasSize(3 * n);
        assertThat(receiver.posts().size()).isLessThan(3 * n / 10);
        assertThat(sandbox.webhooks().stats().inFlight()).isZero();
    }
}
