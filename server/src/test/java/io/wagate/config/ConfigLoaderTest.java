package io.wagate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();
    private static final String MINIMAL = "data_dir: /tmp/w\nnumbers:\n  - alias: support\n"
            + "    phone_number_id: \"106540352242922\"\n    access_token_env: TOKEN\n";

    @Test
    void theShippedExampleConfig_isValid() {
        ApplianceConfig c = loader.load(Path.of("../installer/src/dist/conf/wagate.yaml"));
        assertThat(c.mode()).isEqualTo(ApplianceConfig.Mode.PRODUCTION);
        assertThat(c.grpc().port()).isEqualTo(7400);
        assertThat(c.outbox().idempotencyWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(c.outbox().maxValidity()).isEqualTo(Duration.ofDays(30));
        assertThat(c.findNumber("support")).isPresent();
        assertThat(c.findNumber("106540352242922")).isPresent();
        assertThat(c.numbers().get(0).throughput()).isEqualTo(80);
        assertThat(c.dispatch().reconciliationWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(loader.parse(MINIMAL + "dispatch:\n  retry_overrides:\n    \"131048\": transient\n")
                .dispatch().retryOverride(131048)).contains(io.wagate.cloudapi.RetryClass.TRANSIENT);
    }

    @Test
    void minimalConfig_getsDefaults() {
        ApplianceConfig c = loader.parse(MINIMAL);
        assertThat(c.dispatch().maxInFlight()).isEqualTo(DispatchConfig.DEFAULT_MAX_IN_FLIGHT);
        assertThat(c.cloudApi().baseUrl()).isEqualTo(CloudApiConfig.DEFAULT_BASE_URL);
        assertThat(c.databaseDir()).isEqualTo(Path.of("/tmp/w/db"));
    }

    @Test
    void errors_nameTheKey() {
        assertError(MINIMAL + "grpc:\n  prot: 1\n", "unknown key 'grpc.prot'");
        assertError(MINIMAL + "dispatch:\n  max_in_flight: -1\n", "dispatch.max_in_flight must be 1..65536, got -1");
        assertError(MINIMAL + "outbox:\n  idempotency_window: soon\n", "outbox.idempotency_window");
        assertError(MINIMAL + "outbox:\n  default_validity: 31d\n", "outbox.default_validity must be > 0 and at most");
        assertError(MINIMAL + "grpc:\n  listen_address: 0.0.0.0\n", "grpc.listen_address is not a loopback address, so TLS is required");
        assertError(MINIMAL + "cloud_api:\n  base_url: http://graph.facebook.com\n", "cloud_api.base_url must be https");
        assertError(MINIMAL + "cloud_api:\n  api_version: 25\n", "cloud_api.api_version must look like v25.0");
        assertError("numbers: []\ndata_dir: /x\n", "numbers must list at least one phone number");
        assertError("numbers:\n  - phone_number_id: abc\ndata_dir: /x\n", "numbers[].phone_number_id must be Meta's numeric");
        assertError("numbers:\n  - phone_number_id: \"1\"\n", "data_dir is required");
        assertError("data_dir: \"unterminated\nnumbers: []\n", "not valid YAML");
        assertError("data_dir: [1, 2]\n", "data_dir: Cannot deserialize");
        assertError("", "the config is empty");
        assertError(MINIMAL + "  - alias: support\n    phone_number_id: \"2\"\n", "numbers[1].alias must be unique");
        assertError(MINIMAL + "    throughput: 1001\n", "numbers[support].throughput must be between 1 and 1000 msg/s, got 1001");
        assertError(MINIMAL + "    throughput: 0\n", "numbers[support].throughput must be between 1 and 1000 msg/s, got 0");
        assertError(MINIMAL + "dispatch:\n  reconciliation_window: -5s\n", "dispatch.reconciliation_window");
        assertError(MINIMAL + "dispatch:\n  reconciliation_window: 0s\n", "dispatch.reconciliation_window must be > 0");
        assertError(MINIMAL + "dispatch:\n  inbound_headroom_percent: 95\n", "dispatch.inbound_headroom_percent must be 0..90");
        assertError(MINIMAL + "dispatch:\n  retry_overrides:\n    \"131048\": sometimes\n",
                "dispatch.retry_overrides.131048 must be one of [transient,");
        assertError(MINIMAL + "dispatch:\n  retry_overrides:\n    abc: transient\n",
                "dispatch.retry_overrides keys must be Meta error codes, got 'abc'");
    }

    @Test
    void nonLoopback_isAllowedWithTls_orAnExplicitPlaintextOptIn() {
        ApplianceConfig c = loader.parse(MINIMAL + "grpc:\n  listen_address: 0.0.0.0\n  allow_plaintext: true\n");
        assertThat(c.grpc().allowPlaintext()).isTrue();
        ApplianceConfig tls = loader.parse(MINIMAL + "grpc:\n  listen_address: 0.0.0.0\n"
                + "  tls_cert_file: /etc/wagate/tls.crt\n  tls_key_file: /etc/wagate/tls.key\n");
        assertThat(tls.grpc().tlsEnabled()).isTrue();
        assertError(MINIMAL + "grpc:\n  tls_cert_file: /a\n", "grpc.tls_cert_file and grpc.tls_key_file must be set together");
    }

    @Test
    void missingFile_isNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> loader.load(missing)).hasMessageContaining(missing + " does not exist");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, MINIMAL + "store:\n  min_free_bytes: -5\n");
        assertThatThrownBy(() -> loader.load(bad)).hasMessageContaining(bad.toString())
                .hasMessageContaining("store.min_free_bytes must be >= 0, got -5");
    }

    @Test
    void sandboxMode_mustStayOnLoopback() {
        assertThatThrownBy(() -> new ApplianceConfig(ApplianceConfig.Mode.SANDBOX, Path.of("/x"),
                new GrpcConfig("0.0.0.0", 1, null, null, null, null, true), null,
                java.util.List.of(new NumberConfig("a", "1", null, null)), null, null, null, null))
                .hasMessageContaining("grpc.listen_address must be a loopback address in sandbox mode");
    }

    @Test
    void media_defaultsAndValues() {
        MediaConfig d = loader.parse(MINIMAL).media();
        assertThat(d.segmentBytes()).isEqualTo(65536);
        assertThat(d.quotaBytes()).isEqualTo(50L << 30);
        assertThat(d.retention().inbound()).isEqualTo(Duration.ofDays(90));
        assertThat(d.retention().outbound()).isEqualTo(Duration.ofDays(30));
        assertThat(d.sweepInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(d.keySource()).isEqualTo(MediaConfig.KeySource.NONE);
        assertThat(loader.parse(MINIMAL).mediaDir()).isEqualTo(Path.of("/tmp/w/media"));

        MediaConfig m = loader.parse(MINIMAL + "media:\n  master_key_file: /etc/wagate/master.key\n"
                + "  segment_bytes: 131072\n  quota_bytes: 1000000\n  retention:\n    inbound: 7d\n    outbound: 12h\n"
                + "  sweep_interval: 15m\n").media();
        assertThat(m.masterKeyFile()).isEqualTo(Path.of("/etc/wagate/master.key"));
        assertThat(m.keySource()).isEqualTo(MediaConfig.KeySource.KEY_FILE);
        assertThat(m.segmentBytes()).isEqualTo(131072);
        assertThat(m.quotaBytes()).isEqualTo(1_000_000L);
        assertThat(m.retention().inbound()).isEqualTo(Duration.ofDays(7));
        assertThat(m.retention().outbound()).isEqualTo(Duration.ofHours(12));
        assertThat(m.sweepInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(loader.parse(MINIMAL + "media:\n  master_key_passphrase_env: WAGATE_PASSPHRASE\n").media().keySource())
                .isEqualTo(MediaConfig.KeySource.PASSPHRASE_ENV);
        m.requireKeySource(ApplianceConfig.Mode.PRODUCTION);
        d.requireKeySource(ApplianceConfig.Mode.SANDBOX);
        assertThatThrownBy(() -> d.requireKeySource(ApplianceConfig.Mode.PRODUCTION)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("media.master_key_file (or media.master_key_passphrase_env or "
                        + "media.master_key_passphrase_file) is required in production");
    }

    @Test
    void media_errors_nameTheKey() {
        assertError(MINIMAL + "media:\n  quota_bytes: -1\n", "media.quota_bytes must be > 0, got -1");
        assertError(MINIMAL + "media:\n  segment_bytes: 100\n", "media.segment_bytes must be between 4096 and 4194304, got 100");
        assertError(MINIMAL + "media:\n  segment_bytes: 8388608\n", "media.segment_bytes must be between");
        assertError(MINIMAL + "media:\n  retention:\n    inbound: 10s\n", "media.retention.inbound must be at least 1m, got 10s");
        assertError(MINIMAL + "media:\n  retention:\n    outbound: soon\n", "media.retention.outbound");
        assertError(MINIMAL + "media:\n  sweep_interval: 0s\n", "media.sweep_interval must be between 1s and 1d, got 0s");
        assertError(MINIMAL + "media:\n  master_key_file: /k\n  master_key_passphrase_env: P\n",
                "are exclusive: set one, got 2 of them");
        assertError(MINIMAL + "media:\n  master_key_passphrase_env: \"not a name\"\n",
                "media.master_key_passphrase_env must be an environment variable name");
        assertError(MINIMAL + "media:\n  quota: 5\n", "unknown key 'media.quota'");
    }

    @Test
    void durations_parseAndFormat() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> Durations.parse("2 hours")).hasMessageContaining("use a number and a unit");
    }

    private void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> loader.parse(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }
}
