package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;

/**
 * A message a user's phone sends to a business number, for {@link SandboxEmulator#injectInbound}.
 * The type's own object uses Meta's webhook field names (reference §4.5); what a type needs is
 * checked, and media ids, hashes and MIME types are filled in when left out (see
 * {@link InboundMessageFactory}).
 *
 * <pre>{@code
 * sandbox.injectInbound(InboundSpec.text("15550001111", "hi").withName("Ana"));
 * sandbox.injectInbound(InboundSpec.buttonReply("15550001111", "yes", "Yes").withContext(wamid));
 * sandbox.injectInbound(InboundSpec.of("order", "15550001111", orderJson));
 * sandbox.injectInbound(InboundSpec.text(null, "hi").withUserId("US.13491208655302741918"));  // no phone number
 * }</pre>
 *
 * @param phoneNumberId the business number written to; null for the emulator's only (or first) number
 * @param from the user's {@code wa_id} (phone digits); null for a user known only by {@code userId}
 *     (one of the two is needed to inject)
 * @param userId the user's business-scoped user id (BSUID), or null
 * @param profileName the user's profile name; null for a default
 * @param type one of {@link #TYPES}
 * @param content the type's object (an array for {@code contacts}); null for {@code request_welcome}
 *     and optional for {@code unsupported}
 * @param contextId the business message this one replies to (quotes), or null
 * @param referral the click-to-WhatsApp ad the user came from ({@code referral} object), or null
 * @param media the bytes of an image, audio, video, document or sticker, stored by the sandbox as a
 *     downloadable webhook media id; null for none (then a media message without an {@code id}
 *     gets {@link InboundMedia#DEFAULT}, one with an {@code id} keeps it as given, not downloadable)
 * @param timestamp when the user sent it (the webhook's {@code timestamp}, and what opens the
 *     customer service window); null for now. Tests inject "26 hours ago" with it.
 */
