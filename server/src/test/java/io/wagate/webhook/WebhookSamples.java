package io.wagate.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Real-shaped webhooks, kept once as the fuzz test's seed corpus and read by the other tests. */
final class WebhookSamples {

    static final String PHONE_NUMBER_ID = "106540352242922";
    static final String WABA_ID = "102290129340398";
    static final List<String> ALL = List.of("account_update.json", "audio_voice.json", "batch.json", "bsuid_only.json",
            "button.json", "contacts.json", "document.json", "errors.json", "image.json",
            "interactive_button_reply.json", "interactive_list_reply.json", "interactive_nfm_reply.json",
            "location.json", "non_ascii_escaped.json", "order.json", "reaction.json", "reaction_removed.json",
            "referral.json", "request_welcome.json", "statuses.json", "sticker.json", "system.json", "text.json",
            "unknown_type.json", "unsupported.json", "video.json");

    private WebhookSamples() {
    }

    static byte[] bytes(String name) {
        String resource = "WebhookParserFuzzTestInputs/parse/" + name;
        try (InputStream in = WebhookSamples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
