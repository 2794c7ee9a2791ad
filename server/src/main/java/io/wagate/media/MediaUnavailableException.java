package io.wagate.media;

/**
 * Inbound media whose bytes the appliance could not get: Meta no longer has them (or refused
 * them), so the object will never be stored. gRPC: FAILED_PRECONDITION.
 */
public final class MediaUnavailableException extends MediaException {
  private static final long serialVersionUID = 1L;

  public MediaUnavailableException(String message) {
    super(message);
  }
}