public record InboundSpec(String phoneNumberId, String from, String userId, String profileName, String type,
                          JsonNode content, String contextId, JsonNode referral, InboundMedia media,
                          java.time.Instant timestamp) {

    /** The inbound message types (reference §4.5, §11). */
    public static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "document", "sticker",
            "location", "contacts", "interactive", "button", "reaction", "order", "system", "request_welcome",
            "unsupported");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> ENVELOPE_FIELDS = Set.of("phone_number_id", "from", "user_id", "name", "type",
            "context", "referral", "media", "timestamp");
    /** The types that carry media. */
    public static final Set<String> MEDIA_TYPES = Set.of("image", "audio", "video", "document", "sticker");

    public InboundSpec {
        if (type == null || !TYPES.contains(type)) {
            throw new IllegalArgumentException("type must be one of " + String.join(", ", new java.util.TreeSet<>(TYPES))
                    + ", got " + (type == null ? "nothing" : "'" + abbreviate(type) + "'"));
        }
        if (from != null && !from.replaceAll("[+\\s()-]", "").matches("[0-9]{6,15}")) {
            throw new IllegalArgumentException("from must be the user's phone number (6-15 digits), got '"
                    + abbreviate(from) + "'");
        }
        from = from == null ? null : from.replaceAll("[^0-9]", "");
        if (userId != null && !userId.matches("[A-Z]{2}\\.[A-Za-z0-9.]{1,100}")) {
            throw new IllegalArgumentException("user_id must be a business-scoped user id like US.13491208655302741918,"
                    + " got '" + abbreviate(userId) + "'");
        }
        if (contextId != null && contextId.isBlank()) {
            throw new IllegalArgumentException("context.id must not be blank");
        }
        if (referral != null && !referral.isObject()) {
            throw new IllegalArgumentException("referral must be an object");
        }
        if (media != null && !MEDIA_TYPES.contains(type)) {
            throw new IllegalArgumentException("media goes with image, audio, video, document or sticker, not " + type);
        }
        if (media != null && content != null && content.hasNonNull("id")) {
            throw new IllegalArgumentException(type + ".id must not be set with media: the sandbox issues the id");
        }
    }

    /** A spec without media bytes (the form before media). */
    public InboundSpec(String phoneNumberId, String from, String userId, String profileName, String type,
                       JsonNode content, String contextId, JsonNode referral) {
        this(phoneNumberId, from, userId, profileName, type, content, contextId, referral, null);
    }

    /** A spec sent now (the form before timestamps). */
    public InboundSpec(String phoneNumberId, String from, String userId, String profileName, String type,
                       JsonNode content, String contextId, JsonNode referral, InboundMedia media) {
        this(phoneNumberId, from, userId, profileName, type, content, contextId, referral, media, null);
    }

    /** The same message sent at {@code at} (null: now), for example 26 hours ago. */
    public InboundSpec withTimestamp(java.time.Instant at) {
        return new InboundSpec(phoneNumberId, from, userId, profileName, type, content, contextId, referral, media, at);
    }

    /**
     * An image, audio, video, document or sticker whose bytes the sandbox stores: the webhook's id
     * downloads to them. For a voice note see {@link #voice}. (A literal {@code null} third argument
     * is ambiguous with {@link #media(String, String, String)}: cast it.)
     */
    public static InboundSpec media(String type, String from, InboundMedia media) {
        return new InboundSpec(null, from, null, null, type, NODES.objectNode(), null, null,
                java.util.Objects.requireNonNull(media, "media"));
    }

    /** A voice note: audio/ogg (Opus) with {@code "voice": true}. */
    public static InboundSpec voice(String from, InboundMedia media) {
        ObjectNode a = NODES.objectNode().put("voice", true);
        return new InboundSpec(null, from, null, null, "audio", a, null, null,
                media.mimeType() == null ? media.withMimeType("audio/ogg; codecs=opus") : media);
    }

    /** The same message with {@code field} set in the type's object (a caption, a filename, voice...). */
    public InboundSpec with(String field, String value) {
        ObjectNode c = content == null || !content.isObject() ? NODES.objectNode() : ((ObjectNode) content).deepCopy();
        c.put(field, value);
        return new InboundSpec(phoneNumberId, from, userId, profileName, type, c, contextId, referral, media, timestamp);
    }

    /** A {@code type} message with its object as Meta names the fields. */
    public static InboundSpec of(String type, String from, JsonNode content) {
        return new InboundSpec(null, from, null, null, type, content, null, null);
    }

    public static InboundSpec text(String from, String body) {
        return of("text", from, NODES.objectNode().put("body", body));
    }

    /** An image, audio, video, document or sticker by media id (null for a generated one). */
    public static InboundSpec media(String type, String from, String mediaId) {
        ObjectNode m = NODES.objectNode();
        if (mediaId != null) {
            m.put("id", mediaId);
        }
        return of(type, from, m);
    }

    public static InboundSpec location(String from, double latitude, double longitude) {
        return of("location", from, NODES.objectNode().put("latitude", latitude).put("longitude", longitude));
    }

    /** A tap on a reply button of an interactive message. */
    public static InboundSpec buttonReply(String from, String id, String title) {
        ObjectNode i = NODES.objectNode().put("type", "button_reply");
        i.putObject("button_reply").put("id", id).put("title", title);
        return of("interactive", from, i);
    }

    /** A choice from a list message. */
    public static InboundSpec listReply(String from, String id, String title) {
        ObjectNode i = NODES.objectNode().put("type", "list_reply");
        i.putObject("list_reply").put("id", id).put("title", title);
        return of("interactive", from, i);
    }

    /** A tap on a template's quick-reply button. */
    public static InboundSpec quickReply(String from, String payload, String text) {
        return of("button", from, NODES.objectNode().put("payload", payload).put("text", text));
    }

    /** A reaction to {@code messageId}; a null or empty emoji removes it. */
    public static InboundSpec reaction(String from, String messageId, String emoji) {
        ObjectNode r = NODES.objectNode().put("message_id", messageId);
        if (emoji != null && !emoji.isEmpty()) {
            r.put("emoji", emoji);
        }
        return of("reaction", from, r);
    }

    /**
     * Reads the control API's JSON: {@code phone_number_id}, {@code from}, {@code user_id},
     * {@code name}, {@code type}, the type's object under its name, {@code context: {"id"}} and
     * {@code referral}.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static InboundSpec fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        String type = stringField(body, "type");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ENVELOPE_FIELDS.contains(f) && !f.equals(type)) {
                throw new IllegalArgumentException("unknown field '" + abbreviate(f) + "'"
                        + (TYPES.contains(f) ? " (type is " + (type == null ? "not set" : "'" + type + "'") + ")" : ""));
            }
        }
        String contextId = null;
        if (body.hasNonNull("context")) {
            JsonNode c = body.get("context");
            contextId = c.isTextual() ? c.asText() : stringField(c, "id");
            if (contextId == null) {
                throw new IllegalArgumentException("context must be {\"id\": \"<wamid of the quoted message>\"}");
            }
        }
        JsonNode referral = body.hasNonNull("referral") ? body.get("referral") : null;
        InboundMedia media = body.hasNonNull("media") ? InboundMedia.fromJson(body.get("media")) : null;
        java.time.Instant timestamp = null;
        if (body.hasNonNull("timestamp")) {
            JsonNode t = body.get("timestamp");
            String digits = t.isIntegralNumber() ? t.asText() : t.isTextual() ? t.asText() : "";
            if (!digits.matches("[0-9]{1,12}")) {
                throw new IllegalArgumentException("timestamp must be epoch seconds (a whole number), got " + t);
            }
            timestamp = java.time.Instant.ofEpochSecond(Long.parseLong(digits));
        }
        return new InboundSpec(stringField(body, "phone_number_id"), stringField(body, "from"), stringField(body, "user_id"),
                stringField(body, "name"), type, type == null ? null : body.get(type), contextId, referral, media,
                timestamp);
    }

    public InboundSpec withNumber(String newPhoneNumberId) {
        return new InboundSpec(newPhoneNumberId, from, userId, profileName, type, content, contextId, referral, media, timestamp);
    }

    public InboundSpec withUserId(String newUserId) {
        return new InboundSpec(phoneNumberId, from, newUserId, profileName, type, content, contextId, referral, media, timestamp);
    }

    public InboundSpec withName(String newProfileName) {
        return new InboundSpec(phoneNumberId, from, userId, newProfileName, type, content, contextId, referral, media, timestamp);
    }

    /** A reply quoting business message {@code wamid}. */
    public InboundSpec withContext(String wamid) {
        return new InboundSpec(phoneNumberId, from, userId, profileName, type, content, wamid, referral, media, timestamp);
    }

    /** Came from a click-to-WhatsApp ad: Meta's {@code referral} object (missing fields get defaults). */
    public InboundSpec withReferral(JsonNode newReferral) {
        return new InboundSpec(phoneNumberId, from, userId, profileName, type, content, contextId, newReferral, media, timestamp);
    }

    /** A string field, null when absent or null; anything else is refused naming {@code field}. */
    static String stringField(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
