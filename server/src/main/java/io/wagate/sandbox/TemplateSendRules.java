package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The verdict on a template send, by the rule table the appliance's validator also follows
 * (docs/SANDBOX.md, "Template sends"): checked in order, first failure wins.
 * <ol>
 *   <li>no template of that name in the number's WABA, or not in that language: 132001;
 *   <li>status PAUSED 132015, DISABLED 132016, any other non-APPROVED 132001;
 *   <li>a send component without a counterpart in the template (header, body, button by
 *       {@code sub_type} and {@code index}), or two for one counterpart: 132000;
 *   <li>a counterpart that takes parameters (text header or body with variables, media or location
 *       header, URL button with a variable, COPY_CODE button) missing from the send, or any given
 *       component with a parameter count other than its distinct variables (QUICK_REPLY: 0 or 1): 132000;
 *   <li>NAMED templates: every header/body parameter has a {@code parameter_name} and the names
 *       are the component's variables; POSITIONAL: no {@code parameter_name}: 132012;
 *   <li>parameter types (text/currency/date_time for text; the header's media type; location;
 *       text for a URL button; payload for QUICK_REPLY; coupon_code for COPY_CODE): 132012.
 * </ol>
 * Errors are Meta's synchronous envelope (132001 with HTTP 404, the others 400) whose
 * {@code error_data.details} names the template (name and language), the component and the parameter.
 *
 * <p>Stateless and thread-safe.
 */
final class TemplateSendRules {

    private static final Set<String> TEXT_TYPES = Set.of("text", "currency", "date_time");
    private static final Map<String, String> BUTTON_SUB_TYPES = Map.of("quick_reply", "QUICK_REPLY", "url", "URL",
            "copy_code", "COPY_CODE", "phone_number", "PHONE_NUMBER", "voice_call", "PHONE_NUMBER", "flow", "FLOW",
            "otp", "OTP");

    /** One template component a send can address, and the send component that did. */
    private record Part(String label, String kind, JsonNode template) {
    }

    private TemplateSendRules() {
    }

    /** @param template the send's {@code template} object (already checked for name and language code) */
    static Optional<GraphError> verdict(TemplateCatalog catalog, String wabaId, JsonNode template) {
        String name = template.path("name").asText();
        String language = template.path("language").path("code").asText();
        String what = "template '" + name + "' (" + language + ")";
        Optional<SandboxTemplate> found = catalog.find(wabaId, name, language);
        if (found.isEmpty()) {
            return Optional.of(GraphError.of(132001, catalog.hasName(wabaId, name)
                    ? what + ": the template has no " + language + " translation"
                    : what + " does not exist"));
        }
        SandboxTemplate t = found.get();
        switch (t.status()) {
            case "APPROVED" -> {
            }
            case "PAUSED" -> {
                return Optional.of(GraphError.of(132015, what + " is paused"));
            }
            case "DISABLED" -> {
                return Optional.of(GraphError.of(132016, what + " is disabled"));
            }
            default -> {
                return Optional.of(GraphError.of(132001, what + " is " + t.status() + ", not APPROVED"));
            }
        }
        Map<String, Part> parts = parts(t);
        // 3: every send component has one counterpart, and no counterpart is addressed twice
        Map<String, JsonNode> given = new LinkedHashMap<>();
        JsonNode components = template.path("components");
        for (int i = 0; i < components.size(); i++) {
            JsonNode c = components.get(i);
            String key = keyOf(c);
            String label = key != null ? key : "components[" + i + "]";
            if (key == null || !parts.containsKey(key)) {
                return Optional.of(GraphError.of(132000, what + ": " + describe(c, label)
                        + " has no counterpart in the template"));
            }
            if (given.put(key, c) != null) {
                return Optional.of(GraphError.of(132000, what + ": " + key + " is given twice"));
            }
        }
        // 4: counts
        for (Map.Entry<String, Part> e : parts.entrySet()) {
            Part p = e.getValue();
            int expected = expectedCount(t, p);
            JsonNode c = given.get(e.getKey());
            if (c == null) {
                if (expected > 0) {
                    return Optional.of(GraphError.of(132000, what + ": " + p.label() + " expects " + expected
                            + " parameter" + (expected == 1 ? "" : "s") + " and the send has no " + p.label()));
                }
                continue;
            }
            int count = c.path("parameters").size();
            boolean ok = p.kind().equals("QUICK_REPLY") ? count <= 1 : count == expected;
            if (!ok) {
                return Optional.of(GraphError.of(132000, what + ": " + p.label() + " expects "
                        + (p.kind().equals("QUICK_REPLY") ? "0 or 1 parameters" : expected + " parameter"
                        + (expected == 1 ? "" : "s")) + ", got " + count));
            }
        }
        // 5: named or positional
        boolean named = t.parameterFormat().equals("NAMED");
        for (Map.Entry<String, JsonNode> e : given.entrySet()) {
            Part p = parts.get(e.getKey());
            if (!p.kind().equals("BODY") && !p.kind().equals("HEADER_TEXT")) {
                continue;
            }
            Set<String> variables = TemplateDefinition.distinct(TemplateDefinition.variablesOf(p.template().path("text").asText()));
            Set<String> names = new HashSet<>();
            JsonNode params = e.getValue().path("parameters");
            for (int i = 0; i < params.size(); i++) {
                JsonNode pn = params.get(i).get("parameter_name");
                String param = p.label() + " parameter " + (i + 1);
                if (!named && pn != null) {
                    return Optional.of(GraphError.of(132012, what + ": " + param + " has parameter_name '"
                            + pn.asText() + "' but the template is POSITIONAL"));
                }
                if (named) {
                    if (pn == null || !pn.isTextual() || pn.asText().isEmpty()) {
                        return Optional.of(GraphError.of(132012, what + ": " + param + " needs a parameter_name: the"
                                + " template is NAMED (" + String.join(", ", variables) + ")"));
                    }
                    if (!variables.contains(pn.asText())) {
                        return Optional.of(GraphError.of(132012, what + ": " + p.label() + " parameter '"
                                + pn.asText() + "' is not a variable of the template (" + String.join(", ", variables)
                                + ")"));
                    }
                    names.add(pn.asText());
                }
            }
            if (named && !names.equals(variables)) {
                Set<String> missing = new java.util.TreeSet<>(variables);
                missing.removeAll(names);
                return Optional.of(GraphError.of(132012, what + ": " + p.label() + " lacks parameter '"
                        + String.join("', '", missing) + "' (a name is given twice)"));
            }
        }
        // 6: types
        for (Map.Entry<String, JsonNode> e : given.entrySet()) {
            Part p = parts.get(e.getKey());
            Set<String> allowed = allowedTypes(p);
            JsonNode params = e.getValue().path("parameters");
            for (int i = 0; i < params.size(); i++) {
                String type = params.get(i).path("type").asText().toLowerCase(Locale.ROOT);
                if (!allowed.contains(type)) {
                    String param = named && params.get(i).hasNonNull("parameter_name")
                            ? "'" + params.get(i).get("parameter_name").asText() + "'" : Integer.toString(i + 1);
                    return Optional.of(GraphError.of(132012, what + ": " + p.label() + " parameter " + param
                            + " is of type '" + type + "', expected " + String.join(" or ", new java.util.TreeSet<>(allowed))));
                }
            }
        }
        return Optional.empty();
    }

