package io.wagate.media;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One object being stored, from {@link EncryptedMediaStore#begin} to {@link #commit()} or
 * {@link #abort()}. Bytes are encrypted segment by segment into a temporary file as they arrive;
 * the SHA-256 of the plaintext is computed on the store's hashing threads meanwhile
 * ({@link SegmentHasher}), and every {@value #FLUSH_BYTES} bytes written the file's data is synced
 * in the background, so the disk writes while this thread encrypts and the final sync at commit has
 * little left. Memory use is a fixed pool of segment buffers (about 1 MiB, at least
 * two segments) whatever the size. Nothing is visible to readers before {@link #commit()} returns.
 *
 * <p>Not thread-safe: one caller (for example one gRPC upload stream) uses it at a time. Blocking
 * file I/O happens in {@link #write} and {@link #commit()}. {@link #close()} aborts unless
 * committed, so try-with-resources never leaves a temporary file behind.
 */
public final class MediaWriter implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Bytes written between background syncs of the temporary file. */
  static final long FLUSH_BYTES = 8L << 20;

  private enum State { OPEN, COMMITTED, ABORTED }

  private final EncryptedMediaStore store;
  private final String id;
  private final NewMedia spec;
  private final Path tempFile;
  private final FileChannel channel;
  private final int segmentBytes;
  private final byte[] dataKey;
  private final SecretKeySpec keySpec;
  private final Cipher cipher;
  private final byte[] aad;
  /** The segment being filled, taken from the hasher's pool; handed to it once sealed. */
  private byte[] plain;
  private final ByteBuffer out;
  private final byte[] nonce = new byte[SegmentFormat.NONCE];
  private final SegmentHasher hasher;
  private final Flusher flusher;
  private final byte[] head = new byte[ContentSniffer.HEAD_BYTES];
  private final ContentSniffer.TextCheck text;
  /** For read-only and direct buffers (gRPC's ByteString views); allocated on first use. */
  private byte[] scratch;
  private int headLength;
  private int buffered;
  private long segmentIndex;
  private long written;
  private State state = State.OPEN;

  MediaWriter(EncryptedMediaStore store, String id, NewMedia spec, Path tempFile, FileChannel channel,
      int segmentBytes, Executor hashing, Executor flushing) throws IOException {
    this.store = store;
    this.id = id;
    this.spec = spec;
    this.tempFile = tempFile;
    this.channel = channel;
    this.segmentBytes = segmentBytes;
    this.dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    this.keySpec = new SecretKeySpec(dataKey, "AES");
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable in this JVM", e);
    }
    byte[] header = SegmentFormat.header(id, segmentBytes);
    this.aad = SegmentFormat.aadBuffer(SegmentFormat.headerHash(header));
    this.hasher = new SegmentHasher(hashing, segmentBytes, SegmentHasher.poolSize(segmentBytes));
    this.plain = hasher.take();
    this.flusher = new Flusher(channel, flushing);
    this.out = ByteBuffer.allocate(segmentBytes + SegmentFormat.OVERHEAD);
    this.text = MediaTypes.TEXT.equals(spec.mimeType()) ? new ContentSniffer.TextCheck() : null;
    writeFully(ByteBuffer.wrap(header));
  }

  /** The id the object will have once committed. */
  public String id() {
    return id;
  }

  /** What the caller declared. */
  public NewMedia spec() {
    return spec;
  }

  /** Bytes written so far. */
  public long written() {
    return written;
  }

  /** {@link #write(byte[], int, int)} of the whole array. */
  public void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  /** Writes the remaining bytes of {@code buffer}, advancing its position. */
  public void write(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      int n = buffer.remaining();
      write(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
      buffer.position(buffer.position() + n);
      return;
    }
    if (scratch == null) {
      scratch = new byte[Math.min(segmentBytes, 64 * 1024)];
    }
    while (buffer.hasRemaining()) {
      int n = Math.min(scratch.length, buffer.remaining());
      buffer.get(scratch, 0, n);
      write(scratch, 0, n);
    }
  }

  /**
   * Appends bytes to the object.
   *
   * @throws SizeMismatchException if the total would exceed the declared size (the upload is aborted)
   * @throws MediaException on an I/O failure (the upload is aborted)
   * @throws IllegalStateException if already committed or aborted
   */
  public void write(byte[] bytes, int offset, int length) {
    checkOpen();
    if (length > spec.declaredSize() - written) {
      abort();
      throw new SizeMismatchException("media " + id + ": more bytes than the declared size " + spec.declaredSize()
          + " (at least " + (written + length) + "); upload aborted");
    }
    if (text != null) {
      text.update(bytes, offset, length);
    }
    if (headLength < head.length) {
      int n = Math.min(length, head.length - headLength);
      System.arraycopy(bytes, offset, head, headLength, n);
      headLength += n;
    }
    written += length;
    try {
      while (length > 0) {
        if (buffered == segmentBytes) {
          // only now is it known that this full segment is not the last
          sealSegment(false);
        }
        int n = Math.min(length, segmentBytes - buffered);
        System.arraycopy(bytes, offset, plain, buffered, n);
        buffered += n;
        offset += n;
        length -= n;
      }
    } catch (IOException e) {
      abort();
      throw new MediaException("media " + id + ": writing the encrypted file failed: " + e.getMessage(), e);
    }
  }

  /**
   * Finishes the object: checks the byte count against the declared size and the content against
   * the declared type and its cap, seals the last segment, syncs the file, moves it into place and
   * syncs the directory, then writes the metadata durably. Only then is the object visible. Any
   * failure aborts the upload: nothing is visible and the temporary file is gone.
   *
   * @throws SizeMismatchException if fewer bytes than declared were written
   * @throws MediaTypeMismatchException if the bytes are not of the declared type (outbound)
   * @throws MediaTooLargeException if a static WebP sticker is over 100 KB
   * @throws MediaException on an I/O or store failure
   */
  public MediaObject commit() {
    checkOpen();
    try {
      if (written != spec.declaredSize()) {
        throw new SizeMismatchException("media " + id + ": " + written + " bytes written but " + spec.declaredSize()
            + " declared; upload aborted");
      }
      if (spec.kind() == MediaKind.OUTBOUND) {
        checkContent();
      }
      sealSegment(true);
      byte[] digest = hasher.finish();
      flusher.await();
      channel.force(true);
      channel.close();
      String sha = HexFormat.of().formatHex(digest);
      MediaObject committed = store.commitUpload(this, sha);
      state = State.COMMITTED;
      return committed;
    } catch (IOException e) {
      abort();
      throw new MediaException("media " + id + ": finishing the encrypted file failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      abort();
      throw e;
    } finally {
      if (state == State.COMMITTED) {
        Arrays.fill(dataKey, (byte) 0);
      }
    }
  }

  /** Discards the upload: deletes the temporary file and releases its quota reservation. Idempotent. */
  public void abort() {
    if (state != State.OPEN) {
      return;
    }
    state = State.ABORTED;
    Arrays.fill(dataKey, (byte) 0);
    try {
      channel.close();
    } catch (IOException e) {
      // the file is deleted next; nothing else holds it
    }
    store.abortUpload(this);
  }

  /** Aborts unless committed. */
  @Override
  public void close() {
    abort();
  }

  Path tempFile() {
    return tempFile;
  }

  int segmentBytes() {
    return segmentBytes;
  }

  /** The raw data key, for wrapping at commit; valid until {@link #commit()} returns. */
  byte[] dataKey() {
    return dataKey;
  }

  private void checkContent() {
    String declared = spec.mimeType();
    String detected = ContentSniffer.sniff(head, headLength);
    if (text != null) {
      if (!text.finish() || (detected != null && !MediaTypes.TEXT.equals(detected))) {
        throw new MediaTypeMismatchException("media " + id + ": declared text/plain but the content is "
            + (detected != null ? MediaTypes.describe(detected) : "not UTF-8 text without NUL characters"));
      }
      return;
    }
    if (!MediaTypes.compatible(declared, detected)) {
      throw new MediaTypeMismatchException("media " + id + ": declared " + declared + " but the content is "
          + MediaTypes.describe(detected));
    }
    if (MediaTypes.WEBP.equals(declared) && !ContentSniffer.isAnimatedWebp(head, headLength)
        && written > MediaTypes.STICKER_STATIC_MAX_BYTES) {
      throw new MediaTooLargeException("media " + id + ": a static WebP sticker may be at most "
          + MediaTypes.STICKER_STATIC_MAX_BYTES + " bytes, got " + written);
    }
  }

  private void sealSegment(boolean last) throws IOException {
    hasher.hash(plain, buffered); // hashed on another thread while this thread encrypts and writes it
    RANDOM.nextBytes(nonce);
    SegmentFormat.aad(aad, segmentIndex, last);
    out.clear();
    out.put(nonce);
    try {
      cipher.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(SegmentFormat.TAG_BITS, nonce));
      cipher.updateAAD(aad);
      int n = cipher.doFinal(plain, 0, buffered, out.array(), SegmentFormat.NONCE);
      out.position(SegmentFormat.NONCE + n);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    out.flip();
    int sealed = out.remaining();
    writeFully(out);
    flusher.written(sealed);
    segmentIndex++;
    if (!last) {
      plain = hasher.take();
      buffered = 0;
    }
  }

  private void writeFully(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  private void checkOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("media " + id + " upload is already " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Syncs the file's data ({@code force(false)}) on another thread each time {@link #FLUSH_BYTES}
   * more were written, at most one sync in flight. Only an optimisation: a refused task means no
   * early sync. A failed sync is thrown from the next {@link #written} or from {@link #await}, so
   * the upload aborts; commit's own {@code force(true)} still makes the file durable.
   */
  private static final class Flusher {
    private final FileChannel channel;
    private final Executor executor;
    private long unflushed;
    private FutureTask<Void> inFlight;

    Flusher(FileChannel channel, Executor executor) {
      this.channel = channel;
      this.executor = executor;
    }

    void written(int bytes) throws IOException {
      unflushed += bytes;
      if (unflushed < FLUSH_BYTES) {
        return;
      }
      if (inFlight != null) {
        if (!inFlight.isDone()) {
          return;
        }
        await();
      }
      unflushed = 0;
      FutureTask<Void> task = new FutureTask<>(() -> {
        channel.force(false);
        return null;
      });
      try {
        executor.execute(task);
        inFlight = task;
      } catch (RejectedExecutionException e) {
        inFlight = null; // the store is closing; commit will fail anyway
      }
    }

    /** Waits for the sync in flight, if any; throws what it threw. */
    void await() throws IOException {
      FutureTask<Void> task = inFlight;
      if (task == null) {
        return;
      }
      inFlight = null;
      try {
        task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a background sync");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw new IOException("background sync failed: " + cause.getMessage(), cause);
      }
    }
  }
}
