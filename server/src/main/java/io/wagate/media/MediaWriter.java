package io.wagate.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One object being stored, from {@link EncryptedMediaStore#begin} to {@link #commit()} or
 * {@link #abort()}. Bytes are encrypted segment by segment into a temporary file as they arrive;
 * memory use is one segment whatever the size. Nothing is visible to readers before
 * {@link #commit()} returns.
 *
 * <p>Not thread-safe: one caller (for example one gRPC upload stream) uses it at a time. Blocking
 * file I/O happens in {@link #write} and {@link #commit()}. {@link #close()} aborts unless
 * committed, so try-with-resources never leaves a temporary file behind.
 */
public final class MediaWriter implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

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
  private final byte[] plain;
  private final ByteBuffer out;
  private final byte[] nonce = new byte[SegmentFormat.NONCE];
  private final MessageDigest sha256;
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
      int segmentBytes) throws IOException {
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
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM or SHA-256 unavailable in this JVM", e);
    }
    byte[] header = SegmentFormat.header(id, segmentBytes);
    this.aad = SegmentFormat.aadBuffer(SegmentFormat.headerHash(header));
    this.plain = new byte[segmentBytes];
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
    sha256.update(bytes, offset, length);
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
      channel.force(true);
      channel.close();
      String sha = HexFormat.of().formatHex(sha256.digest());
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
    writeFully(out);
    segmentIndex++;
    buffered = 0;
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
}
