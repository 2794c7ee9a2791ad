package io.wagate.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private WebhookJson() {
    }

    /** Parses a whole body; null for an empty one. */
    static JsonNode read(byte[] body) throws IOException {
        JsonNode n = MAPPER.readTree(body);
        return n == null || n.isMissingNode() ? null : n;
    }

    /** Compact JSON of a node already parsed (raw_json, value_json). */
    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree we parsed always writes
        }
    }
}
