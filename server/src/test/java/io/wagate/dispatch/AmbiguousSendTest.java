package io.wagate.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.TestAppliance;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.ReceivedMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request that went out and got no answer (the connection reset after Meta read it): Meta may
 * have the message. It waits UNCERTAIN for the reconciliation window (1 s here) and is sent again
 * only if no status resolved it meanwhile.
 */
class AmbiguousSendTest {
    @TempDir
    Path dir;
    private TestAppliance t;

    @BeforeEach
    void start() {
        t = TestAppliance.start(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private String send(String to, String body) {
        return t.messages().send(SendRequest.newBuilder().setFrom("support").setTo(to)
                .setText(Text.newBuilder().setBody(body)).build()).getId();
    }

    private Message get(String id) {
        return t.messages().get(GetMessageRequest.newBuilder().setId(id).build());
    }

    private List<String> bodiesAtMeta(List<ReceivedMessage> list, String to) {
        return list.stream().filter(m -> to.equals(m.body().path("to").asText()))
                .map(m -> m.body().path("text").path("body").asText()).collect(Collectors.toList());
    }

    @Test
    void resetAfterWrite_isUncertain_thenResentExactlyOnceAfterTheWindow_andTheConversationWaits() {
        String to = "+16505553001";
        t.meta.faults().dropNext(1, to);
        String first = send(to, "first");
        String second = send(to, "second");
        Message uncertain = Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(first),
                m -> m.getState() == State.UNCERTAIN);
        assertThat(uncertain.hasNextAttemptAt()).isTrue();
        assertThat(get(second).getState()).isEqualTo(State.ACCEPTED);
        assertThat(bodiesAtMeta(t.meta.received(), to)).isEmpty();

        Message resent = Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(first),
                m -> m.getState() == State.SUBMITTED);
        assertThat(resent.getPossibleDuplicate()).isTrue();
        assertThat(resent.getAttempts()).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(second).getState() == State.SUBMITTED);
        assertThat(bodiesAtMeta(t.meta.received(), to)).containsExactly("first", "second");
        assertThat(bodiesAtMeta(t.meta.attempted(), to)).containsExactly("first");
        assertThat(t.admin().getStatus(GetStatusRequest.getDefaultInstance()).getPossibleDuplicateResends())
                .isEqualTo(1);
    }

    @Test
    void tcpResetAfterMetaReadTheRequest_isUncertain_andResentOnce() {
        String to = "+16505553003";
        t.meta.faults().resetNext(1, to);
        String id = send(to, "reset");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(id).getState() == State.UNCERTAIN);
        Message m = Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(id),
                x -> x.getState() == State.SUBMITTED);
        assertThat(m.getPossibleDuplicate()).isTrue();
        assertThat(bodiesAtMeta(t.meta.received(), to)).containsExactly("reset");
    }

    @Test
    void statusWithinTheWindow_resolvesIt_withoutAResend() throws Exception {
        String to = "+16505553002";
        t.meta.faults().dropNext(1, to);
        String id = send(to, "maybe");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(id).getState() == State.UNCERTAIN);

        assertThat(t.appliance.outbox().resolveUncertain(id, "wamid.FROM-WEBHOOK").get()).isTrue();
        Message m = get(id);
        assertThat(m.getState()).isEqualTo(State.SUBMITTED);
        assertThat(m.getWamid()).isEqualTo("wamid.FROM-WEBHOOK");
        assertThat(m.getPossibleDuplicate()).isFalse();
        Thread.sleep(1500);
        assertThat(bodiesAtMeta(t.meta.received(), to)).isEmpty();
        // a second status for the same message changes nothing
        assertThat(t.appliance.outbox().resolveUncertain(id, "wamid.OTHER").get()).isFalse();
        assertThat(get(id).getWamid()).isEqualTo("wamid.FROM-WEBHOOK");
        assertThat(t.admin().getStatus(GetStatusRequest.getDefaultInstance()).getPossibleDuplicateResends())
                .isZero();
    }
}
