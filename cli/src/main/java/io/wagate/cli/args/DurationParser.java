package io.wagate.cli.args;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators type them: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d},
 * or several in a row ({@code 1h30m}). ISO-8601 ({@code PT2H}) is accepted too.
 */
public final class DurationParser {

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private DurationParser() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Duration parse(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("p")) {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    if (!WHOLE.matcher(s).matches()) {
      throw invalid(text);
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(s);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ms":
            total = total.plusMillis(n);
            break;
          case "s":
            total = total.plusSeconds(n);
            break;
          case "m":
            total = total.plus(Duration.ofMinutes(n));
            break;
          case "h":
            total = total.plus(Duration.ofHours(n));
            break;
          default:
            total = total.plus(Duration.ofDays(n));
            break;
        }
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration '" + text + "' is too large");
    }
    return total;
  }

  /** Formats a duration the way {@link #parse} reads it, largest units first: {@code 2d 3h 4m 5s}. */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder b = new StringBuilder();
    append(b, d.toDays(), "d");
    append(b, d.toHoursPart(), "h");
    append(b, d.toMinutesPart(), "m");
    append(b, d.toSecondsPart(), "s");
    return b.toString();
  }

  /** Converts to the protobuf well-known type. */
  public static com.google.protobuf.Duration toProto(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  private static void append(StringBuilder b, long n, String unit) {
    if (n != 0) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(n).append(unit);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration; use a number and a unit, for example 30s, 15m, 2h or 7d");
  }
}
