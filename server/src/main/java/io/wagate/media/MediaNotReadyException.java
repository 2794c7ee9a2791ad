package io.wagate.media;

/** Inbound media still being fetched from Meta: try again shortly. gRPC: UNAVAILABLE. */
public final class MediaNotReadyException extends MediaException {
  private static final long serialVersionUID = 1L;

  public MediaNotReadyException(String message) {
    super(message);
  }
}
