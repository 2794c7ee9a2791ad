package io.wagate.store;

/**
 * The data directory is already open in another Wagate process (or another {@link Database} in
 * this process); RocksDB holds an exclusive lock on it. Nothing was changed.
 */
public class StoreLockedException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message naming the directory and what to do. */
  public StoreLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
