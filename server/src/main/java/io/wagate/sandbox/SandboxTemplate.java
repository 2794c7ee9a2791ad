package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * One message template of one WABA in one language, as Meta returns it from
 * {@code GET /{waba-id}/message_templates} (reference §6). Immutable; the components are a copy.
 *
 * <pre>{@code
 * SandboxTemplate t = SandboxTemplate.fromJson("""
 *     {"name":"order_update","language":"en_US","category":"UTILITY",
 *      "components":[{"type":"BODY","text":"Order {{1}} is {{2}}."}]}""");   // APPROVED, default WABA
 * }</pre>
 *
 * @param id Meta's template id ({@code hsm_id}); null for one the catalogue numbers when it is added
 * @param wabaId the WhatsApp Business Account that owns it
 * @param name lowercase letters, digits and underscores, at most 512
 * @param language a locale such as {@code en_US} or {@code es}
 * @param status one of {@link #STATUSES}
 * @param category MARKETING, UTILITY or AUTHENTICATION
 * @param parameterFormat POSITIONAL or NAMED
 * @param components the components as Meta's JSON (HEADER, BODY, FOOTER, BUTTONS), types upper case
 */
public record SandboxTemplate(String id, String wabaId, String name, String language, String status, String category,
                              String parameterFormat, JsonNode components) {

    /** Template statuses (reference §6). Only APPROVED can be sent. */
    public static final Set<String> STATUSES = Set.of("APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED",
            "IN_APPEAL", "PENDING_DELETION", "DELETED", "LIMIT_EXCEEDED", "ARCHIVED");
    public static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
    public static final Set<String> PARAMETER_FORMATS = Set.of("POSITIONAL", "NAMED");
    private static final ObjectMapper JSON = new ObjectMapper();

    public SandboxTemplate {
        Objects.requireNonNull(wabaId, "template waba_id must be set");
        Objects.requireNonNull(name, "template name must be set");
        Objects.requireNonNull(language, "template language must be set");
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("template " + name + " (" + language + "): status must be one of "
                    + new java.util.TreeSet<>(STATUSES) + ", got " + status);
        }
        if (!CATEGORIES.contains(category)) {
            throw new IllegalArgumentException("template " + name + " (" + language + "): category must be MARKETING,"
                    + " UTILITY or AUTHENTICATION, got " + category);
        }
        if (!PARAMETER_FORMATS.contains(parameterFormat)) {
            throw new IllegalArgumentException("template " + name + " (" + language + "): parameter_format must be"
                    + " POSITIONAL or NAMED, got " + parameterFormat);
        }
        Objects.requireNonNull(components, "template components must be set");
        if (!components.isArray()) {
            throw new IllegalArgumentException("template " + name + " (" + language + "): components must be an array");
        }
        components = components.deepCopy();
    }

    /**
     * A template from Meta's create payload ({@code name}, {@code language}, {@code category},
     * {@code parameter_format}, {@code components}) plus optional {@code status} (APPROVED when
     * absent), {@code id} and {@code waba_id} ({@link SandboxOptions#DEFAULT_WABA_ID} when absent).
     * The components are checked when the template is added to an emulator.
     *
     * @throws IllegalArgumentException if the JSON cannot be read or a field has the wrong type
     */
    public static SandboxTemplate fromJson(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("template is not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("template must be a JSON object");
        }
        return fromJson(n);
    }

    /** As {@link #fromJson(String)}, from a parsed object. */
    public static SandboxTemplate fromJson(JsonNode n) {
        String name = text(n, "name", null);
        if (name == null) {
            throw new IllegalArgumentException("template name must be set");
        }
        String language = text(n, "language", null);
        if (language == null) {
            throw new IllegalArgumentException("template " + name + ": language must be set");
        }
        JsonNode components = n.get("components");
        return new SandboxTemplate(text(n, "id", null), text(n, "waba_id", SandboxOptions.DEFAULT_WABA_ID), name,
                language, upper(text(n, "status", "APPROVED")), upper(text(n, "category", null)),
                upper(text(n, "parameter_format", "POSITIONAL")),
                components == null ? JsonNodeFactory.instance.arrayNode() : components);
    }

    public SandboxTemplate withId(String newId) {
        return new SandboxTemplate(newId, wabaId, name, language, status, category, parameterFormat, components);
    }

    public SandboxTemplate withWabaId(String newWabaId) {
        return new SandboxTemplate(id, newWabaId, name, language, status, category, parameterFormat, components);
    }

    public SandboxTemplate withStatus(String newStatus) {
        return new SandboxTemplate(id, wabaId, name, language, newStatus, category, parameterFormat, components);
    }

    public SandboxTemplate withCategory(String newCategory) {
        return new SandboxTemplate(id, wabaId, name, language, status, newCategory, parameterFormat, components);
    }

    public SandboxTemplate withComponents(JsonNode newComponents) {
        return new SandboxTemplate(id, wabaId, name, language, status, category, parameterFormat, newComponents);
    }

    /** The component of {@code type} (HEADER, BODY, FOOTER, BUTTONS), or null. */
    JsonNode component(String type) {
        for (JsonNode c : components) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    /** The buttons of the BUTTONS component, in order (empty when there is none). */
    ArrayNode buttons() {
        JsonNode b = component("BUTTONS");
        return b != null && b.path("buttons").isArray() ? (ArrayNode) b.get("buttons") : JsonNodeFactory.instance.arrayNode();
    }

    /** Meta's JSON of the template: {@code name, parameter_format, components, language, status, category, id}. */
    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("parameter_format", parameterFormat);
        o.set("components", components.deepCopy());
        o.put("language", language);
        o.put("status", status);
        o.put("category", category);
        o.put("id", id);
        return o;
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("template " + field + " must be a string");
        }
        return v.asText();
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(java.util.Locale.ROOT);
    }
}
