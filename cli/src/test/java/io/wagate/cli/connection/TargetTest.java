package io.wagate.cli.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetTest {

  @Test
  void parse_hostPort() {
    Target t = Target.parse("wagate.internal:7400");
    assertThat(t.host()).isEqualTo("wagate.internal");
    assertThat(t.port()).isEqualTo(7400);
    assertThat(t.isInProcess()).isFalse();
    assertThat(t.isLoopback()).isFalse();
    assertThat(t).hasToString("wagate.internal:7400");
  }

  @Test
  void parse_bracketedIpv6() {
    Target t = Target.parse("[::1]:7400");
    assertThat(t.host()).isEqualTo("::1");
    assertThat(t.isLoopback()).isTrue();
    assertThat(t).hasToString("[::1]:7400");
  }

  @Test
  void parse_inProcess() {
    Target t = Target.parse("in-process:abc");
    assertThat(t.isInProcess()).isTrue();
    assertThat(t.inProcessName()).isEqualTo("abc");
    assertThat(t).hasToString("in-process:abc");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:7400", "127.1.2.3:1", "localhost:7400", "LOCALHOST:7400", "[::1]:1"})
  void loopback_withoutDnsLookup(String text) {
    assertThat(Target.parse(text).isLoopback()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"7400", "host", "host:", ":1", "host:0", "host:65536", "host:x", "::1:7400", "in-process:", "[]:1"})
  void parse_rejects(String text) {
    assertThatThrownBy(() -> Target.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settings_validateCombinations() {
    Target t = Target.parse("10.0.0.5:7400");
    Duration ten = Duration.ofSeconds(10);
    assertThatThrownBy(() -> new ConnectionSettings(t, false, null, java.nio.file.Path.of("c"), null, null, ten))
        .hasMessageContaining("--cert-file and --key-file");
    assertThatThrownBy(() -> new ConnectionSettings(t, true, java.nio.file.Path.of("ca"), null, null, null, ten))
        .hasMessageContaining("--plaintext cannot be combined");
    assertThatThrownBy(() -> new ConnectionSettings(t, true, null, null, null, null, Duration.ZERO))
        .hasMessageContaining("--timeout must be > 0");
  }

  @Test
  void nettyFactory_missingCaFile_isAUsageError() {
    ConnectionSettings s =
        new ConnectionSettings(
            Target.parse("10.0.0.5:7400"), false, java.nio.file.Path.of("/nonexistent/ca.pem"), null, null, null,
            Duration.ofSeconds(1));
    assertThatThrownBy(() -> new NettyChannelFactory().open(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--ca-file /nonexistent/ca.pem");
  }
}
