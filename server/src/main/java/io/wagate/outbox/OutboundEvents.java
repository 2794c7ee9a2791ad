package io.wagate.outbox;

import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.OutboundEnded;

/** The events the outbox reports about its messages. */
public final class OutboundEvents {
    private OutboundEvents() {
    }

    /**
     * A message ended inside the appliance. Its id names the message and the end, so a retried
     * write stores it once.
     */
    public static Event ended(Message m) {
        OutboundEnded.Builder body = OutboundEnded.newBuilder()
                .setMessageId(m.getId())
                .setState(m.getState())
                .setCallbackData(m.getCallbackData())
                .setTo(m.getTo());
        if (m.hasLastError() && m.getState() == io.wagate.api.v1.State.FAILED) {
            body.setError(m.getLastError());
        }
        return Event.newBuilder()
                .setId("out:" + m.getId() + ":" + m.getState().name().toLowerCase(java.util.Locale.ROOT))
                .setKind(EventKind.OUTBOUND_ENDED)
                .setOccurredAt(m.getUpdatedAt())
                .setNumber(m.getFromAlias())
                .setPhoneNumberId(m.getFrom())
                .setUser(userOf(m.getTo()))
                .setOutboundEnded(body)
                .build();
    }

    /** The user as Meta names it in webhooks: the number without '+'. */
    public static String userOf(String to) {
        return to.startsWith("+") ? to.substring(1) : to;
    }
}
