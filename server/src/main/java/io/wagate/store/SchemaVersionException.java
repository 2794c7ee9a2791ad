package io.wagate.store;

/**
 * The data directory holds a database whose schema version this build does not support, for
 * example one written by a newer Wagate. Opening was refused before anything was written.
 *
 * <p>The message says which version was found, which one this build supports and what to do.
 */
public class SchemaVersionException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final int foundVersion;
  private final int supportedVersion;

  /** Creates an exception for a database with {@code foundVersion}; the message is built here. */
  public SchemaVersionException(String directory, int foundVersion, int supportedVersion) {
    super(message(directory, foundVersion, supportedVersion), null);
    this.foundVersion = foundVersion;
    this.supportedVersion = supportedVersion;
  }

  /** The schema version stored in the database. */
  public int foundVersion() {
    return foundVersion;
  }

  /** The schema version this build reads and writes. */
  public int supportedVersion() {
    return supportedVersion;
  }

  private static String message(String directory, int found, int supported) {
    String writer = found > supported ? "a newer" : "an older";
    return "data directory " + directory + " was written by " + writer + " Wagate (schema version "
        + found + "; this build supports schema version " + supported
        + "); run the matching Wagate version or restore a backup; nothing was changed";
  }
}
