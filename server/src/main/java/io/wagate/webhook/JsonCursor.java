package io.wagate.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A JSON node with its path from the body's root ({@code entry[0].changes[1].value}), so every
 * complaint names the place that was wrong. Scalars are read leniently because Meta sends numbers
 * and booleans as strings in places ({@code "timestamp": "1749416383"}); a container where a
 * scalar belongs, or the reverse, is a {@link WebhookFormatException}.
 *
 * <p>Immutable; messages never quote values, which may be personal data.
 */
record JsonCursor(JsonNode node, String path) {
    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("-?[0-9]+");


    static JsonCursor root(JsonNode node) {
        return new JsonCursor(node, "");
    }

    /** The child {@code field}; its node is null when absent or JSON null. */
    JsonCursor field(String field) {
        JsonNode child = node.get(field);
        return new JsonCursor(child == null || child.isNull() ? null : child, path.isEmpty() ? field : path + "." + field);
    }

    boolean present() {
        return node != null;
    }

    WebhookFormatException wrong(String what) {
        return new WebhookFormatException((path.isEmpty() ? "body" : path) + ": " + what);
    }

    /** The object at {@code field}; fails when absent or not an object. */
    JsonCursor requireObject(String field) {
        JsonCursor c = field(field);
        if (!c.present()) {
            throw c.wrong("missing");
        }
        return c.asObject();
    }

    /** The object at {@code field}, if present; fails when present and not an object. */
    Optional<JsonCursor> object(String field) {
        JsonCursor c = field(field);
        return c.present() ? Optional.of(c.asObject()) : Optional.empty();
    }

    JsonCursor asObject() {
        if (!node.isObject()) {
            throw wrong("expected an object, got " + kind(node));
        }
        return this;
    }

    /** The elements of the array at {@code field}; empty when absent, fails when not an array. */
    List<JsonCursor> array(String field) {
        JsonCursor c = field(field);
        if (!c.present()) {
            return List.of();
        }
        if (!c.node.isArray()) {
            throw c.wrong("expected an array, got " + kind(c.node));
        }
        List<JsonCursor> out = new ArrayList<>(c.node.size());
        for (int i = 0; i < c.node.size(); i++) {
            out.add(new JsonCursor(c.node.get(i), c.path + "[" + i + "]"));
        }
        return out;
    }

    /** Like {@link #array} but each element must be an object. */
    List<JsonCursor> objects(String field) {
        List<JsonCursor> out = array(field);
        for (JsonCursor c : out) {
            if (c.node == null || !c.node.isObject()) {
                throw c.wrong("expected an object, got " + kind(c.node));
            }
        }
        return out;
    }

    /** A string, number or boolean as text; "" when absent. */
    String text(String field) {
        JsonCursor c = field(field);
        if (!c.present()) {
            return "";
        }
        if (!c.node.isValueNode()) {
            throw c.wrong("expected a string, got " + kind(c.node));
        }
        String s = c.node.asText();
        if (!WebhookJson.wellFormed(s)) {
            // an escaped lone surrogate (\ud800): protobuf would store it as '?'
            throw c.wrong("not valid Unicode (unpaired surrogate)");
        }
        return s;
    }

    /** Like {@link #text} but absent or empty fails with "missing". */
    String requireText(String field) {
        String s = text(field);
        if (s.isEmpty()) {
            throw field(field).wrong("missing");
        }
        return s;
    }

    /** true, false, "true" or "false"; false when absent. */
    boolean bool(String field) {
        JsonCursor c = field(field);
        if (!c.present()) {
            return false;
        }
        if (c.node.isBoolean()) {
            return c.node.booleanValue();
        }
        if (c.node.isTextual() && ("true".equals(c.node.textValue()) || "false".equals(c.node.textValue()))) {
            return Boolean.parseBoolean(c.node.textValue());
        }
        throw c.wrong("expected true or false, got " + kind(c.node));
    }

    /** An integer in int range, as a number or a string of digits; 0 when absent. */
    int integer(String field) {
        JsonCursor c = field(field);
        if (!c.present()) {
            return 0;
        }
        long v = c.longValue("an integer");
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw c.wrong("integer out of range");
        }
        return (int) v;
    }

    /** A finite decimal number, as a number or a numeric string; 0 when absent. */
    double number(String field) {
        JsonCursor c = field(field);
        if (!c.present()) {
            return 0;
        }
        double v;
        if (c.node.isNumber()) {
            v = c.node.doubleValue();
        } else if (c.node.isTextual()) {
            try {
                v = Double.parseDouble(c.node.textValue().trim());
            } catch (NumberFormatException e) {
                throw c.wrong("expected a number, got a non-numeric string");
            }
        } else {
            throw c.wrong("expected a number, got " + kind(c.node));
        }
        if (!Double.isFinite(v)) {
            throw c.wrong("expected a finite number");
        }
        return v;
    }

    /** Unix seconds (number or string of digits) as a timestamp; null when absent or empty. */
    Timestamp seconds(String field) {
        JsonCursor c = field(field);
        if (!c.present() || c.node.isTextual() && c.node.textValue().isEmpty()) {
            return null;
        }
        long s = c.longValue("unix seconds");
        // Timestamp's own range: 0001-01-01 .. 9999-12-31
        if (s < -62_135_596_800L || s > 253_402_300_799L) {
            throw c.wrong("unix seconds out of range");
        }
        return Timestamp.newBuilder().setSeconds(s).build();
    }

    private long longValue(String expected) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            String s = node.textValue().trim();
            if (!s.isEmpty() && s.length() <= 19 && INTEGER.matcher(s).matches()) {
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    // falls through to the complaint below
                }
            }
        }
        throw wrong("expected " + expected + ", got " + kind(node));
    }

    static String kind(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        return n.isNumber() ? "a number" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
