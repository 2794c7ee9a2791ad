package io.wagate.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts one object's file segment by segment. A segment's bytes are released only after its
 * GCM tag verified, so a caller never sees unauthenticated plaintext; a failed segment throws
 * {@link MediaCorruptException} (unchecked, from {@code read}) naming the object and segment.
 * Memory use is one segment. Not thread-safe.
 *
 * <p>A read that asks for at least the whole next segment gets it decrypted straight into the
 * caller's array, saving a copy of every byte (downloads read 256 KiB at a time); should the tag
 * fail, that part of the array is zeroed before the exception.
 */
final class MediaInputStream extends InputStream {
  private final String id;
  private final FileChannel channel;
  private final long size;
  private final int segmentBytes;
  private final int headerLength;
  private final long segments;
  private final SecretKeySpec key;
  private final Cipher cipher;
  private final byte[] aad;
  private final ByteBuffer sealed;
  private final byte[] plain;
  private final Runnable onClose;
  private final byte[] one = new byte[1];
  private long nextSegment;
  private int plainPos;
  private int plainLen;
  private boolean closed;

  /** Opens the stream positioned at {@code offset}; the header and the file length are checked first. */
  MediaInputStream(MediaRecord record, byte[] dataKey, FileChannel channel, long offset, Runnable onClose)
      throws IOException {
    MediaObject o = record.object();
    this.id = o.id();
    this.channel = channel;
    this.size = o.size();
    this.segmentBytes = record.segmentBytes();
    this.onClose = onClose;
    byte[] header = SegmentFormat.header(id, segmentBytes);
    this.headerLength = header.length;
    this.segments = SegmentFormat.segments(size, segmentBytes);
    this.key = new SecretKeySpec(dataKey, "AES");
    Arrays.fill(dataKey, (byte) 0);
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable in this JVM", e);
    }
    ByteBuffer onDisk = ByteBuffer.allocate(header.length);
    readFully(onDisk, 0);
    if (onDisk.hasRemaining() || !Arrays.equals(onDisk.array(), header)) {
      throw new MediaCorruptException("media " + id + ": the file header is damaged or belongs to another object");
    }
    long expected = SegmentFormat.fileLength(headerLength, size, segmentBytes);
    long actual = channel.size();
    if (actual != expected) {
      throw new MediaCorruptException("media " + id + ": the file is " + actual + " bytes but must be " + expected
          + " (" + (actual < expected ? "truncated" : "extended") + ")");
    }
    this.aad = SegmentFormat.aadBuffer(SegmentFormat.headerHash(header));
    this.sealed = ByteBuffer.allocate(segmentBytes + SegmentFormat.OVERHEAD);
    this.plain = new byte[segmentBytes];
    if (offset >= size) {
      nextSegment = segments; // at the end; nothing to read
    } else {
      nextSegment = offset / segmentBytes;
      loadSegment();
      plainPos = (int) (offset % segmentBytes);
    }
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("media " + id + ": stream closed");
    }
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (plainPos == plainLen) {
      if (nextSegment >= segments) {
        return -1;
      }
      if (len >= SegmentFormat.plainLength(size, segmentBytes, nextSegment)) {
        return decryptNext(b, off);
      }
      loadSegment();
    }
    int n = Math.min(len, plainLen - plainPos);
    System.arraycopy(plain, plainPos, b, off, n);
    plainPos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      if (plainPos == plainLen) {
        if (nextSegment >= segments) {
          break;
        }
        loadSegment();
      }
      int step = (int) Math.min(n - skipped, plainLen - plainPos);
      plainPos += step;
      skipped += step;
    }
    return skipped;
  }

  @Override
  public int available() {
    return plainLen - plainPos;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      Arrays.fill(plain, (byte) 0);
      try {
        channel.close();
      } finally {
        onClose.run();
      }
    }
  }

  private void loadSegment() throws IOException {
    plainPos = 0;
    plainLen = 0;
    plainLen = decryptNext(plain, 0);
  }

  /** Reads, checks and decrypts the next segment into {@code into} at {@code at}; returns its length. */
  private int decryptNext(byte[] into, int at) throws IOException {
    long index = nextSegment;
    int plainLength = SegmentFormat.plainLength(size, segmentBytes, index);
    sealed.clear().limit(plainLength + SegmentFormat.OVERHEAD);
    readFully(sealed, SegmentFormat.segmentOffset(headerLength, segmentBytes, index));
    if (sealed.hasRemaining()) {
      throw new MediaCorruptException("media " + id + ": segment " + index + " is truncated");
    }
    SegmentFormat.aad(aad, index, index == segments - 1);
    int n;
    try {
      cipher.init(Cipher.DECRYPT_MODE, key,
          new GCMParameterSpec(SegmentFormat.TAG_BITS, sealed.array(), 0, SegmentFormat.NONCE));
      cipher.updateAAD(aad);
      n = cipher.doFinal(sealed.array(), SegmentFormat.NONCE, plainLength + SegmentFormat.TAG, into, at);
    } catch (AEADBadTagException e) {
      Arrays.fill(into, at, at + plainLength, (byte) 0); // nothing unauthenticated stays behind
      throw new MediaCorruptException("media " + id + ": segment " + index + " of " + segments
          + " failed authentication (tampered, reordered, from another file, or truncated)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
    nextSegment = index + 1;
    return n;
  }

  private void readFully(ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, at);
      if (n < 0) {
        return;
      }
      at += n;
    }
  }
}
