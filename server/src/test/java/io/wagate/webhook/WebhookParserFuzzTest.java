package io.wagate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wagate.api.v1.Event;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever Meta (or anyone who knows the app secret) posts, the parser either returns events or
 * throws {@link WebhookFormatException}: never another exception, which would be a 500 and a
 * retry storm. Likewise the signature check never throws, whatever the header.
 *
 * <p>A plain {@code mvn verify} replays the seed corpus in
 * {@code src/test/resources/io/wagate/webhook/WebhookParserFuzzTestInputs/<method>/} (regression
 * mode, fast). A coverage-guided campaign: see {@code docs/FUZZING.md}.
 */
class WebhookParserFuzzTest {

    private static final WebhookParser PARSER =
            new WebhookParser(NumberAliases.of(Map.of(WebhookSamples.PHONE_NUMBER_ID, "support")));
    private static final SignatureVerifier VERIFIER = new SignatureVerifier(WebhookServerTest.CREDENTIALS);

    @FuzzTest(maxDuration = "2m")
    void parse(byte[] body) {
        parsesOrRefuses(body);
    }

    @FuzzTest(maxDuration = "1m")
    void signatureHeader(FuzzedDataProvider data) throws Exception {
        String header = data.consumeString(200);
        byte[] body = data.consumeRemainingAsBytes();
        SignatureVerifier.Verification v = VERIFIER.verify(header, body);
        String normalized = header.trim().toLowerCase(Locale.ROOT);
        assertThat(v.ok()).isEqualTo(normalized.equals(WebhookServerTest.sign(WebhookServerTest.SECRET_ONE, body))
                || normalized.equals(WebhookServerTest.sign(WebhookServerTest.SECRET_TWO, body)));
        assertThat(v.ok() ? v.app() : v.failure()).isNotEmpty();
        assertThat(VERIFIER.verify(WebhookServerTest.sign(WebhookServerTest.SECRET_ONE, body), body).app()).isEqualTo("first");
    }

    /**
     * Runs in every build: the corpus mutated the way a fuzzer starts (bit flips, truncation,
     * splices of other samples, repeated and deleted ranges), with a fixed seed so a failure
     * reproduces.
     */
    @Test
    void mutatedCorpus_parsesOrRefuses() {
        Random random = new Random(20_260_601L);
        List<byte[]> corpus = WebhookSamples.ALL.stream().map(WebhookSamples::bytes).toList();
        for (int i = 0; i < 20_000; i++) {
            byte[] input = corpus.get(random.nextInt(corpus.size())).clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                input = mutate(input, corpus, random);
            }
            parsesOrRefuses(input);
        }
    }

    private static void parsesOrRefuses(byte[] body) {
        List<Event> events;
        try {
            events = PARSER.parse(body);
        } catch (WebhookFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        for (Event e : events) {
            assertThat(e.getId()).isNotEmpty();
            assertThat(e.getKind().getNumber()).isPositive();
            assertThat(parseEvent(e.toByteArray())).isEqualTo(e); // stored and read back unchanged
        }
    }

    private static Event parseEvent(byte[] bytes) {
        try {
            return Event.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] mutate(byte[] in, List<byte[]> corpus, Random r) {
        if (in.length == 0) {
            return "{}".getBytes(StandardCharsets.US_ASCII);
        }
        int at = r.nextInt(in.length);
        switch (r.nextInt(6)) {
            case 0 -> {
                byte[] out = in.clone();
                out[at] ^= (byte) (1 << r.nextInt(8));
                return out;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(in, at);
            }
            case 2 -> {
                byte[] other = corpus.get(r.nextInt(corpus.size()));
                int from = r.nextInt(other.length);
                int len = Math.min(other.length - from, 1 + r.nextInt(200));
                return splice(in, at, 0, other, from, len);
            }
            case 3 -> {
                int len = Math.min(in.length - at, 1 + r.nextInt(64));
                return splice(in, at, len, new byte[0], 0, 0);
            }
            case 4 -> {
                byte[] tokens = pick(r, "\"", "{", "}", "[", "]", ",", ":", "null", "1e999", "-0", "\"\\u0000\"",
                        "99999999999999999999", "true", "\"\"", "{\"id\":{}}", "\\uD800");
                return splice(in, at, 0, tokens, 0, tokens.length);
            }
            default -> {
                byte[] out = in.clone();
                out[at] = (byte) r.nextInt(256);
                return out;
            }
        }
    }

    private static byte[] pick(Random r, String... options) {
        return options[r.nextInt(options.length)].getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert, int from, int len) {
        byte[] out = new byte[in.length - remove + len];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(insert, from, out, at, len);
        System.arraycopy(in, at + remove, out, at + len, in.length - at - remove);
        return out;
    }
}
