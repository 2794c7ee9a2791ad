package io.wagate.media;

/** The bytes written differ from the declared size (more, or fewer at commit). gRPC: INVALID_ARGUMENT. */
public final class SizeMismatchException extends MediaException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what was wrong. */
  public SizeMismatchException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public SizeMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
