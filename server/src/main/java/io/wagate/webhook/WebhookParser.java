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
import io.wagate.api.v1.WebhookError;
import io.wagate.media.InboundMediaFetcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one webhook body into events: one per inbound message, per status and per error of a
 * {@code messages} change, and one {@code ACCOUNT_UPDATE} per change of any other field (its value
 * kept as JSON). Ids are stable across Meta's redeliveries ({@link EventIds}); {@code offset} and
 * {@code stored_at} are left for the log.
 *
 * <p>Usage: {@code List<Event> events = parser.parse(body)} on the raw bytes whose signature was
 * checked. A body that is not a {@code whatsapp_business_account} notification, or lacks a part an
 * event needs (entry id, field, phone-number id, a message's or status's id), is a
 * {@link WebhookFormatException} naming the place; a single message of a type or shape this build
 * does not model is stored with its type and raw JSON instead ({@link InboundMessageMapper}).
 *
 * <p>Stateless apart from the alias lookup; safe from any thread. Never called on an event loop.
 */
public final class WebhookParser {

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
        for (JsonCursor entry : root.objects("entry")) {
            String wabaId = entry.requireText("id");
            if (!entry.field("changes").present()) {
                throw entry.field("changes").wrong("missing");
            }
            for (JsonCursor change : entry.objects("changes")) {
                String field = change.requireText("field");
                JsonCursor value = change.requireObject("value");
                Event base = Event.newBuilder().setWabaId(wabaId).build();
                if (MESSAGES_FIELD.equals(field)) {
                    messages(base, value, events);
                } else {
                    events.add(accountUpdate(base, entry, field, value));
                }
            }
        }
        return events;
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
        Event.Builder number = base.toBuilder()
                .setPhoneNumberId(phoneNumberId)
                .setNumber(aliases.aliasOf(phoneNumberId).orElse(""));
        List<JsonCursor> contacts = value.objects("contacts");
        for (JsonCursor m : value.objects("messages")) {
            InboundMessage in = withStoredMediaId(InboundMessageMapper.map(m, contacts), phoneNumberId);
            Event.Builder e = number.clone()
                    .setId(EventIds.inbound(in.getWamid()))
                    .setKind(EventKind.INBOUND_MESSAGE)
                    .setUser(in.getFrom().isEmpty() ? in.getUserId() : in.getFrom())
                    .setInbound(in);
            if (in.hasSentAt()) {
                e.setOccurredAt(in.getSentAt());
            }
            out.add(e.build());
        }
        for (JsonCursor s : value.objects("statuses")) {
            StatusUpdate st = StatusUpdateMapper.map(s);
            Event.Builder e = number.clone()
                    .setId(EventIds.status(st.getWamid(), st.getStatus()))
                    .setKind(EventKind.STATUS)
                    .setUser(StatusUpdateMapper.user(s, st))
                    .setStatus(st);
            if (st.hasAt()) {
                e.setOccurredAt(st.getAt());
            }
            out.add(e.build());
        }
        for (JsonCursor err : value.objects("errors")) {
            out.add(number.clone()
                    .setId(EventIds.webhookError(phoneNumberId, err.node()))
                    .setKind(EventKind.WEBHOOK_ERROR)
                    .setWebhookError(WebhookError.newBuilder().addErrors(MetaErrorMapper.error(err)))
                    .build());
        }
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
