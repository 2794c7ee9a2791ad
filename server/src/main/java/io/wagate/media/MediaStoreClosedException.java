package io.wagate.media;

/** The store is closed (shutting down). gRPC: UNAVAILABLE. */
public final class MediaStoreClosedException extends MediaException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what was wrong. */
  public MediaStoreClosedException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public MediaStoreClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
