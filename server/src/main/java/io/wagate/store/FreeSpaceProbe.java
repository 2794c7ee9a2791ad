package io.wagate.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reports how many bytes can still be written under a directory.
 *
 * <p>The group-commit writer consults it before accepting work; production uses the usable space
 * of the directory's file store, tests substitute a counter. Implementations must be thread-safe;
 * they are called at most about every 100 ms per database.
 */
@FunctionalInterface
public interface FreeSpaceProbe {
  /**
   * Returns the number of bytes this process may still write under {@code directory}.
   *
   * @throws IOException if the free space cannot be determined
   */
  long usableBytes(Path directory) throws IOException;
}
