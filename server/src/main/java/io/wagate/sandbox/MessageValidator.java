package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Meta's validation of a messages-endpoint body (reference §1.1–1.5), with Meta's codes:
 * 131008 for a missing required parameter, 100 for a parameter that is too long or not allowed on
 * the type, 131009 for a value Meta does not accept (counts, duplicates, schemes, ranges, formats).
 * The first problem found is reported, as Meta does.
 *
 * <p>Checks only what Meta checks synchronously; template existence and parameter counts are the
 * template catalogue's business (a later extension).
 *
 * <p>Stateless; safe from any thread.
 */
final class MessageValidator {

    private static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "document", "sticker",
            "location", "contacts", "interactive", "template", "reaction");
    private static final Set<String> COMPONENT_TYPES = Set.of("header", "body", "button", "footer");
    private static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ()\\-]*[0-9][0-9 ()\\-]*$");
    private static final Pattern BSUID = Pattern.compile("^[A-Z]{2}\\.[A-Za-z0-9.]+$");
    /** wamids are "wamid." plus base64; Meta caps the whole id at 128 characters. */
    static final Pattern WAMID = Pattern.compile("^wamid\\.[A-Za-z0-9+/=_-]{1,122}$");

    /** Validates a send body; empty when Meta would accept it. */
    Optional<GraphError> validateSend(JsonNode body) {
        try {
            envelope(body);
            String type = type(body);
            JsonNode content = body.get(type);
            if (content == null || content.isNull()) {
                throw missing(type);
            }
            switch (type) {
                case "text" -> text(content);
                case "image", "video", "document" -> media(content, type, true, type.equals("document"));
                case "audio", "sticker" -> media(content, type, false, false);
                case "location" -> location(content);
                case "contacts" -> contacts(content);
                case "interactive" -> interactive(content);
                case "template" -> template(content);
                default -> reaction(content);
            }
            return Optional.empty();
        } catch (Invalid e) {
            return Optional.of(e.error);
        }
    }

    /** Validates a mark-read ({@code "status": "read"}) body; empty when Meta would accept it. */
    Optional<GraphError> validateMarkRead(JsonNode body) {
        try {
            messagingProduct(body);
            if (!"read".equals(body.path("status").asText())) {
                throw invalidValue("status must be 'read'");
            }
            String id = requiredText(body, "message_id", "message_id");
            if (!WAMID.matcher(id).matches()) {
                throw invalidValue("Invalid message_id: " + abbreviate(id));
            }
            JsonNode typing = body.get("typing_indicator");
            if (typing != null && !"text".equals(typing.path("type").asText())) {
                throw invalidValue("typing_indicator['type'] must be 'text'");
            }
            return Optional.empty();
        } catch (Invalid e) {
            return Optional.of(e.error);
        }
    }

    private static void envelope(JsonNode body) {
        messagingProduct(body);
        JsonNode recipientType = body.get("recipient_type");
        if (recipientType != null && !Set.of("individual", "group").contains(recipientType.asText())) {
            throw invalidValue("recipient_type must be 'individual' or 'group'");
        }
        JsonNode to = body.get("to");
        JsonNode recipient = body.get("recipient");
        if (isBlank(to) && isBlank(recipient)) {
            throw missing("to");
        }
        if (!isBlank(to) && !PHONE.matcher(to.asText()).matches()) {
            throw invalidValue("Invalid recipient phone number: " + abbreviate(to.asText()));
        }
        if (!isBlank(recipient) && !BSUID.matcher(recipient.asText()).matches()) {
            throw invalidValue("Invalid business-scoped user id in recipient: " + abbreviate(recipient.asText()));
        }
        JsonNode context = body.get("context");
        if (context != null) {
            requiredText(context, "message_id", "context['message_id']");
        }
        maxLength(body, "biz_opaque_callback_data", 512, "biz_opaque_callback_data");
    }

    private static void messagingProduct(JsonNode body) {
        JsonNode mp = body.get("messaging_product");
        if (isBlank(mp)) {
            throw missing("messaging_product");
        }
        if (!"whatsapp".equals(mp.asText())) {
            throw invalidValue("messaging_product must be 'whatsapp'");
        }
    }

    private static String type(JsonNode body) {
        JsonNode t = body.get("type");
        // Meta documents "text" as the default type.
        String type = isBlank(t) ? "text" : t.asText();
        if (!TYPES.contains(type)) {
            throw invalidValue("Unsupported message type: " + abbreviate(type));
        }
        return type;
    }

    private static void text(JsonNode t) {
        String body = requiredText(t, "body", "text['body']");
        maxLength(body, 4096, "text['body']");
        JsonNode preview = t.get("preview_url");
        if (preview != null && !preview.isBoolean()) {
            throw invalidValue("text['preview_url'] must be a boolean");
        }
    }

    private static void media(JsonNode m, String path, boolean captionAllowed, boolean filenameAllowed) {
        boolean hasId = !isBlank(m.get("id"));
        boolean hasLink = !isBlank(m.get("link"));
        if (!hasId && !hasLink) {
            throw missing(path + "['id'] or " + path + "['link']");
        }
        if (hasId && hasLink) {
            throw invalidValue("Exactly one of " + path + "['id'] and " + path + "['link'] may be set");
        }
        if (hasLink) {
            httpUrl(m.get("link").asText(), path + "['link']");
        }
        if (m.has("caption")) {
            if (!captionAllowed) {
                throw invalidParameter("Param " + path + "['caption'] is not allowed for " + path + " messages");
            }
            maxLength(m, "caption", 1024, path + "['caption']");
        }
        if (m.has("filename") && !filenameAllowed) {
            throw invalidParameter("Param " + path + "['filename'] is only allowed for documents");
        }
    }

    private static void location(JsonNode l) {
        coordinate(l, "latitude", 90);
        coordinate(l, "longitude", 180);
    }

    private static void coordinate(JsonNode l, String field, double bound) {
        JsonNode v = l.get(field);
        if (v == null || v.isNull()) {
            throw missing("location['" + field + "']");
        }
        if (!v.isNumber() || Math.abs(v.asDouble()) > bound) {
            throw invalidValue("location['" + field + "'] must be a number between -" + (int) bound + " and " + (int) bound);
        }
    }

    private static void contacts(JsonNode c) {
        if (!c.isArray() || c.isEmpty()) {
            throw missing("contacts");
        }
        for (int i = 0; i < c.size(); i++) {
            requiredText(c.get(i).path("name"), "formatted_name", "contacts[" + i + "]['name']['formatted_name']");
        }
    }

    private static void reaction(JsonNode r) {
        requiredText(r, "message_id", "reaction['message_id']");
    }

    private static void template(JsonNode t) {
        requiredText(t, "name", "template['name']");
        requiredText(t.path("language"), "code", "template['language']['code']");
        JsonNode components = t.get("components");
        if (components == null) {
            return;
        }
        if (!components.isArray()) {
            throw invalidValue("template['components'] must be an array");
        }
        for (int i = 0; i < components.size(); i++) {
            JsonNode c = components.get(i);
            String path = "template['components'][" + i + "]";
            String type = requiredText(c, "type", path + "['type']");
            if (!COMPONENT_TYPES.contains(type)) {
                throw invalidValue(path + "['type'] is not a component type: " + abbreviate(type));
            }
            if (type.equals("button")) {
                requiredText(c, "sub_type", path + "['sub_type']");
                requiredText(c, "index", path + "['index']");
            }
            JsonNode params = c.path("parameters");
            for (int p = 0; p < params.size(); p++) {
                requiredText(params.get(p), "type", path + "['parameters'][" + p + "]['type']");
            }
        }
    }

    private static void interactive(JsonNode i) {
        String type = requiredText(i, "type", "interactive['type']");
        if (!Set.of("button", "list", "cta_url").contains(type)) {
            throw invalidValue("Unsupported interactive type: " + abbreviate(type));
        }
        header(i.get("header"), type.equals("list"));
        String body = requiredText(i.path("body"), "text", "interactive['body']['text']");
        maxLength(body, type.equals("list") ? 4096 : 1024, "interactive['body']['text']");
        JsonNode footer = i.get("footer");
        if (footer != null) {
            maxLength(footer, "text", 60, "interactive['footer']['text']");
        }
        JsonNode action = i.get("action");
        if (action == null || !action.isObject()) {
            throw missing("interactive['action']");
        }
        switch (type) {
            case "button" -> buttons(action);
            case "list" -> list(action);
            default -> ctaUrl(action);
        }
    }

    private static void header(JsonNode h, boolean textOnly) {
        if (h == null) {
            return;
        }
        String type = requiredText(h, "type", "interactive['header']['type']");
        if (type.equals("text")) {
            String text = requiredText(h, "text", "interactive['header']['text']");
            maxLength(text, 60, "interactive['header']['text']");
        } else if (!textOnly && Set.of("image", "video", "document").contains(type)) {
            JsonNode media = h.get(type);
            if (media == null) {
                throw missing("interactive['header']['" + type + "']");
            }
            media(media, "interactive['header']['" + type + "']", false, type.equals("document"));
        } else {
            throw invalidValue("Header type " + abbreviate(type) + " is not allowed for this interactive message");
        }
    }

    private static void buttons(JsonNode action) {
        JsonNode buttons = action.get("buttons");
        if (buttons == null || !buttons.isArray()) {
            throw missing("interactive['action']['buttons']");
        }
        if (buttons.isEmpty() || buttons.size() > 3) {
            throw invalidValue("Buttons count is invalid: " + buttons.size() + ". Min: 1, max: 3");
        }
        Set<String> titles = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int b = 0; b < buttons.size(); b++) {
            JsonNode button = buttons.get(b);
            String path = "interactive['action']['buttons'][" + b + "]";
            if (!"reply".equals(button.path("type").asText())) {
                throw invalidValue(path + "['type'] must be 'reply'");
            }
            String title = requiredText(button.path("reply"), "title", path + "['reply']['title']");
            maxLength(title, 20, path + "['reply']['title']");
            String id = requiredText(button.path("reply"), "id", path + "['reply']['id']");
            maxLength(id, 256, path + "['reply']['id']");
            if (!titles.add(title)) {
                throw invalidValue("Button title must be unique: " + abbreviate(title));
            }
            if (!ids.add(id)) {
                throw invalidValue("Button id must be unique: " + abbreviate(id));
            }
        }
    }

    private static void list(JsonNode action) {
        String button = requiredText(action, "button", "interactive['action']['button']");
        maxLength(button, 20, "interactive['action']['button']");
        JsonNode sections = action.get("sections");
        if (sections == null || !sections.isArray() || sections.isEmpty()) {
            throw missing("interactive['action']['sections']");
        }
        if (sections.size() > 10) {
            throw invalidValue("Sections count is invalid: " + sections.size() + ". Max: 10");
        }
        int rows = 0;
        Set<String> rowIds = new HashSet<>();
        for (int s = 0; s < sections.size(); s++) {
            JsonNode section = sections.get(s);
            String path = "interactive['action']['sections'][" + s + "]";
            if (sections.size() > 1) {
                requiredText(section, "title", path + "['title']");
            }
            maxLength(section, "title", 24, path + "['title']");
            JsonNode sectionRows = section.path("rows");
            if (!sectionRows.isArray() || sectionRows.isEmpty()) {
                throw missing(path + "['rows']");
            }
            for (int r = 0; r < sectionRows.size(); r++) {
                JsonNode row = sectionRows.get(r);
                String rowPath = path + "['rows'][" + r + "]";
                String id = requiredText(row, "id", rowPath + "['id']");
                maxLength(id, 200, rowPath + "['id']");
                String title = requiredText(row, "title", rowPath + "['title']");
                maxLength(title, 24, rowPath + "['title']");
                maxLength(row, "description", 72, rowPath + "['description']");
                if (!rowIds.add(id)) {
                    throw invalidValue("Row id must be unique: " + abbreviate(id));
                }
            }
            rows += sectionRows.size();
        }
        if (rows > 10) {
            throw invalidValue("Total row count is invalid: " + rows + ". Max: 10");
        }
    }

    private static void ctaUrl(JsonNode action) {
        if (!"cta_url".equals(action.path("name").asText())) {
            throw invalidValue("interactive['action']['name'] must be 'cta_url'");
        }
        JsonNode params = action.path("parameters");
        String text = requiredText(params, "display_text", "interactive['action']['parameters']['display_text']");
        maxLength(text, 20, "interactive['action']['parameters']['display_text']");
        String url = requiredText(params, "url", "interactive['action']['parameters']['url']");
        httpUrl(url, "interactive['action']['parameters']['url']");
    }

    private static void httpUrl(String value, String path) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
                return;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below like any other non-http(s) value
        }
        throw invalidValue(path + " must be an http(s) URL");
    }

    private static String requiredText(JsonNode parent, String field, String path) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (isBlank(v)) {
            throw missing(path);
        }
        if (!v.isValueNode()) {
            throw invalidValue(path + " must be a string");
        }
        return v.asText();
    }

    private static void maxLength(JsonNode parent, String field, int max, String path) {
        JsonNode v = parent.get(field);
        if (v != null && !v.isNull()) {
            maxLength(v.asText(), max, path);
        }
    }

    private static void maxLength(String value, int max, String path) {
        // Meta counts characters, not UTF-16 units: an emoji is one.
        if (value.codePointCount(0, value.length()) > max) {
            throw invalidParameter("Param " + path + " must be at most " + max + " characters long.");
        }
    }

    private static boolean isBlank(JsonNode v) {
        return v == null || v.isNull() || (v.isValueNode() && v.asText().isEmpty());
    }

    /** Values are echoed into errors, so keep them short. */
    private static String abbreviate(String s) {
        return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "…'";
    }

    private static Invalid missing(String parameter) {
        return new Invalid(GraphError.missing(parameter));
    }

    private static Invalid invalidValue(String details) {
        return new Invalid(GraphError.invalidValue(details));
    }

    private static Invalid invalidParameter(String details) {
        return new Invalid(GraphError.invalidParameter(details));
    }

    /** Unwinds validation at the first problem; stackless because it is control flow. */
    private static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient GraphError error;

        Invalid(GraphError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
