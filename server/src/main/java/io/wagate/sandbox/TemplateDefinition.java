package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a template as Meta does on {@code POST /{waba-id}/message_templates} and on an edit
 * (reference §6): name, category, language, parameter format and components (BODY required, at
 * most one of each type, header formats, footer without variables, buttons, well-formed variables,
 * named variables unique). A failure is Graph code 100 with {@code error_data.details} naming the
 * field ({@link Invalid}).
 *
 * <p>Stateless and thread-safe.
 */
final class TemplateDefinition {

    static final int MAX_NAME = 512;
    static final int MAX_BODY = 1024;
    static final int MAX_HEADER_TEXT = 60;
    static final int MAX_FOOTER = 60;
    static final int MAX_BUTTONS = 10;
    /** Anything between double braces; what is inside is checked separately. */
    private static final Pattern BRACES = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern POSITIONAL = Pattern.compile("[1-9][0-9]{0,2}");
    private static final Pattern NAMED = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2}|_[A-Za-z]{4})?");
    private static final Set<String> CREATE_FIELDS = Set.of("name", "category", "language", "parameter_format",
            "components", "message_send_ttl_seconds", "sub_category");
    private static final Set<String> HEADER_FORMATS = Set.of("TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION");
    private static final Set<String> BUTTON_TYPES = Set.of("QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP",
            "FLOW");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A template Meta would refuse; the error is the answer. Stackless: it is control flow. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient GraphError error;

        Invalid(String details) {
            this(GraphError.invalidParameter(details));
        }

        Invalid(GraphError error) {
            super(error.details(), null, false, false);
            this.error = error;
        }

        GraphError error() {
            return error;
        }
    }

    private TemplateDefinition() {
    }

    /**
     * A new template of {@code wabaId} from Meta's create payload (status and id left for the catalogue).
     *
     * @throws Invalid naming what is wrong
     */
    static SandboxTemplate fromCreate(JsonNode body, String wabaId) {
        if (body == null || !body.isObject()) {
            throw new Invalid("The request body must be a JSON object with name, category, language and components.");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!CREATE_FIELDS.contains(f)) {
                throw new Invalid("Param " + abbreviate(f) + " is not a message template field (known: "
                        + String.join(", ", new java.util.TreeSet<>(CREATE_FIELDS)) + ").");
            }
        }
        String name = requiredText(body, "name");
        String category = requiredText(body, "category").toUpperCase(Locale.ROOT);
        String language = requiredText(body, "language");
        String format = body.hasNonNull("parameter_format")
                ? requiredText(body, "parameter_format").toUpperCase(Locale.ROOT) : "POSITIONAL";
        checkHead(name, category, language, format);
        return new SandboxTemplate(null, wabaId, name, language, "PENDING", category, format,
                components(body.get("components"), format));
    }

    /**
     * The same template checked as if created: used for seeds, so they follow the rules the
     * endpoints do.
     *
     * @throws Invalid naming what is wrong
     */
    static SandboxTemplate check(SandboxTemplate t) {
        checkHead(t.name(), t.category(), t.language(), t.parameterFormat());
        return t.withComponents(components(t.components(), t.parameterFormat()));
    }

    private static void checkHead(String name, String category, String language, String format) {
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw new Invalid("Param name must be at most " + MAX_NAME + " lowercase letters, digits and underscores,"
                    + " got " + abbreviate(name) + ".");
        }
        if (!SandboxTemplate.CATEGORIES.contains(category)) {
            throw new Invalid("Param category must be MARKETING, UTILITY or AUTHENTICATION, got " + abbreviate(category)
                    + ".");
        }
        if (!LANGUAGE.matcher(language).matches()) {
            throw new Invalid("Param language must be a language code such as en_US or es, got " + abbreviate(language)
                    + ".");
        }
        if (!SandboxTemplate.PARAMETER_FORMATS.contains(format)) {
            throw new Invalid("Param parameter_format must be POSITIONAL or NAMED, got " + abbreviate(format) + ".");
        }
    }

    /**
     * Checks and normalises components (types and formats upper case).
     *
     * @throws Invalid naming the component and field
     */
    static ArrayNode components(JsonNode components, String format) {
        if (components == null || components.isNull()) {
            throw new Invalid("The parameter components is required.");
        }
        if (!components.isArray() || components.isEmpty()) {
            throw new Invalid("Param components must be a non-empty array.");
        }
        ArrayNode out = NODES.arrayNode();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < components.size(); i++) {
            JsonNode c = components.get(i);
            String path = "components[" + i + "]";
            if (!c.isObject()) {
                throw new Invalid("Param " + path + " must be an object.");
            }
            String type = requiredText(c, "type", path + ".type").toUpperCase(Locale.ROOT);
            if (!seen.add(type)) {
                throw new Invalid("Param " + path + ": a template has at most one " + type + " component.");
            }
            ObjectNode n = ((ObjectNode) c).deepCopy();
            n.put("type", type);
            switch (type) {
                case "HEADER" -> header(n, path, format);
                case "BODY" -> {
                    String text = requiredText(n, "text", path + ".text");
                    maxLength(text, MAX_BODY, path + ".text");
                    variables(text, format, path + ".text");
                }
                case "FOOTER" -> {
                    String text = requiredText(n, "text", path + ".text");
                    maxLength(text, MAX_FOOTER, path + ".text");
                    if (BRACES.matcher(text).find() || text.contains("{{")) {
                        throw new Invalid("Param " + path + ".text: a FOOTER cannot have variables.");
                    }
                }
                case "BUTTONS" -> buttons(n, path, format);
                default -> throw new Invalid("Param " + path + ".type must be HEADER, BODY, FOOTER or BUTTONS, got "
                        + abbreviate(type) + ".");
            }
            out.add(n);
        }
        if (!seen.contains("BODY")) {
            throw new Invalid("Param components must contain a BODY component.");
        }
        return out;
    }

    private static void header(ObjectNode n, String path, String format) {
        String f = requiredText(n, "format", path + ".format").toUpperCase(Locale.ROOT);
        if (!HEADER_FORMATS.contains(f)) {
            throw new Invalid("Param " + path + ".format must be TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION, got "
                    + abbreviate(f) + ".");
        }
        n.put("format", f);
        if (f.equals("TEXT")) {
            String text = requiredText(n, "text", path + ".text");
            maxLength(text, MAX_HEADER_TEXT, path + ".text");
            if (distinct(variables(text, format, path + ".text")).size() > 1) {
                throw new Invalid("Param " + path + ".text: a TEXT header has at most one variable.");
            }
        } else if (n.has("text")) {
            throw new Invalid("Param " + path + ".text is only for TEXT headers, not " + f + ".");
        }
    }

    private static void buttons(ObjectNode n, String path, String format) {
        JsonNode buttons = n.get("buttons");
        if (buttons == null || !buttons.isArray() || buttons.isEmpty() || buttons.size() > MAX_BUTTONS) {
            throw new Invalid("Param " + path + ".buttons must be an array of 1 to " + MAX_BUTTONS + " buttons.");
        }
        for (int b = 0; b < buttons.size(); b++) {
            String bp = path + ".buttons[" + b + "]";
            if (!buttons.get(b).isObject()) {
                throw new Invalid("Param " + bp + " must be an object.");
            }
            ObjectNode button = (ObjectNode) buttons.get(b);
            String type = requiredText(button, "type", bp + ".type").toUpperCase(Locale.ROOT);
            if (!BUTTON_TYPES.contains(type)) {
                throw new Invalid("Param " + bp + ".type must be one of " + new java.util.TreeSet<>(BUTTON_TYPES)
                        + ", got " + abbreviate(type) + ".");
            }
            button.put("type", type);
            switch (type) {
                case "QUICK_REPLY" -> maxLength(requiredText(button, "text", bp + ".text"), 25, bp + ".text");
                case "URL" -> {
                    maxLength(requiredText(button, "text", bp + ".text"), 25, bp + ".text");
                    String url = requiredText(button, "url", bp + ".url");
                    if (!url.startsWith("https://") && !url.startsWith("http://")) {
                        throw new Invalid("Param " + bp + ".url must be an http(s) URL.");
                    }
                    List<String> vars = variables(url, "ANY", bp + ".url");
                    if (vars.size() > 1 || (vars.size() == 1 && !url.endsWith("}}"))) {
                        throw new Invalid("Param " + bp + ".url may have one variable, at its end.");
                    }
                }
                case "PHONE_NUMBER" -> {
                    maxLength(requiredText(button, "text", bp + ".text"), 25, bp + ".text");
                    requiredText(button, "phone_number", bp + ".phone_number");
                }
                case "COPY_CODE" -> requiredText(button, "example", bp + ".example");
                default -> {
                    // OTP and FLOW: Meta checks more; the sandbox only needs their type
                }
            }
        }
    }

    /**
     * The variables of {@code text} in order of appearance (repeats included), checked against
     * {@code format} (POSITIONAL, NAMED, or ANY for a URL button).
     *
     * @throws Invalid for a malformed variable, one of the other format, or a repeated named one
     */
    static List<String> variables(String text, String format, String path) {
        List<String> out = new ArrayList<>();
        Matcher m = BRACES.matcher(text);
        int end = 0;
        while (m.find()) {
            if (text.substring(end, m.start()).contains("}}")) {
                throw new Invalid("Param " + path + " has an unbalanced '}}'.");
            }
            String v = m.group(1);
            boolean positional = POSITIONAL.matcher(v).matches();
            boolean named = NAMED.matcher(v).matches();
            if (!positional && !named) {
                throw new Invalid("Param " + path + " has a malformed variable {{" + abbreviate(v) + "}}: use {{1}},"
                        + " {{2}}... or a name of lowercase letters, digits and underscores.");
            }
            if (format.equals("POSITIONAL") && !positional) {
                throw new Invalid("Param " + path + " has the named variable {{" + v + "}} in a POSITIONAL template.");
            }
            if (format.equals("NAMED") && !named) {
                throw new Invalid("Param " + path + " has the positional variable {{" + v + "}} in a NAMED template.");
            }
            if (format.equals("NAMED") && out.contains(v)) {
                throw new Invalid("Param " + path + " repeats the named variable {{" + v + "}}: names must be unique.");
            }
            out.add(v);
            end = m.end();
        }
        String rest = text.substring(end);
        if (rest.contains("{{") || rest.contains("}}")) {
            throw new Invalid("Param " + path + " has an unbalanced '{{' or '}}'.");
        }
        if (format.equals("POSITIONAL")) {
            Set<String> d = distinct(out);
            for (int i = 1; i <= d.size(); i++) {
                if (!d.contains(Integer.toString(i))) {
                    throw new Invalid("Param " + path + ": positional variables must be numbered {{1}} to {{" + d.size()
                            + "}} without gaps.");
                }
            }
        }
        return out;
    }

    /** Variables of text already known to be well formed (in the catalogue). */
    static List<String> variablesOf(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = BRACES.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static Set<String> distinct(List<String> vars) {
        return new LinkedHashSet<>(vars);
    }

    private static String requiredText(JsonNode parent, String field) {
        return requiredText(parent, field, field);
    }

    private static String requiredText(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            throw new Invalid("The parameter " + path + " is required.");
        }
        if (!v.isTextual()) {
            throw new Invalid("Param " + path + " must be a string.");
        }
        return v.asText();
    }

    private static void maxLength(String value, int max, String path) {
        if (value.codePointCount(0, value.length()) > max) {
            throw new Invalid("Param " + path + " must be at most " + max + " characters long.");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "…'";
    }
}
