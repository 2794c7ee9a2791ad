package io.wagate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Vectors computed with the openssl binary, not with the code under test. */
class SignatureVerifierTest {

    private static final byte[] EMPTY_ENTRIES =
            "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
    // printf '%s' '{"object":"whatsapp_business_account","entry":[]}' | openssl dgst -sha256 -hmac 'app-secret-one'
    private static final String EMPTY_ENTRIES_ONE = "b9d243a310a3c4f330e6df0dda217ae66d995edb0ef43a785e4f238db8c62f0c";
    // printf '%s' '{"object":"whatsapp_business_account","entry":[]}' | openssl dgst -sha256 -hmac 'app-secret-two'
    private static final String EMPTY_ENTRIES_TWO = "5e0e328376412267546620d48e4199caae476dac8c5c81dbcc87a3f4958301de";
    // openssl dgst -sha256 -hmac 'app-secret-one' .../WebhookParserFuzzTestInputs/parse/non_ascii_escaped.json
    private static final String NON_ASCII_SAMPLE_ONE = "3f1423f35949822edebf8f47a58234f483c1292a9108a6aa5be3d5644fc3041a";
    // printf '%s' '{"text":"Gr\u00fc\u00dfe"}' | openssl dgst -sha256 -hmac 'app-secret-one'   (escapes as bytes)
    private static final String ESCAPED_ONE = "947cbc97afaf23b2d52af6b0ab28cec3fb86d42d311a1c94e3344d3d2c60928f";
    // printf '%s' '{"text":"Grüße"}' | openssl dgst -sha256 -hmac 'app-secret-one'   (UTF-8 bytes)
    private static final String UTF8_ONE = "bf1a481f3f128b2ab11fb787489251702587e496aa3b6969e71dc0f7331c8402";
    // printf '' | openssl dgst -sha256 -hmac 'app-secret-one'
    private static final String EMPTY_BODY_ONE = "a7adbf36f557764aebf26d5504e037e402055f834b9f515bdf5be3555f2aa525";

    private final SignatureVerifier verifier = new SignatureVerifier(WebhookCredentials.of(List.of(
            new WebhookCredentials.App("first", "app-secret-one", "token-1"),
            new WebhookCredentials.App("second", "app-secret-two", null))));

    @Test
    void validSignature_namesTheAppWhoseSecretMatched() {
        var one = verifier.verify("sha256=" + EMPTY_ENTRIES_ONE, EMPTY_ENTRIES);
        assertThat(one.ok()).isTrue();
        assertThat(one.app()).isEqualTo("first");
        var two = verifier.verify("sha256=" + EMPTY_ENTRIES_TWO, EMPTY_ENTRIES);
        assertThat(two.ok()).isTrue();
        assertThat(two.app()).isEqualTo("second");
    }

    @Test
    void escapedNonAscii_isVerifiedOverTheRawBytes() {
        byte[] escaped = "{\"text\":\"Gr\\u00fc\\u00dfe\"}".getBytes(StandardCharsets.US_ASCII);
        assertThat(verifier.verify("sha256=" + ESCAPED_ONE, escaped).ok()).isTrue();
        // the same text re-serialised as UTF-8 has another signature: never re-serialise
        assertThat(verifier.verify("sha256=" + ESCAPED_ONE, "{\"text\":\"Grüße\"}".getBytes(StandardCharsets.UTF_8)).ok())
                .isFalse();
        assertThat(verifier.verify("sha256=" + UTF8_ONE, "{\"text\":\"Grüße\"}".getBytes(StandardCharsets.UTF_8)).ok())
                .isTrue();
        assertThat(verifier.verify("sha256=" + NON_ASCII_SAMPLE_ONE, WebhookSamples.bytes("non_ascii_escaped.json")).ok())
                .isTrue();
    }

    @Test
    void emptyBody_hasASignatureToo() {
        assertThat(verifier.verify("sha256=" + EMPTY_BODY_ONE, new byte[0]).ok()).isTrue();
    }

    @Test
    void uppercaseHexAndSurroundingSpace_areAccepted() {
        assertThat(verifier.verify("  sha256=" + EMPTY_ENTRIES_ONE.toUpperCase() + " ", EMPTY_ENTRIES).ok()).isTrue();
    }

    @Test
    void oneChangedByte_isRejected() {
        byte[] tampered = EMPTY_ENTRIES.clone();
        tampered[tampered.length - 2] = ' ';
        var v = verifier.verify("sha256=" + EMPTY_ENTRIES_ONE, tampered);
        assertThat(v.ok()).isFalse();
        assertThat(v.failure()).isEqualTo("X-Hub-Signature-256 does not match any configured app");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void missingHeader_isRejected(String header) {
        assertThat(verifier.verify(header, EMPTY_ENTRIES).failure()).isEqualTo("missing X-Hub-Signature-256");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        EMPTY_ENTRIES_ONE,                                  // no prefix
        "sha1=" + EMPTY_ENTRIES_ONE,                        // legacy algorithm
        "sha256=",                                          // no digest
        "sha256=" + EMPTY_ENTRIES_ONE + "00",               // too long
        "sha256=b9d243a310a3c4f330e6df0dda217ae66d995edb0ef43a785e4f238db8c62f0",  // too short
        "sha256=g9d243a310a3c4f330e6df0dda217ae66d995edb0ef43a785e4f238db8c62f0c", // not hex
        "sha256=\u0669\u0669d243a310a3c4f330e6df0dda217ae66d995edb0ef43a785e4f238db8c62f", // non-ASCII digits
        "sha256 = b9d243a310a3c4f330e6df0dda217ae66d995edb0ef43a785e4f238db8c62f0c",
    })
    void malformedHeader_isRejected(String header) {
        var v = verifier.verify(header, EMPTY_ENTRIES);
        assertThat(v.ok()).isFalse();
        assertThat(v.failure()).isEqualTo("malformed X-Hub-Signature-256 (expected sha256=<64 hex digits>)");
    }

    @Test
    void noApps_rejectsEverything() {
        var none = new SignatureVerifier(WebhookCredentials.of(List.of()));
        assertThat(none.verify("sha256=" + EMPTY_ENTRIES_ONE, EMPTY_ENTRIES).ok()).isFalse();
    }

    @Test
    void concurrentVerification_isThreadSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                boolean first = i % 2 == 0;
                results.add(pool.submit(() -> verifier.verify(
                        "sha256=" + (first ? EMPTY_ENTRIES_ONE : EMPTY_ENTRIES_TWO), EMPTY_ENTRIES)
                        .app().equals(first ? "first" : "second")));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void verifyToken_matchesAnyAppThatHasOne() {
        var creds = WebhookCredentials.of(List.of(
                new WebhookCredentials.App("first", "s1", "token-1"),
                new WebhookCredentials.App("second", "s2", null),
                new WebhookCredentials.App("third", "s3", "token-3")));
        assertThat(creds.verifyTokenMatches("token-1")).isTrue();
        assertThat(creds.verifyTokenMatches("token-3")).isTrue();
        assertThat(creds.verifyTokenMatches("token-2")).isFalse();
        assertThat(creds.verifyTokenMatches("token-")).isFalse();
        assertThat(creds.verifyTokenMatches("")).isFalse();
        assertThat(creds.verifyTokenMatches(null)).isFalse();
        assertThat(creds.toString()).doesNotContain("s1", "token-1").contains("first");
    }
}
