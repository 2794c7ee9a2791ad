package io.wagate.security;

/**
 * The master key cannot be loaded or used: a missing, unreadable, malformed or badly protected key
 * file, or a key that does not match the data. Messages name the file and the fix; they never
 * contain key material.
 */
public class MasterKeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what is wrong and how to fix it. */
  public MasterKeyException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the underlying cause. */
  public MasterKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
