package io.wagate.webhook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.wagate.api.v1.AccountUpdate;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.api.v1.UnparsedItem;
import io.wagate.api.v1.WebhookError;
import io.wagate.media.InboundMediaFetcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits one webhook body into events: one per inbound message, per status and per error of a
 * {@code messages} change, and one {@code ACCOUNT_UPDATE} per change of any other field (its value
 * kept as JSON). Ids are stable across Meta's redeliveries ({@link EventIds}); {@code offset} and
 * {@code stored_at} are left for the log.
 *
 * <p>Usage: {@code List<Event> events = parser.parse(body)} on the raw bytes whose signature was
 * checked. A body that is not a {@code whatsapp_business_account} notification, or lacks a part an
 * event needs (entry id, field, phone-number id, a message's or status's id), is a
 * {@link WebhookFormatException} naming the place. Below that, nothing Meta sent is dropped and
 * one odd part never fails the rest: a message of a type or shape this build does not model is
 * stored with its type and raw JSON ({@link InboundMessageMapper}); an optional part of a status
 * that does not read is left out ({@link StatusUpdateMapper}); an item that cannot be read at all
 * (no id, the wrong JSON type, a change without its metadata) becomes an {@code UNPARSED} event
 * carrying it raw.
 *
 * <p>Stateless apart from the alias lookup; safe from any thread. Never called on an event loop.
 */
