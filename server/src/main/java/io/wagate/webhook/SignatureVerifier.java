package io.wagate.webhook;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Hub-Signature-256: sha256=<hex>}: HMAC-SHA256 of the exact received bytes under
 * an app secret (reference §4.3). Meta signs the body as sent, with non-ASCII escaped
 * ({@code \u00e4}), so the raw bytes are hashed and never a re-serialisation. Any configured app
 * may match; the result names which one. Digests are compared in constant time.
 *
 * <p>Thread-safe: each thread keeps its own {@link Mac} per app, keyed once.
 */
public final class SignatureVerifier {

    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int DIGEST_HEX_CHARS = 64;

    private final List<WebhookCredentials.App> apps;
    private final List<SecretKeySpec> keys;
    private final ThreadLocal<Mac[]> macs = ThreadLocal.withInitial(this::newMacs);

    public SignatureVerifier(WebhookCredentials credentials) {
        this.apps = credentials.apps();
        this.keys = apps.stream().map(a -> new SecretKeySpec(a.appSecret(), ALGORITHM)).toList();
        newMacs(); // fails at construction, not on the first request, if the JDK lacks HMAC
    }

    /** The outcome: the app whose secret matched, or why the request is refused. */
    public record Verification(String app, String failure) {
        public boolean ok() {
            return app != null;
        }

        static Verification rejected(String why) {
            return new Verification(null, why);
        }
    }

    /**
     * @param header the header's value, null when absent
     * @param body   the raw request body
     */
    public Verification verify(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            return Verification.rejected("missing " + HEADER);
        }
        byte[] given = decode(header);
        if (given == null) {
            return Verification.rejected("malformed " + HEADER + " (expected sha256=<64 hex digits>)");
        }
        String matched = null;
        Mac[] perApp = macs.get();
        for (int i = 0; i < perApp.length; i++) {
            byte[] expected = perApp[i].doFinal(body);
            if (MessageDigest.isEqual(expected, given) && matched == null) {
                matched = apps.get(i).name();
            }
        }
        return matched == null ? Verification.rejected(HEADER + " does not match any configured app")
                : new Verification(matched, null);
    }

    /** The 32 digest bytes of {@code sha256=<hex>}, or null when the header has another form. */
    static byte[] decode(String header) {
        String h = header.trim();
        if (h.length() != PREFIX.length() + DIGEST_HEX_CHARS
                || !h.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
            return null;
        }
        String hex = h.substring(PREFIX.length());
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0 || hex.charAt(i) > 'f') {
                return null;
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    private Mac[] newMacs() {
        Mac[] out = new Mac[keys.size()];
        try {
            for (int i = 0; i < out.length; i++) {
                out[i] = Mac.getInstance(ALGORITHM);
                out[i].init(keys.get(i));
            }
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
        return out;
    }
}
