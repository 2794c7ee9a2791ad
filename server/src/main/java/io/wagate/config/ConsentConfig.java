package io.wagate.config;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code policy.consent}: how users opt in and out by themselves, and what marketing needs.
 *
 * <p>An inbound text whose whole text is a keyword (trimmed, compared without case and accents)
 * records an opt-out or an opt-in. Keywords of every language apply to every user (the appliance
 * does not know a user's language), so one keyword may appear only once across all lists; a
 * configured {@code keywords} map replaces the defaults entirely.
 *
 * @param keywords                  per language code, the opt-out and opt-in keywords
 * @param requireOptInForMarketing  refuse marketing templates to users with no opt-in record
 */
public record ConsentConfig(Map<String, KeywordLists> keywords, Boolean requireOptInForMarketing) {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** Longest keyword: keywords are single words or short phrases. */
    public static final int MAX_KEYWORD_LENGTH = 40;

    /** The defaults: English, Spanish and Portuguese. */
    public static final Map<String, KeywordLists> DEFAULT_KEYWORDS = defaultKeywords();

    /**
     * One language's keywords.
     *
     * @param optOut keywords that stop marketing messages
     * @param optIn  keywords that (re)start them
     */
    public record KeywordLists(List<String> optOut, List<String> optIn) {
        public KeywordLists {
            optOut = optOut == null ? List.of() : List.copyOf(optOut);
            optIn = optIn == null ? List.of() : List.copyOf(optIn);
        }
    }

    public ConsentConfig {
        keywords = keywords == null ? DEFAULT_KEYWORDS : Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
        requireOptInForMarketing = requireOptInForMarketing != null && requireOptInForMarketing;
        validate(keywords);
    }

    public static ConsentConfig defaults() {
        return new ConsentConfig(null, null);
    }

    /** These settings with {@code require_opt_in_for_marketing} set. */
    public ConsentConfig withRequireOptInForMarketing(boolean require) {
        return new ConsentConfig(keywords, require);
    }

    /**
     * The form keywords and texts are compared in: trimmed, inner spaces single, accents removed,
     * upper case.
     */
    public static String normalize(String text) {
        String decomposed = Normalizer.normalize(text.strip(), Normalizer.Form.NFD);
        return SPACES.matcher(MARKS.matcher(decomposed).replaceAll("")).replaceAll(" ").toUpperCase(Locale.ROOT);
    }

    private static void validate(Map<String, KeywordLists> keywords) {
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, KeywordLists> lang : keywords.entrySet()) {
            String language = lang.getKey();
            ConfigException.check(language != null && !language.isBlank(), "policy.consent.keywords",
                    "language codes must not be empty", "'" + language + "'");
            ConfigException.check(lang.getValue() != null, "policy.consent.keywords." + language,
                    "must have opt_out and/or opt_in lists", "nothing");
            List<String[]> all = new ArrayList<>();
            lang.getValue().optOut().forEach(k -> all.add(new String[] {k, "opt_out"}));
            lang.getValue().optIn().forEach(k -> all.add(new String[] {k, "opt_in"}));
            int[] index = new int[2];
            for (String[] k : all) {
                int list = k[1].equals("opt_out") ? 0 : 1;
                String place = language + "." + k[1] + "[" + index[list]++ + "]";
                String key = "policy.consent.keywords." + place;
                ConfigException.check(k[0] != null && !k[0].isBlank(), key, "must not be empty",
                        "'" + k[0] + "'");
                String normal = normalize(k[0]);
                ConfigException.check(normal.length() <= MAX_KEYWORD_LENGTH, key,
                        "must be at most " + MAX_KEYWORD_LENGTH + " characters", normal.length());
                String first = seen.putIfAbsent(normal, place + " ('" + k[0] + "')");
                if (first != null) {
                    throw new ConfigException("policy.consent.keywords: keyword '" + k[0] + "' is duplicated: "
                            + place + " and " + first + " (keywords are compared without case and accents,"
                            + " and every language's keywords apply to every user)");
                }
            }
        }
    }

    private static Map<String, KeywordLists> defaultKeywords() {
        Map<String, KeywordLists> m = new LinkedHashMap<>();
        m.put("en", new KeywordLists(List.of("STOP", "UNSUBSCRIBE", "STOP ALL"), List.of("START", "SUBSCRIBE")));
        m.put("es", new KeywordLists(List.of("PARAR", "BAJA", "DETENER"), List.of("ALTA", "SUSCRIBIR")));
        m.put("pt", new KeywordLists(List.of("SAIR", "DESCADASTRAR", "CANCELAR"), List.of("VOLTAR", "CADASTRAR")));
        return Collections.unmodifiableMap(m);
    }
}
