package io.wagate.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns an {@link InboundSpec} into the {@code contacts[]} and {@code messages[]} elements of
 * Meta's messages webhook (reference §4.5), checking each type's object and filling in what a
 * phone would (media ids, hashes, MIME types; the ad referral's click id; 131051 for unsupported).
 * Users known only by their BSUID have {@code user_id}/{@code from_user_id} and no
 * {@code wa_id}/{@code from}.
 *
 * <p>Stateless and thread-safe.
 */
final class InboundMessageFactory {

    static final String DEFAULT_PROFILE_NAME = "Sandbox User";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> DEFAULT_MIME = Map.of("image", "image/jpeg", "audio",
            "audio/ogg; codecs=opus", "video", "video/mp4", "document", "application/pdf", "sticker", "image/webp");
    private static final Set<String> MEDIA = DEFAULT_MIME.keySet();

    private InboundMessageFactory() {
    }

    /** The MIME type a phone sends for {@code type} when none is given. */
    static String defaultMime(String type) {
        return DEFAULT_MIME.get(type);
    }

    /**
     * @param businessDisplayNumber the display number of the business number, as {@code context.from}
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static WebhookNotification build(InboundSpec spec, String phoneNumberId, String wamid, long timestampSeconds,
                                     String businessDisplayNumber) {
        if (spec.from() == null && spec.userId() == null) {
            throw new IllegalArgumentException("from (the user's wa_id) or user_id (their BSUID) must be set");
        }
        String type = spec.type();
        ObjectNode message = NODES.objectNode();
        if (spec.contextId() != null) {
            message.putObject("context").put("from", businessDisplayNumber).put("id", spec.contextId());
        }
        if (spec.from() != null) {
            message.put("from", spec.from());
        }
        if (spec.userId() != null) {
            message.put("from_user_id", spec.userId());
        }
        message.put("id", wamid);
        message.put("timestamp", Long.toString(timestampSeconds));
        message.put("type", type);
        JsonNode content = content(type, spec.content());
        if (content != null) {
            message.set(type, content.deepCopy());
        }
        if (type.equals("unsupported")) {
            message.putArray("errors").add(StatusFailure.of(131051, "Message type is currently not supported.").toJson());
        }
        if (spec.referral() != null) {
            message.set("referral", referral(spec.referral()));
        }
        ObjectNode contact = null;
        if (!type.equals("system")) { // system messages carry no contacts array
            contact = NODES.objectNode();
            contact.putObject("profile").put("name", spec.profileName() == null ? DEFAULT_PROFILE_NAME : spec.profileName());
            if (spec.from() != null) {
                contact.put("wa_id", spec.from());
            }
            if (spec.userId() != null) {
                contact.put("user_id", spec.userId());
            }
        }
        return WebhookNotification.message(phoneNumberId, contact, message);
    }

    private static JsonNode content(String type, JsonNode c) {
        if (MEDIA.contains(type)) {
            return media(type, c == null ? NODES.objectNode() : object(type, c));
        }
        return switch (type) {
            case "text" -> {
                ObjectNode t = object(type, c);
                requireText(t, type, "body");
                yield only(t, type, "body");
            }
            case "location" -> location(object(type, c));
            case "contacts" -> contacts(c);
            case "interactive" -> interactive(object(type, c));
            case "button" -> {
                ObjectNode b = object(type, c);
                requireText(b, type, "payload");
                requireText(b, type, "text");
                yield only(b, type, "payload", "text");
            }
            case "reaction" -> {
                ObjectNode r = object(type, c);
                requireText(r, type, "message_id");
                optionalText(r, type, "emoji");
                yield only(r, type, "message_id", "emoji");
            }
            case "order" -> order(object(type, c));
            case "system" -> system(object(type, c));
            case "request_welcome" -> {
                if (c != null && !(c.isObject() && c.isEmpty())) {
                    throw new IllegalArgumentException("request_welcome has no fields");
                }
                yield null;
            }
            default -> { // unsupported: optionally what it was, as {"type": "edit"}
                if (c == null || c.isObject() && c.isEmpty()) {
                    yield null;
                }
                ObjectNode u = object(type, c);
                optionalText(u, type, "type");
                yield only(u, type, "type");
            }
        };
    }

    private static ObjectNode media(String type, ObjectNode m) {
        ObjectNode out = m.deepCopy();
        optionalText(m, type, "id");
        optionalText(m, type, "mime_type");
        optionalText(m, type, "sha256");
        optionalText(m, type, "caption");
        optionalText(m, type, "filename");
        if (!m.hasNonNull("id")) {
            out.put("id", Long.toString(1_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(1L << 52)));
        }
        if (!m.hasNonNull("mime_type")) {
            out.put("mime_type", DEFAULT_MIME.get(type));
        }
        if (!m.hasNonNull("sha256")) {
            out.put("sha256", sha256Hex(out.get("id").asText()));
        }
        switch (type) {
            case "audio" -> optionalBoolean(m, type, "voice");
            case "sticker" -> optionalBoolean(m, type, "animated");
            case "document" -> {
                if (!m.hasNonNull("filename")) {
                    out.put("filename", "document.pdf");
                }
            }
            default -> { }
        }
        Set<String> allowed = switch (type) {
            case "audio" -> Set.of("id", "mime_type", "sha256", "voice", "url");
            case "sticker" -> Set.of("id", "mime_type", "sha256", "animated", "url");
            case "document" -> Set.of("id", "mime_type", "sha256", "caption", "filename", "url");
            default -> Set.of("id", "mime_type", "sha256", "caption", "url");
        };
        return only(out, type, allowed.toArray(String[]::new));
    }

    private static ObjectNode location(ObjectNode l) {
        number(l, "location", "latitude", -90, 90);
        number(l, "location", "longitude", -180, 180);
        for (String f : new String[] {"name", "address", "url"}) {
            optionalText(l, "location", f);
        }
        return only(l, "location", "latitude", "longitude", "name", "address", "url");
    }

    private static ArrayNode contacts(JsonNode c) {
        if (c == null || !c.isArray() || c.isEmpty()) {
            throw new IllegalArgumentException("contacts must be a non-empty array of contact cards");
        }
        for (int i = 0; i < c.size(); i++) {
            JsonNode card = c.get(i);
            if (!card.isObject() || !card.path("name").path("formatted_name").isTextual()) {
                throw new IllegalArgumentException("contacts[" + i + "].name.formatted_name must be a string");
            }
        }
        return (ArrayNode) c.deepCopy();
    }

    private static ObjectNode interactive(ObjectNode i) {
        String kind = requireText(i, "interactive", "type");
        ObjectNode reply = switch (kind) {
            case "button_reply", "list_reply" -> {
                ObjectNode r = object("interactive." + kind, i.get(kind));
                requireText(r, "interactive." + kind, "id");
                requireText(r, "interactive." + kind, "title");
                optionalText(r, "interactive." + kind, "description");
                yield only(r, "interactive." + kind, "id", "title", "description");
            }
            case "nfm_reply" -> {
                ObjectNode r = object("interactive.nfm_reply", i.get(kind)).deepCopy();
                String response = requireText(r, "interactive.nfm_reply", "response_json");
                try {
                    JSON.readTree(response);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("interactive.nfm_reply.response_json must hold JSON (a string"
                            + " of the flow's answers)");
                }
                if (!r.hasNonNull("body")) {
                    r.put("body", "Sent");
                }
                if (!r.hasNonNull("name")) {
                    r.put("name", "flow");
                }
                yield only(r, "interactive.nfm_reply", "response_json", "body", "name");
            }
            default -> throw new IllegalArgumentException("interactive.type must be button_reply, list_reply or"
                    + " nfm_reply, got '" + InboundSpec.abbreviate(kind) + "'");
        };
        ObjectNode out = NODES.objectNode().put("type", kind);
        out.set(kind, reply);
        only(i, "interactive", "type", kind);
        return out;
    }

    private static ObjectNode order(ObjectNode o) {
        requireText(o, "order", "catalog_id");
        optionalText(o, "order", "text");
        JsonNode items = o.get("product_items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new IllegalArgumentException("order.product_items must be a non-empty array");
        }
        for (int i = 0; i < items.size(); i++) {
            String at = "order.product_items[" + i + "]";
            ObjectNode item = object(at, items.get(i));
            requireText(item, at, "product_retailer_id");
            requireText(item, at, "currency");
            if (!item.path("quantity").canConvertToInt() || item.path("quantity").asInt() < 1) {
                throw new IllegalArgumentException(at + ".quantity must be an integer >= 1");
            }
            if (!item.path("item_price").isNumber()) {
                throw new IllegalArgumentException(at + ".item_price must be a number");
            }
        }
        return only(o, "order", "catalog_id", "text", "product_items");
    }

    private static ObjectNode system(ObjectNode s) {
        String kind = requireText(s, "system", "type");
        requireText(s, "system", "body");
        if (kind.equals("user_changed_number")) {
            requireText(s, "system", "wa_id");
        } else if (kind.equals("user_changed_user_id")) {
            requireText(s, "system", "user_id");
        } else {
            throw new IllegalArgumentException("system.type must be user_changed_number or user_changed_user_id, got '"
                    + InboundSpec.abbreviate(kind) + "'");
        }
        return only(s, "system", "body", "type", "wa_id", "user_id");
    }

    private static ObjectNode referral(JsonNode r) {
        ObjectNode out = r.deepCopy();
        for (String f : new String[] {"source_url", "source_id", "source_type", "headline", "body", "media_type",
                "image_url", "video_url", "thumbnail_url", "ctwa_clid"}) {
            optionalText((ObjectNode) r, "referral", f);
        }
        only((ObjectNode) r, "referral", "source_url", "source_id", "source_type", "headline", "body", "media_type",
                "image_url", "video_url", "thumbnail_url", "ctwa_clid");
        if (!out.hasNonNull("source_url")) {
            out.put("source_url", "https://fb.me/sandbox-ad");
        }
        if (!out.hasNonNull("source_id")) {
            out.put("source_id", "120200000000000000");
        }
        if (!out.hasNonNull("source_type")) {
            out.put("source_type", "ad");
        }
        if (!out.hasNonNull("ctwa_clid")) {
            out.put("ctwa_clid", "ARA" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        }
        return out;
    }

    private static ObjectNode object(String at, JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(at + " must be an object");
        }
        return (ObjectNode) n;
    }

    private static String requireText(JsonNode parent, String at, String field) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(at + "." + field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static void optionalText(JsonNode parent, String at, String field) {
        JsonNode v = parent.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw new IllegalArgumentException(at + "." + field + " must be a string");
        }
    }

    private static void optionalBoolean(JsonNode parent, String at, String field) {
        JsonNode v = parent.get(field);
        if (v != null && !v.isNull() && !v.isBoolean()) {
            throw new IllegalArgumentException(at + "." + field + " must be true or false");
        }
    }

    private static void number(JsonNode parent, String at, String field, double min, double max) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw new IllegalArgumentException(at + "." + field + " must be a number in [" + (int) min + ", "
                    + (int) max + "]");
        }
    }

    /** Refuses fields the type does not have (a typo would otherwise vanish silently); returns {@code o}. */
    private static ObjectNode only(ObjectNode o, String at, String... allowed) {
        Set<String> ok = Set.of(allowed);
        o.fieldNames().forEachRemaining(f -> {
            if (!ok.contains(f)) {
                throw new IllegalArgumentException("unknown field " + at + "." + InboundSpec.abbreviate(f)
                        + " (allowed: " + String.join(", ", allowed) + ")");
            }
        });
        return o;
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
