package io.wagate.store;

/**
 * The database was closed before or while the operation was waiting; the operation had no effect.
 *
 * <p>At the gRPC edge this maps to {@code UNAVAILABLE} (the appliance is shutting down).
 */
public class StoreClosedException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message naming the operation that found the store closed. */
  public StoreClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
