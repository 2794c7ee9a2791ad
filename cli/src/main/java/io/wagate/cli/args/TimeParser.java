package io.wagate.cli.args;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Points in time as operators type them: an ISO-8601 instant ({@code 2025-03-01T12:00:00Z}), a date
 * and time with offset ({@code 2025-03-01T12:00:00+01:00}), a date ({@code 2025-03-01}, midnight
 * UTC), or a duration before now ({@code -1h}, {@code -15m}).
 */
public final class TimeParser {

  private TimeParser() {}

  /**
   * Parses {@code text} relative to {@code now}.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Instant parse(String text, Instant now) {
    String s = text.trim();
    if (s.startsWith("-")) {
      return now.minus(DurationParser.parse(s.substring(1)));
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException ignored) {
      // try the other forms
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the other forms
    }
    try {
      return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a time; use ISO-8601 (2025-03-01T12:00:00Z, 2025-03-01) or a duration ago (-1h)");
    }
  }
}
