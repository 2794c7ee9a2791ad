package io.wagate.webhook;

import com.google.protobuf.Timestamp;
import io.wagate.api.v1.Pricing;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.dispatch.Dispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps one {@code value.statuses[]} object (reference §4.6). Our dispatcher sends
 * {@code biz_opaque_callback_data} as {@code wg1:<message id>[:<caller's callback_data>]}; that
 * is split back into {@code message_id} and {@code callback_data}, which lets an ambiguous send
 * be reconciled. Any other value (a message sent by another system on the same number) is kept
 * whole as {@code callback_data}.
 */
final class StatusUpdateMapper {
    private static final Logger LOG = LoggerFactory.getLogger(StatusUpdateMapper.class);

    private StatusUpdateMapper() {
    }

    /**
     * Requires {@code id} and {@code status}, the parts of the event's stable id; an optional part
     * that does not read (a timestamp that is not seconds, pricing or errors of the wrong type)
     * is left out and logged, so the status itself is never lost over it.
     */
    static StatusUpdate map(JsonCursor s) {
        StatusUpdate.Builder b = StatusUpdate.newBuilder()
                .setWamid(s.requireText("id"))
                .setStatus(s.requireText("status"))
                .setRecipientId(s.text("recipient_id"));
        optional(b, () -> {
            Timestamp at = s.seconds("timestamp");
            if (at != null) {
                b.setAt(at);
            }
        });
        setCallback(b, s.text("biz_opaque_callback_data"));
        optional(b, () -> s.object("pricing").ifPresent(p -> b.setPricing(Pricing.newBuilder()
                .setBillable(p.bool("billable"))
                .setPricingModel(p.text("pricing_model"))
                .setType(p.text("type"))
                .setCategory(p.text("category")))));
        optional(b, () -> s.object("conversation").ifPresent(c -> {
            b.setConversationId(c.text("id"));
            c.object("origin").ifPresent(o -> b.setConversationOrigin(o.text("type")));
            Timestamp expires = c.seconds("expiration_timestamp");
            if (expires != null) {
                b.setConversationExpiresAt(expires);
            }
        }));
        optional(b, () -> b.addAllErrors(MetaErrorMapper.errors(s, "errors")));
        return b.build();
    }

    private static void optional(StatusUpdate.Builder b, Runnable read) {
        try {
            read.run();
        } catch (WebhookFormatException e) {
            // the path names the odd part; values stay out of the log
            LOG.warn("status {} {} stored without {}", b.getWamid(), b.getStatus(), e.getMessage());
        }
    }

    /** The other side: {@code recipient_id}, else a business-scoped {@code recipient_user_id}. */
    static String user(JsonCursor s, StatusUpdate st) {
        return st.getRecipientId().isEmpty() ? s.text("recipient_user_id") : st.getRecipientId();
    }

    static void setCallback(StatusUpdate.Builder b, String raw) {
        String prefix = Dispatcher.CALLBACK_PREFIX;
        if (raw.startsWith(prefix) && raw.length() > prefix.length()) {
            String rest = raw.substring(prefix.length());
            int colon = rest.indexOf(':');
            String id = colon < 0 ? rest : rest.substring(0, colon);
            if (!id.isEmpty()) {
                b.setMessageId(id).setCallbackData(colon < 0 ? "" : rest.substring(colon + 1));
                return;
            }
        }
        b.setCallbackData(raw);
    }
}
