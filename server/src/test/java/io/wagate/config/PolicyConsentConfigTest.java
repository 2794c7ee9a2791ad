package io.wagate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.api.v1.ConsentState;
import io.wagate.policy.ConsentKeywords;
import org.junit.jupiter.api.Test;

/** {@code policy.consent} and {@code policy.messaging_limit} as read from YAML, good and bad. */
class PolicyConsentConfigTest {
    private final ConfigLoader loader = new ConfigLoader();
    private static final String MINIMAL = "data_dir: /tmp/w\nnumbers:\n  - alias: support\n"
            + "    phone_number_id: \"106540352242922\"\n    access_token_env: TOKEN\n";

    @Test
    void absent_givesDefaults_englishSpanishPortuguese_tier250() {
        PolicyConfig p = loader.parse(MINIMAL).policy();
        assertThat(p.consent().keywords()).containsKeys("en", "es", "pt");
        assertThat(p.consent().requireOptInForMarketing()).isFalse();
        assertThat(p.messagingLimit().limit()).isEqualTo(250);
        ConsentKeywords k = new ConsentKeywords(p.consent());
        assertThat(k.match("  stop ")).get().extracting(ConsentKeywords.Match::state).isEqualTo(ConsentState.OPTED_OUT);
        assertThat(k.match("Parar")).get().extracting(ConsentKeywords.Match::language).isEqualTo("es");
        assertThat(k.match("start")).get().extracting(ConsentKeywords.Match::state).isEqualTo(ConsentState.OPTED_IN);
        assertThat(k.match("please stop")).isEmpty();
        assertThat(k.match("")).isEmpty();
    }

    @Test
    void configuredKeywords_replaceTheDefaults_matchWithoutCaseAndAccents() {
        PolicyConfig p = loader.parse(MINIMAL + "policy:\n  consent:\n    require_opt_in_for_marketing: true\n"
                + "    keywords:\n      fr:\n        opt_out: [ARRÊT, désabonner]\n        opt_in: [Démarrer]\n")
                .policy();
        assertThat(p.consent().keywords()).containsOnlyKeys("fr");
        assertThat(p.consent().requireOptInForMarketing()).isTrue();
        ConsentKeywords k = new ConsentKeywords(p.consent());
        assertThat(k.match("arret")).get().satisfies(m -> {
            assertThat(m.state()).isEqualTo(ConsentState.OPTED_OUT);
            assertThat(m.describe()).isEqualTo("ARRÊT (fr)");
        });
        assertThat(k.match("DEMARRER")).get().extracting(ConsentKeywords.Match::state).isEqualTo(ConsentState.OPTED_IN);
        assertThat(k.match("STOP")).isEmpty();
    }

    @Test
    void duplicateKeywords_areRefused_namingTheKeywordAndBothPlaces() {
        assertError(MINIMAL + "policy:\n  consent:\n    keywords:\n      en:\n        opt_out: [STOP, Stop]\n",
                "keyword 'Stop' is duplicated: en.opt_out[1] and en.opt_out[0] ('STOP')");
        assertError(MINIMAL + "policy:\n  consent:\n    keywords:\n      en:\n        opt_out: [STOP]\n"
                + "        opt_in: [stop]\n", "keyword 'stop' is duplicated: en.opt_in[0] and en.opt_out[0] ('STOP')");
        assertError(MINIMAL + "policy:\n  consent:\n    keywords:\n      es:\n        opt_out: [BAJA]\n"
                + "      pt:\n        opt_in: [bája]\n", "keyword 'bája' is duplicated: pt.opt_in[0] and es.opt_out[0] ('BAJA')");
    }

    @Test
    void badKeywordsAndTiers_areRefused_namingTheKey() {
        assertError(MINIMAL + "policy:\n  consent:\n    keywords:\n      en:\n        opt_out: [\"  \"]\n",
                "policy.consent.keywords.en.opt_out[0] must not be empty");
        assertError(MINIMAL + "policy:\n  consent:\n    keywords:\n      en:\n        opt_ut: [STOP]\n",
                "unknown key 'policy.consent.keywords.en.opt_ut'");
        assertError(MINIMAL + "policy:\n  consent:\n    keyword: {}\n", "unknown key 'policy.consent.keyword'");
        assertError(MINIMAL + "policy:\n  messaging_limit:\n    tier: 300\n",
                "policy.messaging_limit.tier must be one of 250, 2000, 10000, 100000 or unlimited, got 300");
        assertError(MINIMAL + "policy:\n  messaging_limit:\n    tier: lots\n",
                "policy.messaging_limit.tier must be one of 250, 2000, 10000, 100000 or unlimited, got lots");
        assertError(MINIMAL + "policy:\n  messaging_limit:\n    tier: 0\n", "policy.messaging_limit.tier");
    }

    @Test
    void tiers_areMetas() {
        assertThat(loader.parse(MINIMAL + "policy:\n  messaging_limit:\n    tier: 2000\n").policy().messagingLimit()
                .limit()).isEqualTo(2000);
        assertThat(loader.parse(MINIMAL + "policy:\n  messaging_limit:\n    tier: \"100,000\"\n").policy()
                .messagingLimit().limit()).isEqualTo(100_000);
        MessagingLimitConfig u = loader.parse(MINIMAL + "policy:\n  messaging_limit:\n    tier: Unlimited\n").policy()
                .messagingLimit();
        assertThat(u.unlimited()).isTrue();
        assertThat(u.limit()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theShippedExamplesPolicyBlock_uncommented_isTheDefaults() throws Exception {
        String example = java.nio.file.Files.readString(java.nio.file.Path.of("../installer/src/dist/conf/wagate.yaml"));
        String block = example.substring(example.indexOf("# policy:")).lines()
                .map(l -> l.startsWith("# ") ? l.substring(2) : l)
                .collect(java.util.stream.Collectors.joining("\n"));
        PolicyConfig p = loader.parse(MINIMAL + block + "\n").policy();
        assertThat(p.consent().keywords()).isEqualTo(ConsentConfig.DEFAULT_KEYWORDS);
        assertThat(p.consent().requireOptInForMarketing()).isFalse();
        assertThat(p.messagingLimit().limit()).isEqualTo(250);
    }

    private void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> loader.parse(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }
}
