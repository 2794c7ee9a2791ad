package io.wagate.outbox;

import com.google.protobuf.Timestamp;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessageError;
import io.wagate.api.v1.State;
import io.wagate.api.v1.StatusUpdate;
import java.util.Locale;

/**
 * Folds one of Meta's status webhooks into an outbound message, so that any arrival order of the
 * same statuses gives the same message.
 *
 * <p>The state only moves up this ladder: SUBMITTED &lt; SENT &lt; DELIVERED &lt; FAILED &lt;
 * READ &lt; PLAYED. {@code failed} outranks {@code delivered} (Meta's later word on a message it
 * could not deliver), while a {@code read} proves the user has it. A message that ended before
 * Meta's answer was known (EXPIRED while UNCERTAIN) moves up too: the status is the truth. The
 * timestamps of each status, Meta's pricing and the error of a {@code failed} are recorded
 * whatever the order.
 */
public final class StatusMerge {
    private StatusMerge() {
    }

    /** The state a status reports, or null for a status this build does not know. */
    public static State stateOf(String status) {
        switch (status.toLowerCase(Locale.ROOT)) {
            case "sent":
                return State.SENT;
            case "delivered":
                return State.DELIVERED;
            case "read":
                return State.READ;
            case "played":
                return State.PLAYED;
            case "failed":
                return State.FAILED;
            default:
                return null;
        }
    }

    static int rank(State s) {
        switch (s) {
            case SUBMITTED:
                return 1;
            case SENT:
                return 2;
            case DELIVERED:
                return 3;
            case FAILED:
                return 4;
            case READ:
                return 5;
            case PLAYED:
                return 6;
            default:
                return 0;
        }
    }

    /** The message with the status folded in; the same message when it changes nothing. */
    public static Message merge(Message m, StatusUpdate s, Timestamp now) {
        State reported = stateOf(s.getStatus());
        if (reported == null) {
            return m;
        }
        Message.Builder b = m.toBuilder();
        if (rank(reported) > rank(m.getState())) {
            b.setState(reported);
        }
        if (b.getWamid().isEmpty()) {
            b.setWamid(s.getWamid());
        }
        switch (reported) {
            case SENT:
                setEarliest(b.hasSentAt() ? b.getSentAt() : null, s, b::setSentAt);
                break;
            case DELIVERED:
                setEarliest(b.hasDeliveredAt() ? b.getDeliveredAt() : null, s, b::setDeliveredAt);
                break;
            case READ:
            case PLAYED:
                setEarliest(b.hasReadAt() ? b.getReadAt() : null, s, b::setReadAt);
                break;
            case FAILED:
                if (s.getErrorsCount() > 0) {
                    MessageError e = s.getErrors(0);
                    b.setLastError(e.toBuilder().setAt(s.hasAt() ? s.getAt() : now).setRetryable(false));
                }
                break;
            default:
                break;
        }
        if (!b.hasPricing() && s.hasPricing()) {
            b.setPricing(s.getPricing());
        }
        Message merged = b.build();
        if (merged.equals(m)) {
            return m;
        }
        return merged.toBuilder().setUpdatedAt(now).build();
    }

    private static void setEarliest(Timestamp current, StatusUpdate s, java.util.function.Consumer<Timestamp> set) {
        if (s.hasAt() && (current == null || s.getAt().getSeconds() < current.getSeconds())) {
            set.accept(s.getAt());
        }
    }
}