    /** The addressable components of {@code t}: {@code header}, {@code body}, {@code button[i]}. */
    private static Map<String, Part> parts(SandboxTemplate t) {
        Map<String, Part> parts = new LinkedHashMap<>();
        JsonNode header = t.component("HEADER");
        if (header != null) {
            String format = header.path("format").asText();
            parts.put("header", new Part("header", format.equals("TEXT") ? "HEADER_TEXT" : "HEADER_" + format, header));
        }
        JsonNode body = t.component("BODY");
        if (body != null) {
            parts.put("body", new Part("body", "BODY", body));
        }
        JsonNode buttons = t.buttons();
        for (int i = 0; i < buttons.size(); i++) {
            JsonNode b = buttons.get(i);
            String label = "button[" + i + "]";
            parts.put(label + ":" + b.path("type").asText(), new Part(label, b.path("type").asText(), b));
        }
        return parts;
    }

    /** {@code header}, {@code body}, {@code button[i]:TYPE}; null for anything else. */
    private static String keyOf(JsonNode c) {
        String type = c.path("type").asText().toLowerCase(Locale.ROOT);
        switch (type) {
            case "header", "body" -> {
                return type;
            }
            case "button" -> {
                String sub = BUTTON_SUB_TYPES.get(c.path("sub_type").asText().toLowerCase(Locale.ROOT));
                String index = c.path("index").asText();
                if (sub == null || !index.matches("[0-9]{1,2}")) {
                    return null;
                }
                return "button[" + Integer.parseInt(index) + "]:" + sub;
            }
            default -> {
                return null;
            }
        }
    }

    private static String describe(JsonNode c, String label) {
        String type = c.path("type").asText();
        if (type.equalsIgnoreCase("button")) {
            return "button " + c.path("sub_type").asText() + " at index " + c.path("index").asText();
        }
        return label.startsWith("components[") ? label + " (" + type + ")" : label;
    }

    /** How many parameters the send must give this component. */
    private static int expectedCount(SandboxTemplate t, Part p) {
        return switch (p.kind()) {
            case "HEADER_TEXT", "BODY" -> TemplateDefinition.distinct(
                    TemplateDefinition.variablesOf(p.template().path("text").asText())).size();
            case "HEADER_IMAGE", "HEADER_VIDEO", "HEADER_DOCUMENT", "HEADER_LOCATION", "COPY_CODE" -> 1;
            case "URL" -> TemplateDefinition.variablesOf(p.template().path("url").asText()).isEmpty() ? 0 : 1;
            default -> 0; // QUICK_REPLY (0 or 1, checked apart), PHONE_NUMBER, OTP, FLOW
        };
    }

    private static Set<String> allowedTypes(Part p) {
        return switch (p.kind()) {
            case "HEADER_TEXT", "BODY" -> TEXT_TYPES;
            case "HEADER_IMAGE" -> Set.of("image");
            case "HEADER_VIDEO" -> Set.of("video");
            case "HEADER_DOCUMENT" -> Set.of("document");
            case "HEADER_LOCATION" -> Set.of("location");
            case "URL" -> Set.of("text");
            case "QUICK_REPLY" -> Set.of("payload");
            case "COPY_CODE" -> Set.of("coupon_code");
            default -> Set.of("text", "payload");
        };
    }
}
