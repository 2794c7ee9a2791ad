package io.wagate.cli.args;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.StartPosition;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** Event-log positions, the RFC 3339 forms of {@link TimeParser}, and event kind names. */
class PositionParserTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  @Test
  void latestAndEarliest_inAnyCase() {
    assertThat(PositionParser.parse("latest", NOW)).isEqualTo(StartPosition.newBuilder().setLatest(true).build());
    assertThat(PositionParser.parse("EARLIEST", NOW)).isEqualTo(StartPosition.newBuilder().setEarliest(true).build());
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "1042, 1042", "9223372036854775807, 9223372036854775807", "18446744073709551615, -1"})
  void digits_areAnOffset_uint64(String text, long offset) {
    StartPosition p = PositionParser.parse(text, NOW);
    assertThat(p.getPositionCase()).isEqualTo(StartPosition.PositionCase.OFFSET);
    assertThat(p.getOffset()).isEqualTo(offset);
  }

  @Test
  void offsetBeyondUint64_isAnError() {
    assertThatThrownBy(() -> PositionParser.parse("18446744073709551616", NOW)).hasMessageContaining("too large");
  }

  @ParameterizedTest
  @CsvSource({
    "2025-02-01T10:00:00Z, 2025-02-01T10:00:00Z",
    "-1h, 2025-03-01T11:00:00Z",
    "-1d12h, 2025-02-28T00:00:00Z",
    "2025-02-01, 2025-02-01T00:00:00Z"
  })
  void times_becomeATimestamp(String text, String instant) {
    StartPosition p = PositionParser.parse(text, NOW);
    assertThat(p.getPositionCase()).isEqualTo(StartPosition.PositionCase.TIME);
    Instant expected = Instant.parse(instant);
    assertThat(p.getTime().getSeconds()).isEqualTo(expected.getEpochSecond());
    assertThat(p.getTime().getNanos()).isEqualTo(expected.getNano());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "-1y", "12ab", "+5", "2025-13-01", "-"})
  void otherText_namesTheTextAndTheForms(String text) {
    assertThatThrownBy(() -> PositionParser.parse(text, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "' is not a position")
        .hasMessageContaining("latest, earliest, an offset")
        .hasMessageContaining("-1h");
  }

  @ParameterizedTest
  @CsvSource({
    "2025-02-01T10:00:00Z, 2025-02-01T10:00:00Z",
    "2025-02-01t10:00:00z, 2025-02-01T10:00:00Z",
    "2025-02-01 10:00:00Z, 2025-02-01T10:00:00Z",
    "2025-02-01T10:00:00.250Z, 2025-02-01T10:00:00.250Z",
    "2025-02-01 10:00:00-05:00, 2025-02-01T15:00:00Z",
    "2025-02-01T10:00:00+01:00, 2025-02-01T09:00:00Z"
  })
  void timeParser_acceptsRfc3339(String text, String instant) {
    assertThat(TimeParser.parse(text, NOW)).isEqualTo(Instant.parse(instant));
  }

  @Test
  void timeParser_badRelativeTime_namesTheWholeText() {
    assertThatThrownBy(() -> TimeParser.parse("-3x", NOW)).hasMessageStartingWith("'-3x' is not a time; use RFC 3339");
  }

  @ParameterizedTest
  @CsvSource({
    "inbound, INBOUND_MESSAGE",
    "INBOUND_MESSAGE, INBOUND_MESSAGE",
    "status, STATUS",
    "Webhook_Error, WEBHOOK_ERROR",
    "outbound_ended, OUTBOUND_ENDED",
    "alert, ALERT",
    "account_update, ACCOUNT_UPDATE"
  })
  void eventKind_byShortOrProtoName(String text, EventKind kind) {
    assertThat(new EventKindConverter().convert(text)).isEqualTo(kind);
    assertThat(EventKindConverter.shortName(kind)).isEqualTo(text.equals("INBOUND_MESSAGE") ? "inbound" : text.toLowerCase());
  }

  @ParameterizedTest
  @ValueSource(strings = {"event_kind_unspecified", "unrecognized", "inbounds", ""})
  void eventKind_otherNames_listTheChoices(String text) {
    assertThatThrownBy(() -> new EventKindConverter().convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("expected one of " + EventKindConverter.NAMES + ", got '" + text + "'");
  }
}
