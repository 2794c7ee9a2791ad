package io.wagate.media;

/** An object's file is damaged, truncated, missing or tampered with: a segment failed authentication. Names the id and the segment. gRPC: DATA_LOSS. */
public final class MediaCorruptException extends MediaException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what was wrong. */
  public MediaCorruptException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public MediaCorruptException(String message, Throwable cause) {
    super(message, cause);
  }
}
