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
 * <p>Only the wamid is required: it is the event's identity. A message whose other parts have an
 * unexpected shape, or whose type this build does not model, is still stored with its type and
 * {@code raw_json} and no content, because rejecting the whole webhook would make Meta retry it
 * for 7 days and then drop every other event in it.
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
        try {
            mapAll(m, contacts, b);
        } catch (WebhookFormatException e) {
            // The path names the odd part; the values stay out of the log.
            LOG.warn("inbound message {} stored without content: {}", wamid, e.getMessage());
            InboundMessage.Builder minimal = InboundMessage.newBuilder()
                    .setWamid(wamid)
                    .setRawJson(b.getRawJson());
            copyScalar(() -> minimal.setType(m.text("type")));
            copyScalar(() -> minimal.setFrom(m.text("from")));
            copyScalar(() -> minimal.setUserId(m.text("from_user_id")));
            return minimal.build();
        }
        return b.build();
    }

    private static void mapAll(JsonCursor m, List<JsonCursor> contacts, InboundMessage.Builder b) {
        String type = m.text("type");
        String from = m.text("from");
        String userId = m.text("from_user_id");
        b.setType(type).setFrom(from);
        JsonCursor contact = sender(contacts, from, userId);
        if (contact != null) {
            if (userId.isEmpty()) {
                userId = contact.text("user_id");
            }
            b.setProfileName(contact.object("profile").map(p -> p.text("name")).orElse(""));
        }
        b.setUserId(userId);
        Timestamp sentAt = m.seconds("timestamp");
        if (sentAt != null) {
            b.setSentAt(sentAt);
        }
        m.object("context").ifPresent(c -> b.setContext(ReplyContext.newBuilder()
                .setFrom(c.text("from"))
                .setId(c.text("id"))
                .setForwarded(c.bool("forwarded"))
                .setFrequentlyForwarded(c.bool("frequently_forwarded"))));
        m.object("referral").ifPresent(r -> b.setReferral(Referral.newBuilder()
                .setSourceUrl(r.text("source_url"))
                .setSourceId(r.text("source_id"))
                .setSourceType(r.text("source_type"))
                .setHeadline(r.text("headline"))
                .setBody(r.text("body"))
                .setCtwaClid(r.text("ctwa_clid"))));
        b.addAllErrors(MetaErrorMapper.errors(m, "errors"));
        InboundContentMapper.map(type, m, b);
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

    private static void copyScalar(Runnable r) {
        try {
            r.run();
        } catch (WebhookFormatException e) {
            // not a scalar either: left empty
        }
    }
}
