package io.wagate.media;

/** Storing the object would exceed the store's byte quota (uploads in progress count with their declared size). gRPC: RESOURCE_EXHAUSTED. */
public final class MediaQuotaExceededException extends MediaException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what was wrong. */
  public MediaQuotaExceededException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public MediaQuotaExceededException(String message, Throwable cause) {
    super(message, cause);
  }
}
