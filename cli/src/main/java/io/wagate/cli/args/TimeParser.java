package io.wagate.cli.args;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Points in time as operators type them: an RFC 3339 / ISO-8601 instant ({@code 2025-03-01T12:00:00Z},
 * also with a space or a lower-case {@code t} between date and time), a date and time with offset
 * ({@code 2025-03-01T12:00:00+01:00}), a date ({@code 2025-03-01}, midnight UTC), or a duration
 * before now ({@code -1h}, {@code -15m}, {@code -1d12h}).
 */
public final class TimeParser {

  /** The accepted forms, for messages that list them. */
  public static final String FORMS = "RFC 3339 (2025-03-01T12:00:00Z, 2025-03-01T12:00:00+01:00), a date (2025-03-01) or a duration ago (-1h)";

  // RFC 3339 allows "T", "t" or a space between date and time, and "z" for UTC
  private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:.*");

  private TimeParser() {}

  /**
   * Parses {@code text} relative to {@code now}.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Instant parse(String text, Instant now) {
    String s = text.trim();
    if (s.startsWith("-")) {
      try {
        return now.minus(DurationParser.parse(s.substring(1)));
      } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
        throw invalid(text);
      }
    }
    if (DATE_TIME.matcher(s).matches()) {
      s = s.substring(0, 10) + "T" + s.substring(11).toUpperCase(Locale.ROOT);
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
      throw invalid(text);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("'" + text + "' is not a time; use " + FORMS);
  }
}
