package io.wagate.cli.args;

import io.wagate.api.v1.EventKind;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converter: an event kind by its short name ({@code inbound}, {@code status},
 * {@code webhook_error}, {@code outbound_ended}, {@code alert}, {@code account_update}, {@code media}, {@code unparsed}) or its proto
 * name ({@code INBOUND_MESSAGE}), in any case, to {@link EventKind}.
 */
public final class EventKindConverter implements ITypeConverter<EventKind> {

  /** The short names accepted, in the proto's order. */
  public static final String NAMES = "inbound, status, webhook_error, outbound_ended, alert, account_update, media, unparsed";

  @Override
  public EventKind convert(String value) {
    String s = value.trim().toLowerCase(Locale.ROOT);
    if (s.equals("inbound") || s.equals("inbound_message")) {
      return EventKind.INBOUND_MESSAGE;
    }
    for (EventKind k : EventKind.values()) {
      if (k != EventKind.EVENT_KIND_UNSPECIFIED && k != EventKind.UNRECOGNIZED
          && k.name().toLowerCase(Locale.ROOT).equals(s)) {
        return k;
      }
    }
    throw new TypeConversionException("expected one of " + NAMES + ", got '" + value + "'");
  }

  /** The short name of {@code kind}: {@code inbound} for INBOUND_MESSAGE, else the lower-case proto name. */
  public static String shortName(EventKind kind) {
    if (kind == EventKind.INBOUND_MESSAGE) {
      return "inbound";
    }
    return kind == EventKind.EVENT_KIND_UNSPECIFIED || kind == EventKind.UNRECOGNIZED
        ? "-" : kind.name().toLowerCase(Locale.ROOT);
  }
}
