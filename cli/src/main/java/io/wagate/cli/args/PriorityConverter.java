package io.wagate.cli.args;

import io.wagate.api.v1.Priority;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converter: {@code high}, {@code normal} or {@code bulk} (any case) to {@link Priority}. */
public final class PriorityConverter implements ITypeConverter<Priority> {
  @Override
  public Priority convert(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "high":
        return Priority.PRIORITY_HIGH;
      case "normal":
        return Priority.PRIORITY_NORMAL;
      case "bulk":
        return Priority.PRIORITY_BULK;
      default:
        throw new TypeConversionException("expected high, normal or bulk, got '" + value + "'");
    }
  }
}
