package io.wagate.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessageError;
import io.wagate.api.v1.Pricing;
import io.wagate.api.v1.State;
import io.wagate.api.v1.StatusUpdate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Statuses folded in every order give one message. */
class StatusMergeTest {
    private static final Timestamp NOW = Timestamps.fromMillis(1_750_000_000_000L);
    private static final Message SUBMITTED = Message.newBuilder().setId("038GJ41396000").setState(State.SUBMITTED)
            .setWamid("wamid.A").build();

    private static StatusUpdate status(String s, long second) {
        StatusUpdate.Builder b = StatusUpdate.newBuilder().setWamid("wamid.A").setStatus(s)
                .setAt(Timestamp.newBuilder().setSeconds(second));
        if (s.equals("sent") || s.equals("delivered")) {
            b.setPricing(Pricing.newBuilder().setBillable(true).setPricingModel("PMP").setType("regular")
                    .setCategory("utility"));
        }
        if (s.equals("failed")) {
            b.addErrors(MessageError.newBuilder().setCode(131026).setTitle("Message undeliverable"));
        }
        return b.build();
    }

    private static Set<Message> finalsOfEveryOrder(List<StatusUpdate> statuses) {
        Set<Message> finals = new HashSet<>();
        permute(new ArrayList<>(statuses), 0, finals);
        return finals;
    }

    private static void permute(List<StatusUpdate> s, int k, Set<Message> out) {
        if (k == s.size()) {
            Message m = SUBMITTED;
            for (StatusUpdate u : s) {
                m = StatusMerge.merge(m, u, NOW);
            }
            // duplicates change nothing either
            for (StatusUpdate u : s) {
                m = StatusMerge.merge(m, u, NOW);
            }
            out.add(m.toBuilder().clearUpdatedAt().build());
            return;
        }
        for (int i = k; i < s.size(); i++) {
            java.util.Collections.swap(s, k, i);
            permute(s, k + 1, out);
            java.util.Collections.swap(s, k, i);
        }
    }

    @Test
    void sentDeliveredRead_inEveryOrder_endRead_withEveryTimeAndThePricing() {
        Set<Message> finals = finalsOfEveryOrder(List.of(status("sent", 10), status("delivered", 11), status("read", 12)));
        assertThat(finals).hasSize(1);
        Message m = finals.iterator().next();
        assertThat(m.getState()).isEqualTo(State.READ);
        assertThat(m.getSentAt().getSeconds()).isEqualTo(10);
        assertThat(m.getDeliveredAt().getSeconds()).isEqualTo(11);
        assertThat(m.getReadAt().getSeconds()).isEqualTo(12);
        assertThat(m.getPricing().getCategory()).isEqualTo("utility");
    }

    @Test
    void sentThenFailed_inEveryOrder_endFailedWithMetasError() {
        Set<Message> finals = finalsOfEveryOrder(List.of(status("sent", 10), status("failed", 11)));
        assertThat(finals).hasSize(1);
        Message m = finals.iterator().next();
        assertThat(m.getState()).isEqualTo(State.FAILED);
        assertThat(m.getLastError().getCode()).isEqualTo(131026);
        assertThat(m.getLastError().getRetryable()).isFalse();
    }

    @Test
    void readWithoutDelivered_andPlayedAfterRead_inEveryOrder() {
        assertThat(finalsOfEveryOrder(List.of(status("sent", 10), status("read", 12))))
                .singleElement().extracting(Message::getState).isEqualTo(State.READ);
        assertThat(finalsOfEveryOrder(List.of(status("sent", 10), status("delivered", 11), status("read", 12),
                status("played", 13)))).singleElement().extracting(Message::getState).isEqualTo(State.PLAYED);
    }

    @Test
    void neverBackwards_andUnknownStatusesChangeNothing() {
        Message read = StatusMerge.merge(SUBMITTED, status("read", 12), NOW);
        assertThat(StatusMerge.merge(read, status("sent", 10), NOW).getState()).isEqualTo(State.READ);
        assertThat(StatusMerge.merge(read, status("deleted", 14), NOW)).isSameAs(read);
        assertThat(StatusMerge.merge(read, status("read", 12), NOW)).isSameAs(read);
    }

    @Test
    void aMessageThatExpiredWhileUncertainMovesUp_whenMetaSaysItHadIt() {
        Message expired = SUBMITTED.toBuilder().setState(State.EXPIRED).build();
        assertThat(StatusMerge.merge(expired, status("delivered", 11), NOW).getState()).isEqualTo(State.DELIVERED);
    }
}
