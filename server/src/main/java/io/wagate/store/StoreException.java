package io.wagate.store;

/**
 * A storage operation failed. The base of every exception this package throws.
 *
 * <p>Native and I/O errors are translated into this type (or a subtype) once, at the boundary of
 * this package. Messages name the operation and what to do; they never contain a key or a
 * payload, so they are safe to log and to show to an operator. The original error, when there is
 * one, is the cause.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message naming the failed operation and an optional cause. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
