package io.wagate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.ListMessagesRequest;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Template;
import io.wagate.config.PolicyConfig;
import io.wagate.outbox.Outbox;
import io.wagate.outbox.SendRequestValidator;
import io.wagate.sandbox.InboundSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The messaging limit on a running appliance with Meta's smallest tier (250): the 251st new user
 * outside the window gets no marketing template (it is HELD, visibly, at the head of its
 * conversation), utility templates and users inside their window are not held, the 80 % warning
 * is one ALERT, and the held message goes once the moving 24 hours free room, also after a restart.
 */
class MessagingLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long DAY = Duration.ofHours(24).toMillis();
    @TempDir
    Path dir;
    private PolicyFixture f;
    private SendRequestValidator validator;

    @BeforeEach
    void start() {
        f = new PolicyFixture(dir, PolicyConfig.defaults());
        validator = new SendRequestValidator(f.config);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void tier250_holdsThe251stNewUsersMarketing_untilTheMovingWindowFreesRoom_acrossARestart() throws Exception {
        assertThat(f.appliance.messagingLimits().limit()).isEqualTo(250);
        long t0 = f.now();
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            first.add(accept(user(i), i % 2 == 0 ? "MARKETING" : "UTILITY"));
        }
        awaitEnded(first);
        assertThat(f.appliance.messagingLimits().reached()).isEqualTo(250);

        // one warning, at 80 % (200 users), not one per user after it
        List<Event> alerts = f.appliance.eventLog().read(0, 10_000, 100_000,
                e -> e.getKind() == EventKind.ALERT).events();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.getAlert().getCode()).isEqualTo("messaging_limit_warning");
            assertThat(a.getAlert().getMessage()).startsWith("200 of the messaging limit of 250 unique users");
        });

        // a user inside the customer-service window does not count and is not held
        f.meta.injectInbound(InboundSpec.text("16505559999", "hi"));
        await().atMost(WAIT).until(() -> f.appliance.contactWindows().get(PolicyFixture.NUMBER_ID, "16505559999")
                .isPresent());
        String inWindow = accept("+16505559999", "MARKETING");
        // an already-reached user is not new: not held
        String again = accept(user(0), "MARKETING");
        // the 251st new user: held, with the message behind it in the same conversation kept behind
        String held = accept(user(250), "MARKETING");
        String behind = accept(user(250), "UTILITY");
        awaitEnded(List.of(inWindow, again));
        Message h = awaitState(held, State.HELD);
        assertThat(h.getAttempts()).isZero();
        assertThat(Timestamps.toMillis(h.getHeldUntil())).isBetween(t0 + DAY, t0 + DAY + WAIT.toMillis());
        assertThat(h.getHeldReason()).contains("messaging limit of 250").contains("held until");
        assertThat(f.messages().list(ListMessagesRequest.newBuilder().addStates(State.HELD).build())
                .getMessagesList()).extracting(Message::getId).containsExactly(held);
        // a utility template to another new user is not held (it counts: 251 users)
        String utility = accept(user(251), "UTILITY");
        awaitEnded(List.of(utility));
        assertThat(f.appliance.messagingLimits().reached()).isEqualTo(251);
        Thread.sleep(300);
        assertThat(f.appliance.outbox().get(behind).getState()).isEqualTo(State.ACCEPTED);
        assertThat(f.appliance.outbox().get(held).getState()).isEqualTo(State.HELD);
        assertThat(f.appliance.metrics().counter(MessagingLimits.HELD).getCount()).isEqualTo(1);

        // held messages and the reach set survive a restart
        f.restart();
        assertThat(f.appliance.messagingLimits().reached()).isEqualTo(251);
        Thread.sleep(300);
        assertThat(f.appliance.outbox().get(held).getState()).isEqualTo(State.HELD);

        // a held message can be cancelled; it is no longer held then
        String cancelled = accept(user(252), "MARKETING");
        awaitState(cancelled, State.HELD);
        Message c = f.messages().cancel(io.wagate.api.v1.CancelMessageRequest.newBuilder().setId(cancelled).build());
        assertThat(c.getState()).isEqualTo(State.CANCELLED);
        assertThat(c.hasHeldUntil()).isFalse();

        // an hour before the earliest reach leaves the window: still held
        f.setTime(t0 + DAY - Duration.ofHours(1).toMillis());
        Thread.sleep(500);
        assertThat(f.appliance.outbox().get(held).getState()).isEqualTo(State.HELD);

        // the moving window passes the first 250 users: room again, released, in conversation order
        f.setTime(t0 + DAY + WAIT.toMillis() + Duration.ofSeconds(30).toMillis());
        awaitEnded(List.of(held, behind));
        Message released = f.appliance.outbox().get(held);
        assertThat(released.getWamid()).isNotEmpty();
        assertThat(released.hasHeldUntil()).isFalse();
        assertThat(released.getAttempts()).isEqualTo(1);
        assertThat(Timestamps.compare(released.getSubmittedAt(), f.appliance.outbox().get(behind).getSubmittedAt()))
                .isLessThanOrEqualTo(0);
        List<String> order = f.meta.received(PolicyFixture.NUMBER_ID).stream()
                .filter(r -> r.body().path("to").asText().replace("+", "").equals(user(250).substring(1)))
                .map(r -> r.body().path("template").path("name").asText()).toList();
        assertThat(order).containsExactly("spring_sale", "order_update");
    }

    @Test
    void aSendMetaRefuses_doesNotCount() {
        f.meta.faults().add(io.wagate.sandbox.FaultSpec.of(new io.wagate.sandbox.FaultPlan.MetaError(131026, 400,
                "Message undeliverable")).forRecipient("+16505550001"));
        String refused = accept("+16505550001", "MARKETING");
        String sent = accept("+16505550002", "MARKETING");
        await().atMost(WAIT).until(() -> f.appliance.outbox().get(refused).getState() == State.FAILED);
        awaitEnded(List.of(sent));
        assertThat(f.appliance.outbox().get(refused).getLastError().getCode()).isEqualTo(131026);
        assertThat(f.appliance.messagingLimits().reached()).isEqualTo(1);
    }

    @Test
    void retriesAndUncertainSends_keepWorking_withTheLimitOn() {
        f.meta.faults().add(io.wagate.sandbox.FaultSpec.of(io.wagate.sandbox.FaultPlan.MetaError.of(131000))
                .forRecipient("+16505550011").times(1));
        f.meta.faults().add(io.wagate.sandbox.FaultSpec.of(new io.wagate.sandbox.FaultPlan.Drop())
                .forRecipient("+16505550012").times(1));
        String retried = accept("+16505550011", "MARKETING");
        String uncertain = accept("+16505550012", "MARKETING");
        awaitEnded(List.of(retried, uncertain));
        assertThat(f.appliance.outbox().get(retried).getAttempts()).isEqualTo(2);
        assertThat(f.appliance.outbox().get(uncertain).getPossibleDuplicate()).isTrue();
        assertThat(f.appliance.messagingLimits().reached()).isEqualTo(2);
    }

    private String accept(String to, String category) {
        SendRequest r = SendRequest.newBuilder().setFrom("support").setTo(to)
                .setValidity(Durations.fromHours(72))
                .setTemplate(Template.newBuilder().setName(category.equals("MARKETING") ? "spring_sale" : "order_update")
                        .setLanguage("en_US"))
                .build();
        return f.appliance.outbox().accept(validator.validate(r), "", category).join().getId();
    }

    private static String user(int i) {
        return "+1650555" + String.format("%04d", i);
    }

    private void awaitEnded(List<String> ids) {
        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> {
            Message m = f.appliance.outbox().get(id);
            return Outbox.isEnded(m.getState());
        }));
        for (String id : ids) {
            assertThat(f.appliance.outbox().get(id).getState()).isNotEqualTo(State.FAILED);
        }
    }

    private Message awaitState(String id, State s) {
        await().atMost(WAIT).until(() -> f.appliance.outbox().get(id).getState() == s);
        return f.messages().get(GetMessageRequest.newBuilder().setId(id).build());
    }
}