public final class WebhookParser {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookParser.class);

    static final String OBJECT = "whatsapp_business_account";
    static final String MESSAGES_FIELD = "messages";

    private final NumberAliases aliases;

    public WebhookParser(NumberAliases aliases) {
        this.aliases = aliases;
    }

    /**
     * @throws WebhookFormatException when the body is not a well-formed WhatsApp notification
     */
    public List<Event> parse(byte[] body) {
        JsonCursor root = JsonCursor.root(readJson(body)).asObject();
        String object = root.text("object");
        if (!OBJECT.equals(object)) {
            throw root.field("object").wrong(object.isEmpty() ? "missing" : "must be " + OBJECT);
        }
        if (!root.field("entry").present()) {
            throw root.field("entry").wrong("missing");
        }
        List<Event> events = new ArrayList<>();
        for (JsonCursor entry : root.array("entry")) {
            try {
                entry(entry.asObject(), events);
            } catch (WebhookFormatException e) {
                events.add(unparsed(Event.getDefaultInstance(), "", entry, e));
            }
        }
        return events;
    }

    private void entry(JsonCursor entry, List<Event> events) {
        String wabaId = entry.requireText("id");
        if (!entry.field("changes").present()) {
            throw entry.field("changes").wrong("missing");
        }
        Event base = Event.newBuilder().setWabaId(wabaId).build();
        for (JsonCursor change : entry.array("changes")) {
            String field = "";
            try {
                change.asObject();
                field = change.requireText("field");
                JsonCursor value = change.requireObject("value");
                if (MESSAGES_FIELD.equals(field)) {
                    messages(base, value, events);
                } else {
                    events.add(accountUpdate(base, entry, field, value));
                }
            } catch (WebhookFormatException e) {
                events.add(unparsed(base, field, change, e));
            }
        }
    }

    /**
     * A part this build cannot read, kept as Meta sent it: its id is the hash of its content, so
     * Meta's redeliveries of it are stored once, like every other event.
     */
    private static Event unparsed(Event base, String field, JsonCursor item, WebhookFormatException problem) {
        JsonNode node = item.node() == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : item.node();
        LOG.warn("webhook: kept {} raw as an UNPARSED event: {}", item.path(), problem.getMessage());
        return base.toBuilder()
                .setId(EventIds.unparsed(base.getPhoneNumberId(), node))
                .setKind(EventKind.UNPARSED)
                .setUnparsed(UnparsedItem.newBuilder()
                        .setField(field)
                        .setPlace(item.path())
                        .setProblem(problem.getMessage())
                        .setRawJson(WebhookJson.compact(node)))
                .build();
    }

    private static JsonNode readJson(byte[] body) {
        JsonNode node;
        try {
            node = WebhookJson.read(body);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the input; only the place is kept
            JsonLocation at = e.getLocation();
            throw new WebhookFormatException("body: not valid JSON" + (at == null ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (NumberFormatException e) {
            // Jackson refuses a decimal whose exponent does not fit an int (10e65435202727)
            throw new WebhookFormatException("body: a number is out of range");
        } catch (IOException e) {
            // a byte array cannot fail to read; this is undecodable text (e.g. broken UTF-32)
            throw new WebhookFormatException("body: not valid JSON text (" + e.getClass().getSimpleName() + ")");
        }
        if (node == null) {
            throw new WebhookFormatException("body: empty");
        }
        return node;
    }

    private void messages(Event base, JsonCursor value, List<Event> out) {
        String phoneNumberId = value.requireObject("metadata").requireText("phone_number_id");
        Event numbered = base.toBuilder()
                .setPhoneNumberId(phoneNumberId)
                .setNumber(aliases.aliasOf(phoneNumberId).orElse(""))
                .build();
        List<JsonCursor> contacts = contacts(value);
        // each item on its own: one odd item is kept raw, the others are read as usual
        for (JsonCursor m : value.array("messages")) {
            item(numbered, m, out, () -> inbound(numbered, m.asObject(), contacts));
        }
        for (JsonCursor s : value.array("statuses")) {
            item(numbered, s, out, () -> status(numbered, s.asObject()));
        }
        for (JsonCursor err : value.array("errors")) {
            item(numbered, err, out, () -> numbered.toBuilder()
                    .setId(EventIds.webhookError(phoneNumberId, err.asObject().node()))
                    .setKind(EventKind.WEBHOOK_ERROR)
                    .setWebhookError(WebhookError.newBuilder().addErrors(MetaErrorMapper.error(err)))
                    .build());
        }
    }

    private static void item(Event numbered, JsonCursor item, List<Event> out, java.util.function.Supplier<Event> read) {
        try {
            out.add(read.get());
        } catch (WebhookFormatException e) {
            out.add(unparsed(numbered, MESSAGES_FIELD, item, e));
        }
    }

    /** The sender profiles; an odd element is skipped (the message is still read without its name). */
    private static List<JsonCursor> contacts(JsonCursor value) {
        try {
            return value.objects("contacts");
        } catch (WebhookFormatException e) {
            LOG.warn("webhook: read without sender profiles: {}", e.getMessage());
            return List.of();
        }
    }

    private Event inbound(Event numbered, JsonCursor m, List<JsonCursor> contacts) {
        InboundMessage in = withStoredMediaId(InboundMessageMapper.map(m, contacts), numbered.getPhoneNumberId());
        Event.Builder e = numbered.toBuilder()
                .setId(EventIds.inbound(in.getWamid()))
                .setKind(EventKind.INBOUND_MESSAGE)
                .setUser(in.getFrom().isEmpty() ? in.getUserId() : in.getFrom())
                .setInbound(in);
        if (in.hasSentAt()) {
            e.setOccurredAt(in.getSentAt());
        }
        return e.build();
    }

    private static Event status(Event numbered, JsonCursor s) {
        StatusUpdate st = StatusUpdateMapper.map(s);
        Event.Builder e = numbered.toBuilder()
                .setId(EventIds.status(st.getWamid(), st.getStatus()))
                .setKind(EventKind.STATUS)
                .setUser(StatusUpdateMapper.user(s, st))
                .setStatus(st);
        if (st.hasAt()) {
            e.setOccurredAt(st.getAt());
        }
        return e.build();
    }

    /** Media gets Wagate's id now, before its bytes are fetched (see {@link InboundMediaFetcher}). */
    private static InboundMessage withStoredMediaId(InboundMessage in, String phoneNumberId) {
        if (!in.hasMedia() || in.getMedia().getMetaMediaId().isEmpty()) {
            return in;
        }
        String id = InboundMediaFetcher.storedIdOf(phoneNumberId, in.getMedia().getMetaMediaId());
        return in.toBuilder().setMedia(in.getMedia().toBuilder().setStoredMediaId(id)).build();
    }

    /** Fields other than messages: template status, quality, account alerts... kept as JSON. */
    private Event accountUpdate(Event base, JsonCursor entry, String field, JsonCursor value) {
        Event.Builder e = base.toBuilder()
                .setId(EventIds.accountUpdate(base.getWabaId(), field, value.node()))
                .setKind(EventKind.ACCOUNT_UPDATE)
                .setAccountUpdate(AccountUpdate.newBuilder()
                        .setField(field)
                        .setValueJson(WebhookJson.compact(value.node())));
        JsonCursor metadata = value.field("metadata");
        if (metadata.present() && metadata.node().isObject()) {
            String phoneNumberId = metadata.text("phone_number_id");
            e.setPhoneNumberId(phoneNumberId);
            if (!phoneNumberId.isEmpty()) {
                e.setNumber(aliases.aliasOf(phoneNumberId).orElse(""));
            }
        }
        try {
            Timestamp time = entry.seconds("time");
            if (time != null) {
                e.setOccurredAt(time);
            }
        } catch (WebhookFormatException notSeconds) {
            // the time is informative only: the update is stored without it
        }
        return e.build();
    }
}
