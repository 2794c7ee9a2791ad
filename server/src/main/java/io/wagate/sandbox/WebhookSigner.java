package io.wagate.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Renders webhook bodies as Meta does and signs them (reference §4.3): every non-ASCII character
 * escaped as {@code \\uXXXX} with lowercase hex (characters outside the BMP as their two
 * surrogates), and {@code X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256(app secret, body)>}
 * over exactly those bytes. A receiver that parses and re-serialises before checking fails on
 * non-ASCII text, which is why the sandbox reproduces the escaping.
 *
 * <p>Thread-safe.
 */
final class WebhookSigner {

    /** The header Meta signs with. */
    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final String HMAC = "HmacSHA256";
    private static final ObjectMapper ESCAPING = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    private WebhookSigner() {
    }

    /** The body bytes: compact JSON, ASCII only. */
    static byte[] render(JsonNode body) {
        try {
            return ESCAPING.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a webhook body", e);
        }
    }

    /** The {@code X-Hub-Signature-256} value for {@code body}: {@code sha256=} and 64 lowercase hex digits. */
    static String signature(String appSecret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), HMAC));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
