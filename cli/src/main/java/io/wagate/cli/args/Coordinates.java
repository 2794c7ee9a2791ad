package io.wagate.cli.args;

/**
 * A latitude and longitude in degrees, validated to the ranges WhatsApp accepts.
 *
 * @param latitude -90..90
 * @param longitude -180..180
 */
public record Coordinates(double latitude, double longitude) {

  /** Validates the ranges. */
  public Coordinates {
    if (!(latitude >= -90 && latitude <= 90)) {
      throw new IllegalArgumentException("latitude must be within -90..90, got " + latitude);
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException("longitude must be within -180..180, got " + longitude);
    }
  }

  /** Parses {@code LAT,LONG}, for example {@code 52.52,13.405}. */
  public static Coordinates parse(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected LAT,LONG (for example 52.52,13.405), got '" + text + "'");
    }
    try {
      return new Coordinates(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected LAT,LONG (for example 52.52,13.405), got '" + text + "'");
    }
  }
}
