package io.wagate.cli.args;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "30s, PT30S",
    "15m, PT15M",
    "2h, PT2H",
    "7d, PT168H",
    "1h30m, PT1H30M",
    "1d2h3m4s5ms, PT26H3M4.005S",
    "0s, PT0S",
    "2H, PT2H",
    "' 10s ', PT10S",
    "PT2H, PT2H",
    "pt90s, PT1M30S"
  })
  void parse_acceptsUnitsAndIso(String text, String iso) {
    assertThat(DurationParser.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "2x", "1.5h", "-5m", "1h 30m", "2hours", "P", "PTxS"})
  void parse_rejectsOtherForms_namingTheText(String text) {
    assertThatThrownBy(() -> DurationParser.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("30s, 15m, 2h or 7d");
  }

  @Test
  void parse_overflow_isAnError() {
    assertThatThrownBy(() -> DurationParser.parse("99999999999999999999d")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DurationParser.parse("9223372036854775807d")).hasMessageContaining("too large");
  }

  @ParameterizedTest
  @CsvSource({"PT0S, 0ms", "PT0.25S, 250ms", "PT30S, 30s", "PT2H3M4S, 2h 3m 4s", "PT50H, 2d 2h", "PT-1M, -1m"})
  void format_largestUnitsFirst(String iso, String text) {
    assertThat(DurationParser.format(Duration.parse(iso))).isEqualTo(text);
  }

  @Test
  void format_roundTripsThroughParse() {
    Duration d = Duration.ofDays(3).plusHours(4).plusSeconds(5);
    assertThat(DurationParser.parse(DurationParser.format(d).replace(" ", ""))).isEqualTo(d);
  }

  @Test
  void toProto_keepsSecondsAndNanos() {
    com.google.protobuf.Duration p = DurationParser.toProto(Duration.ofMillis(2500));
    assertThat(p.getSeconds()).isEqualTo(2);
    assertThat(p.getNanos()).isEqualTo(500_000_000);
  }

  @Test
  void timeParser_acceptsInstantOffsetDateAndAgo() {
    Instant now = Instant.parse("2025-03-01T12:00:00Z");
    assertThat(TimeParser.parse("2025-02-01T10:00:00Z", now)).isEqualTo(Instant.parse("2025-02-01T10:00:00Z"));
    assertThat(TimeParser.parse("2025-02-01T10:00:00+01:00", now)).isEqualTo(Instant.parse("2025-02-01T09:00:00Z"));
    assertThat(TimeParser.parse("2025-02-01", now)).isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
    assertThat(TimeParser.parse("-1h", now)).isEqualTo(Instant.parse("2025-03-01T11:00:00Z"));
    assertThat(TimeParser.parse("-7d", now)).isEqualTo(Instant.parse("2025-02-22T12:00:00Z"));
    assertThatThrownBy(() -> TimeParser.parse("yesterday", now)).hasMessageContaining("'yesterday' is not a time");
    assertThatThrownBy(() -> TimeParser.parse("-1y", now)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void coordinates_parseAndValidate() {
    assertThat(Coordinates.parse("52.52, 13.405")).isEqualTo(new Coordinates(52.52, 13.405));
    assertThat(Coordinates.parse("-90,-180")).isEqualTo(new Coordinates(-90, -180));
    assertThatThrownBy(() -> Coordinates.parse("1,2,3")).hasMessageContaining("LAT,LONG");
    assertThatThrownBy(() -> Coordinates.parse("a,b")).hasMessageContaining("LAT,LONG");
    assertThatThrownBy(() -> Coordinates.parse("0,181")).hasMessageContaining("longitude");
    assertThatThrownBy(() -> Coordinates.parse("NaN,0")).hasMessageContaining("latitude");
  }
}
