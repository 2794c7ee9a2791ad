package io.wagate.webhook;

import com.google.protobuf.Timestamp;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.ReplyContext;
import io.wagate.api.v1.Referral;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps one {@code value.messages[]} object into an {@link InboundMessage}: who sent it, when,
 * what it replies to, and its content by type ({@link InboundContentMapper}).
 *
 * <p>Only the wamid is required: it is the event's identity. Any other part with an unexpected
 * shape (a timestamp that is not unix seconds, content that is not an object) is left out and the
 * rest kept; a type this build does not model has no content. {@code raw_json} always has the
 * whole message. Rejecting the webhook instead would make Meta retry it for 7 days and then drop
 * every other event in it.
 */
final class InboundMessageMapper {

    private static final Logger LOG = LoggerFactory.getLogger(InboundMessageMapper.class);

    private InboundMessageMapper() {
    }

    /**
     * @param m         the message object
     * @param contacts  {@code value.contacts}: profile name and business-scoped id of the senders
     */
    static InboundMessage map(JsonCursor m, List<JsonCursor> contacts) {
        String wamid = m.requireText("id");
        InboundMessage.Builder b = InboundMessage.newBuilder()
                .setWamid(wamid)
                .setRawJson(WebhookJson.compact(m.node()));
        // each part sets the builder only once it is wholly read, so a part that fails leaves nothing
        part(wamid, () -> b.setType(m.text("type")));
        part(wamid, () -> b.setFrom(m.text("from")));
        part(wamid, () -> b.setUserId(m.text("from_user_id")));
        part(wamid, () -> sender(contacts, b));
        part(wamid, () -> {
            Timestamp sentAt = m.seconds("timestamp");
            if (sentAt != null) {
                b.setSentAt(sentAt);
            }
        });
        part(wamid, () -> m.object("context").ifPresent(c -> b.setContext(ReplyContext.newBuilder()
                .setFrom(c.text("from"))
                .setId(c.text("id"))
                .setForwarded(c.bool("forwarded"))
                .setFrequentlyForwarded(c.bool("frequently_forwarded")))));
        part(wamid, () -> m.object("referral").ifPresent(r -> b.setReferral(Referral.newBuilder()
                .setSourceUrl(r.text("source_url"))
                .setSourceId(r.text("source_id"))
                .setSourceType(r.text("source_type"))
                .setHeadline(r.text("headline"))
                .setBody(r.text("body"))
                .setCtwaClid(r.text("ctwa_clid")))));
        part(wamid, () -> b.addAllErrors(MetaErrorMapper.errors(m, "errors")));
        part(wamid, () -> {
            InboundMessage.Builder content = InboundMessage.newBuilder();
            InboundContentMapper.map(b.getType(), m, content);
            b.mergeFrom(content.build());
        });
        return b.build();
    }

    private static void part(String wamid, Runnable read) {
        try {
            read.run();
        } catch (WebhookFormatException e) {
            // the path names the odd part; values stay out of the log
            LOG.warn("inbound message {} stored without {}", wamid, e.getMessage());
        }
    }

    /** Profile name and business-scoped id from the sender's {@code value.contacts} entry. */
    private static void sender(List<JsonCursor> contacts, InboundMessage.Builder b) {
        JsonCursor contact = sender(contacts, b.getFrom(), b.getUserId());
        if (contact == null) {
            return;
        }
        String userId = b.getUserId().isEmpty() ? contact.text("user_id") : b.getUserId();
        String name = contact.object("profile").map(p -> p.text("name")).orElse("");
        b.setUserId(userId).setProfileName(name);
    }

    /** The {@code value.contacts} entry of the sender: same wa_id, else same user_id. */
    private static JsonCursor sender(List<JsonCursor> contacts, String from, String userId) {
        for (JsonCursor c : contacts) {
            if (!from.isEmpty() && from.equals(c.text("wa_id"))
                    || !userId.isEmpty() && userId.equals(c.text("user_id"))) {
                return c;
            }
        }
        return null;
    }
}
