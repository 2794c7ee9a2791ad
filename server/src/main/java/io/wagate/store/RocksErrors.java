package io.wagate.store;

import java.nio.file.Path;
import java.util.Locale;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Translates {@link RocksDBException}s into this package's exceptions, once, at the boundary.
 *
 * <p>Messages name the operation, never a key or a value; RocksDB's own text (file names, errno)
 * stays in the cause for the log.
 */
final class RocksErrors {
  private RocksErrors() {}

  /** Translates a failure of {@code operation} on the database in {@code directory}. */
  static StoreException translate(String operation, Path directory, RocksDBException e) {
    if (isNoSpace(e)) {
      return new StoreFullException(
          "not enough free disk space under " + directory + ": " + operation
              + " failed with no space left on device; free space and retry (writes resume on"
              + " their own within seconds once at least " + RocksTuning.LARGEST_WRITE_BUFFER_BYTES
              + " bytes are free)",
          e);
    }
    return new StoreException(operation + " failed (RocksDB " + describe(e) + ")", e);
  }

  /** Returns whether RocksDB failed because it could not take the directory's LOCK file. */
  static boolean isLockHeld(RocksDBException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
    return (code == null || code == Status.Code.IOError)
        && message.contains("lock")
        && (message.contains("temporarily unavailable")
            || message.contains("lock hold")
            || message.contains("no locks available"));
  }

  private static boolean isNoSpace(RocksDBException e) {
    Status status = e.getStatus();
    if (status != null && status.getSubCode() == Status.SubCode.NoSpace) {
      return true;
    }
    String message = String.valueOf(e.getMessage());
    return message.contains("No space left on device");
  }

  private static String describe(RocksDBException e) {
    Status status = e.getStatus();
    if (status == null) {
      return "error";
    }
    Status.SubCode sub = status.getSubCode();
    return sub == null || sub == Status.SubCode.None
        ? status.getCode().name()
        : status.getCode().name() + "/" + sub.name();
  }
}
