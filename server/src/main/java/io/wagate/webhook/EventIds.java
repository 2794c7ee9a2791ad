package io.wagate.webhook;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * Stable event ids, so that Meta's redeliveries of the same notification (for up to 7 days, to
 * every subscribed app, batched differently) dedupe in the event log:
 * <ul>
 *   <li>inbound message: {@code in:<wamid>};
 *   <li>status: {@code st:<wamid>:<status>}, Meta's own dedupe key;
 *   <li>error in {@code value.errors}: {@code err:<phone_number_id>:<hex sha256 of the error
 *       object's canonical bytes>};
 *   <li>any other field: {@code acct:<field>:<hex sha256 of entry id, NUL, field, NUL, the value's
 *       canonical bytes>}.
 * </ul>
 * Canonical bytes are the compact UTF-8 JSON with object keys sorted by code point at every
 * level, so the hash does not depend on key order or whitespace. Two identical errors for one
 * number (Meta gives them no id) are one event.
 *
 * <p>Stateless; safe from any thread.
 */
final class EventIds {

    private EventIds() {
    }

    static String inbound(String wamid) {
        return "in:" + wamid;
    }

    static String status(String wamid, String status) {
        return "st:" + wamid + ":" + status;
    }

    static String webhookError(String phoneNumberId, JsonNode error) {
        return "err:" + phoneNumberId + ":" + sha256Hex(canonical(error));
    }

    static String accountUpdate(String wabaId, String field, JsonNode value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(wabaId.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        b.writeBytes(field.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        b.writeBytes(canonical(value));
        return "acct:" + field + ":" + sha256Hex(b.toByteArray());
    }

    /** An item kept raw: by its content, so a redelivery (wherever in a batch) is the same event. */
    static String unparsed(String phoneNumberId, JsonNode item) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(phoneNumberId.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        b.writeBytes(canonical(item));
        return "raw:" + sha256Hex(b.toByteArray());
    }

    static byte[] canonical(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = WebhookJson.MAPPER.getFactory().createGenerator(out)) {
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        if (n.isObject()) {
            List<String> names = new ArrayList<>(n.size());
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            g.writeStartObject();
            for (String name : names) {
                g.writeFieldName(name);
                write(g, n.get(name));
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode e : n) {
                write(g, e);
            }
            g.writeEndArray();
        } else {
            g.writeTree(n);
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
