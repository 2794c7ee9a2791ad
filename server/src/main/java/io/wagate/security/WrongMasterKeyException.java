package io.wagate.security;

/**
 * The master key given at start is not the one the data was written with. Raised before any data
 * is read or written; the message names both key ids (fingerprints, never key material).
 */
public final class WrongMasterKeyException extends MasterKeyException {
  private static final long serialVersionUID = 1L;

  private final String givenKeyId;
  private final String expectedKeyId;

  /** Creates the exception; {@code source} describes where the given key came from. */
  public WrongMasterKeyException(String source, String givenKeyId, String expectedKeyId) {
    super("the master key in " + source + " does not match the one this data was written with (key id "
        + givenKeyId + ", expected " + expectedKeyId + "); start with the right key file or passphrase");
    this.givenKeyId = givenKeyId;
    this.expectedKeyId = expectedKeyId;
  }

  /** The id of the key that was given. */
  public String givenKeyId() {
    return givenKeyId;
  }

  /** The id of the key the data was written with. */
  public String expectedKeyId() {
    return expectedKeyId;
  }
}
