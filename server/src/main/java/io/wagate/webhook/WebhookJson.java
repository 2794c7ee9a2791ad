package io.wagate.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper of this package. Decimals are read as {@link java.math.BigDecimal} so that
 * {@code raw_json} keeps the digits Meta sent; trailing bytes after the document are an error
 * rather than silently ignored. Jackson's default read limits (nesting depth, number and string
 * length) bound what a hostile body can cost.
 */
final class WebhookJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectWriter ESCAPING = MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private WebhookJson() {
    }

    /** Parses a whole body; null for an empty one. */
    static JsonNode read(byte[] body) throws IOException {
        JsonNode n = MAPPER.readTree(body);
        return n == null || n.isMissingNode() ? null : n;
    }

    /**
     * Compact JSON of a node already parsed (raw_json, value_json). Text that decoded to an
     * unpaired surrogate is written escaped ({@code \ud800}), as Meta sent it, since protobuf
     * strings must be valid Unicode.
     */
    static String compact(JsonNode node) {
        try {
            String s = MAPPER.writeValueAsString(node);
            return wellFormed(s) ? s : ESCAPING.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree we parsed always writes
        }
    }

    /** No unpaired surrogate: the string survives UTF-8 (protobuf) unchanged. */
    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
