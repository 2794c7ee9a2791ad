package io.wagate.media;

/** The bytes are not of the declared MIME type (content sniffed from magic bytes); names both types. gRPC: INVALID_ARGUMENT. */
public final class MediaTypeMismatchException extends MediaException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what was wrong. */
  public MediaTypeMismatchException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public MediaTypeMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
