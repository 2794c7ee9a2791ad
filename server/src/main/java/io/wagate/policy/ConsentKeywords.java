package io.wagate.policy;

import io.wagate.api.v1.ConsentState;
import io.wagate.config.ConsentConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured opt-out and opt-in keywords ({@code policy.consent.keywords}), matched against
 * the whole text of an inbound message: trimmed, without case and accents ({@link
 * ConsentConfig#normalize}). "stop" and " Stop " match STOP; "please stop" does not.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConsentKeywords {

    /**
     * A keyword that matched.
     *
     * @param state    OPTED_OUT or OPTED_IN
     * @param keyword  the keyword as configured
     * @param language the language it is listed under
     */
    public record Match(ConsentState state, String keyword, String language) {
        /** How a consent change names it: {@code STOP (en)}. */
        public String describe() {
            return keyword + " (" + language + ")";
        }
    }

    private final Map<String, Match> byNormalForm = new HashMap<>();

    /** @param config already validated: no keyword appears twice */
    public ConsentKeywords(ConsentConfig config) {
        config.keywords().forEach((language, lists) -> {
            lists.optOut().forEach(k -> byNormalForm.put(ConsentConfig.normalize(k),
                    new Match(ConsentState.OPTED_OUT, k, language)));
            lists.optIn().forEach(k -> byNormalForm.put(ConsentConfig.normalize(k),
                    new Match(ConsentState.OPTED_IN, k, language)));
        });
    }

    /** The keyword this whole text is, if any. */
    public Optional<Match> match(String text) {
        if (text == null || text.length() > ConsentConfig.MAX_KEYWORD_LENGTH * 4) {
            return Optional.empty();
        }
        return Optional.ofNullable(byNormalForm.get(ConsentConfig.normalize(text)));
    }
}
