package io.wagate.cli.args;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converter for {@code LAT,LONG}. */
public final class CoordinatesConverter implements ITypeConverter<Coordinates> {
  @Override
  public Coordinates convert(String value) {
    try {
      return Coordinates.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
