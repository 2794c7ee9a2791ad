package io.wagate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a template's components ask of a send, read once from Meta's component JSON: the header's
 * format and variables, the body's variables, and each button's type and variables.
 *
 * <p>Variables are {@code {{1}}}, {@code {{2}}}... (positional) or {@code {{first_name}}} (named);
 * each distinct variable takes one parameter. A URL button takes one parameter when its url has a
 * variable; a COPY_CODE button always takes one.
 *
 * @param header  the HEADER component, or null
 * @param body    the BODY's variables, or null when the template has no BODY
 * @param buttons the BUTTONS entries in order
 */
public record TemplateShape(Header header, List<String> body, List<Button> buttons) {
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public TemplateShape {
        body = body == null ? null : List.copyOf(body);
        buttons = List.copyOf(buttons);
    }

    /** A HEADER: TEXT (with its variables), IMAGE, VIDEO, DOCUMENT or LOCATION. */
    public record Header(String format, List<String> variables) {
        public Header {
            variables = List.copyOf(variables);
        }

        public boolean isText() {
            return format.equals("TEXT");
        }

        /** How many parameters a send must give: one per variable, one for a media or location header. */
        public int parameters() {
            return isText() ? variables.size() : 1;
        }
    }

    /** One entry of BUTTONS: its type (QUICK_REPLY, URL, COPY_CODE, PHONE_NUMBER, FLOW...) and variables. */
    public record Button(String type, List<String> variables) {
        public Button {
            variables = List.copyOf(variables);
        }

        /** Parameters a send must give: URL with a variable 1, COPY_CODE 1; -1: optional (QUICK_REPLY, FLOW). */
        public int parameters() {
            return switch (type) {
                case "URL" -> variables.isEmpty() ? 0 : 1;
                case "COPY_CODE" -> 1;
                case "QUICK_REPLY", "FLOW" -> -1;
                default -> 0;
            };
        }
    }

    /** Reads Meta's components array (a JSON string); unknown component types are ignored. */
    public static TemplateShape parse(String componentsJson) {
        JsonNode components;
        try {
            components = componentsJson == null || componentsJson.isEmpty() ? null : JSON.readTree(componentsJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("the template's components are not JSON: " + e.getMessage(), e);
        }
        Header header = null;
        List<String> body = null;
        List<Button> buttons = new ArrayList<>();
        if (components != null && components.isArray()) {
            for (JsonNode c : components) {
                switch (upper(c.path("type").asText(""))) {
                    case "HEADER" -> {
                        String format = upper(c.path("format").asText("TEXT"));
                        header = new Header(format, format.equals("TEXT") ? variables(c.path("text").asText("")) : List.of());
                    }
                    case "BODY" -> body = variables(c.path("text").asText(""));
                    case "BUTTONS" -> {
                        for (JsonNode b : c.path("buttons")) {
                            String type = upper(b.path("type").asText(""));
                            buttons.add(new Button(type, type.equals("URL") ? variables(b.path("url").asText(""))
                                    : List.of()));
                        }
                    }
                    default -> {
                        // FOOTER has no variables; other types take nothing from a send
                    }
                }
            }
        }
        return new TemplateShape(header, body, buttons);
    }

    /** The distinct variables of {@code text}, in order of first appearance. */
    public static List<String> variables(String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return List.copyOf(found);
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
