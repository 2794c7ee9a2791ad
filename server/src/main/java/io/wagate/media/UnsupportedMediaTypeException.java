package io.wagate.media;

/** The declared MIME type is not one Meta accepts for outbound media. gRPC: INVALID_ARGUMENT. */
public final class UnsupportedMediaTypeException extends MediaException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what was wrong. */
  public UnsupportedMediaTypeException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public UnsupportedMediaTypeException(String message, Throwable cause) {
    super(message, cause);
  }
}
