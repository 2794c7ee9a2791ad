package io.wagate.media;

/** No media object with this id (never stored, deleted, or expired). gRPC: NOT_FOUND. */
public final class MediaNotFoundException extends MediaException {
  private static final long serialVersionUID = 1L;

  /** The object {@code id} is not in the store. */
  public static MediaNotFoundException of(String id) {
    return new MediaNotFoundException("no media with id '" + id + "' (never stored, deleted, or expired)");
  }

  /** Creates the exception with a message saying what was wrong. */
  public MediaNotFoundException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public MediaNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
