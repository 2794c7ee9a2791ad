package io.wagate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** numbers[].waba_id and policy.templates in YAML. */
class TemplatesConfigTest {
    private final ConfigLoader loader = new ConfigLoader();
    private static final String NUMBER = "data_dir: /tmp/w\nnumbers:\n  - alias: support\n"
            + "    phone_number_id: \"106540352242922\"\n    access_token_env: TOKEN\n";

    @Test
    void wabaIdAndSyncInterval_parsed() {
        ApplianceConfig c = loader.parse(NUMBER + "    waba_id: \"109000000000001\"\n"
                + "policy:\n  templates:\n    sync_interval: 15m\n");
        assertThat(c.numbers().get(0).wabaId()).isEqualTo("109000000000001");
        assertThat(c.policy().templates().syncInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.policy().enabled()).isTrue();
    }

    @Test
    void defaults_noWabaIdAndHourlySync() {
        ApplianceConfig c = loader.parse(NUMBER);
        assertThat(c.numbers().get(0).wabaId()).isNull();
        assertThat(c.policy().templates().syncInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void badValues_nameTheKey() {
        assertThatThrownBy(() -> loader.parse(NUMBER + "    waba_id: \"waba-1\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("numbers[support].waba_id");
        assertThatThrownBy(() -> loader.parse(NUMBER + "policy:\n  templates:\n    sync_interval: 10s\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("policy.templates.sync_interval");
        assertThatThrownBy(() -> loader.parse(NUMBER + "policy:\n  templates:\n    every: 1h\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("every");
    }
}
