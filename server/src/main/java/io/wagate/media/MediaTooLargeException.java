package io.wagate.media;

/** A declared or actual size is over the cap for its type (or the 100 MB inbound cap). gRPC: INVALID_ARGUMENT. */
public final class MediaTooLargeException extends MediaException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what was wrong. */
  public MediaTooLargeException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public MediaTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }
}
