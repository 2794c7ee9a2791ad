package io.wagate.cli.connection;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converter for {@code --target}. */
public final class TargetConverter implements ITypeConverter<Target> {
  @Override
  public Target convert(String value) {
    try {
      return Target.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
