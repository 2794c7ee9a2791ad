package io.wagate.media;

/** Base of the media store's errors. Messages name the media id and what was wrong, never key material or content. An instance of this class itself is an I/O failure of the store (gRPC INTERNAL). */
public class MediaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what was wrong. */
  public MediaException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public MediaException(String message, Throwable cause) {
    super(message, cause);
  }
}
