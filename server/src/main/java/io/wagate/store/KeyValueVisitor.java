package io.wagate.store;

/**
 * Receives the entries of a {@link Database#scan scan}, one at a time, on the scanning thread.
 *
 * <p>The arrays are fresh copies owned by the visitor. Exceptions thrown by the visitor end the
 * scan and propagate unchanged to the caller of {@code scan}.
 */
@FunctionalInterface
public interface KeyValueVisitor {
  /**
   * Visits one entry.
   *
   * @return {@code true} to continue with the next entry, {@code false} to stop the scan
   */
  boolean visit(byte[] key, byte[] value);
}
