package io.wagate.cli.args;

import io.wagate.api.v1.State;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converter: a message state name in any case ({@code failed}, {@code QUEUED}) to {@link State}. */
public final class StateConverter implements ITypeConverter<State> {

  /** The names accepted, lower case, in lifecycle order. */
  public static final String NAMES =
      Arrays.stream(State.values())
          .filter(s -> s != State.STATE_UNSPECIFIED && s != State.UNRECOGNIZED)
          .map(s -> s.name().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(", "));

  @Override
  public State convert(String value) {
    State s;
    try {
      s = State.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      s = State.UNRECOGNIZED;
    }
    if (s == State.UNRECOGNIZED || s == State.STATE_UNSPECIFIED) {
      throw new TypeConversionException("expected one of " + NAMES + ", got '" + value + "'");
    }
    return s;
  }
}
