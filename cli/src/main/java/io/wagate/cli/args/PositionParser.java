package io.wagate.cli.args;

import com.google.protobuf.Timestamp;
import io.wagate.api.v1.StartPosition;
import java.time.Instant;
import java.util.Locale;

/**
 * Positions in the event log as operators type them: {@code latest}, {@code earliest}, an offset
 * ({@code 1042}) or a time in any {@link TimeParser} form ({@code 2025-03-01T12:00:00Z}, {@code -1h}).
 */
public final class PositionParser {

  /** The accepted forms, for help texts and messages. */
  public static final String FORMS = "latest, earliest, an offset (1042) or a time";

  private PositionParser() {}

  /**
   * Parses {@code text}; relative times count back from {@code now}.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static StartPosition parse(String text, Instant now) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("latest")) {
      return StartPosition.newBuilder().setLatest(true).build();
    }
    if (s.equals("earliest")) {
      return StartPosition.newBuilder().setEarliest(true).build();
    }
    if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return StartPosition.newBuilder().setOffset(Long.parseUnsignedLong(s)).build();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("offset '" + text + "' is too large");
      }
    }
    Instant t;
    try {
      t = TimeParser.parse(text, now);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a position; use " + FORMS + ": " + TimeParser.FORMS);
    }
    return StartPosition.newBuilder()
        .setTime(Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()))
        .build();
  }
}
