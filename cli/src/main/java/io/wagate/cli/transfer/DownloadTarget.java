package io.wagate.cli.transfer;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where downloaded bytes go, hashed on the way: a file, written to a temporary file in the same
 * directory and renamed over the target only once the bytes are complete and their SHA-256
 * matches ({@link #toFile}), or a stream such as stdout ({@link #toStream}), which cannot be taken
 * back. Not thread-safe.
 *
 * <pre>{@code
 * try (DownloadTarget t = DownloadTarget.toFile(path, force)) {
 *   t.write(chunk);            // for each chunk
 *   t.commit(size, sha256);    // or close() without commit: the temporary file is removed
 * }
 * }</pre>
 */
public abstract class DownloadTarget implements AutoCloseable {

  private final MessageDigest digest;
  private long written;

  private DownloadTarget() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /**
   * A target file. Checks at once that it may be written: it must not exist unless {@code force}.
   *
   * @throws FileAlreadyExistsException if {@code file} exists and {@code force} is false
   * @throws IOException if the temporary file cannot be created next to it
   */
  public static DownloadTarget toFile(Path file, boolean force) throws IOException {
    return new FileTarget(file, force);
  }

  /** A target stream, flushed but not closed on commit. */
  public static DownloadTarget toStream(OutputStream out) {
    return new StreamTarget(out);
  }

  /** Appends {@code chunk}. */
  public final void write(ByteString chunk) throws IOException {
    for (ByteBuffer b : chunk.asReadOnlyByteBufferList()) {
      digest.update(b.duplicate());
      writeBytes(b);
    }
    written += chunk.size();
  }

  /** Bytes written so far. */
  public final long written() {
    return written;
  }

  /**
   * Checks what was written against {@code size} and {@code sha256} (hex, any case) and makes it
   * final: a file target renames its temporary file to the target.
   *
   * @throws ChecksumMismatchException if the bytes are not the object's; a file target then
   *     leaves nothing behind
   */
  public final void commit(long size, String sha256) throws IOException {
    String actual = HexFormat.of().formatHex(digest.digest());
    if (written != size) {
      throw new ChecksumMismatchException("received " + written + " bytes, the object has " + size);
    }
    if (!actual.equalsIgnoreCase(sha256)) {
      throw new ChecksumMismatchException("SHA-256 of the received bytes is " + actual + ", the object's is " + sha256);
    }
    finish();
  }

  abstract void writeBytes(ByteBuffer b) throws IOException;

  abstract void finish() throws IOException;

  /** Releases the target; a file target not committed removes its temporary file. */
  @Override
  public abstract void close() throws IOException;

  /** The downloaded bytes are not the object's: wrong size or SHA-256. */
  public static final class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    ChecksumMismatchException(String message) {
      super(message);
    }
  }

  private static final class FileTarget extends DownloadTarget {
    private final Path file;
    private final boolean force;
    private final Path temp;
    private final FileChannel channel;
    private boolean committed;

    FileTarget(Path file, boolean force) throws IOException {
      this.file = file.toAbsolutePath();
      this.force = force;
      if (!force && Files.exists(this.file)) {
        throw new FileAlreadyExistsException(file.toString(), null, "exists; use --force to overwrite it");
      }
      Path dir = this.file.getParent();
      // hidden and suffixed, so a failed download never leaves a file named like the target
      this.temp = Files.createTempFile(dir, "." + this.file.getFileName() + ".", ".part");
      this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    void writeBytes(ByteBuffer b) throws IOException {
      ByteBuffer d = b.duplicate();
      while (d.hasRemaining()) {
        channel.write(d);
      }
    }

    @Override
    void finish() throws IOException {
      channel.force(true);
      channel.close();
      if (force) {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // no REPLACE_EXISTING: a file created meanwhile is not overwritten either
        Files.move(temp, file);
      }
      committed = true;
    }

    @Override
    public void close() throws IOException {
      channel.close();
      if (!committed) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static final class StreamTarget extends DownloadTarget {
    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];

    StreamTarget(OutputStream out) {
      this.out = out;
    }

    @Override
    void writeBytes(ByteBuffer b) throws IOException {
      ByteBuffer d = b.duplicate();
      while (d.hasRemaining()) {
        int n = Math.min(d.remaining(), buffer.length);
        d.get(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }

    @Override
    void finish() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
