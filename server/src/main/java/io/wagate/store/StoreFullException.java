package io.wagate.store;

/**
 * A write was refused or failed because the disk under the data directory is (nearly) full.
 *
 * <p>Nothing of the refused write was stored and nothing stored earlier was harmed. The condition
 * is transient: once space is freed, later writes succeed without a restart. At the gRPC edge this
 * maps to {@code RESOURCE_EXHAUSTED}.
 */
public class StoreFullException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message naming the directory, the shortfall and what to do. */
  public StoreFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
