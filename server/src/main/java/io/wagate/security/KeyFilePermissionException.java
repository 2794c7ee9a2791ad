package io.wagate.security;

/** A key file is readable or writable by others than its owner, or not owned by the running user. */
public final class KeyFilePermissionException extends MasterKeyException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the path and the fix. */
  public KeyFilePermissionException(String message) {
    super(message);
  }
}
