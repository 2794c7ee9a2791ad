package io.wagate.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.wagate.TestAppliance;
import io.wagate.api.v1.ContactWindow;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.InboundText;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.Referral;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.api.v1.Text;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statuses and inbound messages in the event log change messages and windows. */
class StatusReconciliationTest {
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
                .setText(Text.newBuilder().setBody(body)).setCallbackData("order-7").build()).getId();
    }

    private Message get(String id) {
        return t.messages().get(GetMessageRequest.newBuilder().setId(id).build());
    }

    private void status(String messageId, String wamid, String status, long second) {
        Event e = Event.newBuilder().setId("st:" + wamid + ":" + status).setKind(EventKind.STATUS)
                .setNumber("support").setPhoneNumberId(TestAppliance.NUMBER_ID).setUser("16505553100")
                .setStatus(StatusUpdate.newBuilder().setWamid(wamid).setStatus(status).setMessageId(messageId)
                        .setCallbackData("order-7").setRecipientId("16505553100")
                        .setAt(Timestamp.newBuilder().setSeconds(second)))
                .build();
        t.appliance.eventLog().append(List.of(e)).join();
    }

    @Test
    void statusesMoveASubmittedMessageForward_neverBack() {
        String id = send("+16505553100", "hello");
        Message submitted = Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(id),
                m -> m.getState() == State.SUBMITTED);
        String wamid = submitted.getWamid();
        status(id, wamid, "delivered", 1_750_000_011L);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(id).getState() == State.DELIVERED);
        status(id, wamid, "sent", 1_750_000_010L);
        status(id, wamid, "read", 1_750_000_012L);
        Message m = Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(id),
                x -> x.getState() == State.READ && x.hasSentAt());
        assertThat(m.getSentAt().getSeconds()).isEqualTo(1_750_000_010L);
        assertThat(m.getDeliveredAt().getSeconds()).isEqualTo(1_750_000_011L);
        assertThat(m.getReadAt().getSeconds()).isEqualTo(1_750_000_012L);
    }

    @Test
    void anUncertainMessageResolvedByALateSentStatus_isNotSentAgain() throws Exception {
        String to = "+16505553101";
        t.meta.faults().dropNext(1, to); // Meta takes the request, the answer never comes
        String id = send(to, "maybe");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(id).getState() == State.UNCERTAIN);
        status(id, "wamid.LATE", "sent", 1_750_000_010L);
        Message m = Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(id),
                x -> x.getState() == State.SENT);
        assertThat(m.getWamid()).isEqualTo("wamid.LATE");
        assertThat(m.getPossibleDuplicate()).isFalse();
        Thread.sleep(1_500); // past the 1 s reconciliation window of the test appliance
        assertThat(t.meta.received()).noneMatch(r -> r.body().path("to").asText().endsWith("16505553101"));
        assertThat(get(id).getState()).isEqualTo(State.SENT);
        assertThat(t.admin().getStatus(GetStatusRequest.getDefaultInstance()).getPossibleDuplicateResends()).isZero();
        assertThat(t.appliance.metrics().counter(StatusReconciler.UNCERTAIN_RESOLVED).getCount()).isEqualTo(1);
    }

    @Test
    void aStatusForAnUnknownMessageIsKeptAsAnEvent_andChangesNothing() {
        status("038GJ41396000", "wamid.SOMEONE-ELSES", "delivered", 1_750_000_010L);
        status("", "wamid.NOT-OURS", "read", 1_750_000_010L);
        assertThat(t.appliance.eventLog().read(1, 10, 10, e -> true).events()).hasSize(2);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                t.appliance.reconciler().cursor() > t.appliance.eventLog().head());
    }

    @Test
    void inboundMessagesOpenTheCustomerServiceWindow_andItSurvivesARestart() {
        long sent = 1_750_000_000L;
        Event older = inbound("wamid.IN1", sent, false);
        Event newer = inbound("wamid.IN2", sent + 60, true);
        t.appliance.eventLog().append(List.of(newer, older)).join(); // out of order
        ContactWindow w = Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> t.appliance.contactWindows().get(TestAppliance.NUMBER_ID, "16505553200").orElse(null),
                        x -> x != null);
        assertThat(w.getLastInboundAt().getSeconds()).isEqualTo(sent + 60);
        assertThat(w.getWindowClosesAt().getSeconds()).isEqualTo(sent + 60 + 24 * 3600);
        assertThat(w.getLastReferralAt().getSeconds()).isEqualTo(sent + 60);
        assertThat(w.getProfileName()).isEqualTo("Sheena");
        // also found by the business-scoped user id
        assertThat(t.appliance.contactWindows().get(TestAppliance.NUMBER_ID, "US.1234").orElseThrow()
                .getLastInboundWamid()).isEqualTo("wamid.IN2");
        t.closeAppliance();
        t.open();
        assertThat(t.appliance.contactWindows().get(TestAppliance.NUMBER_ID, "16505553200").orElseThrow()
                .getLastInboundAt().getSeconds()).isEqualTo(sent + 60);
    }

    private static Event inbound(String wamid, long second, boolean referral) {
        InboundMessage.Builder in = InboundMessage.newBuilder().setWamid(wamid).setType("text").setFrom("16505553200")
                .setUserId("US.1234").setProfileName("Sheena").setSentAt(Timestamp.newBuilder().setSeconds(second))
                .setText(InboundText.newBuilder().setBody("hi"));
        if (referral) {
            in.setReferral(Referral.newBuilder().setSourceType("ad").setSourceId("42"));
        }
        return Event.newBuilder().setId("in:" + wamid).setKind(EventKind.INBOUND_MESSAGE).setNumber("support")
                .setPhoneNumberId(TestAppliance.NUMBER_ID).setUser("16505553200").setInbound(in).build();
    }
}
