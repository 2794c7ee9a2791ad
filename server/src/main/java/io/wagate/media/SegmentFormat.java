package io.wagate.media;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The on-disk layout of one encrypted media file (see docs/MEDIA.md):
 *
 * <pre>
 * header:   magic "WGMD\r\n\x1a\n" (8) | version u8 = 1 | reserved u8 = 0 | segment size u32
 *           | id length u8 | id (ASCII)
 * segments: nonce (12) | AES-256-GCM ciphertext (segment size, the last 0..segment size) | tag (16)
 * AAD of segment i: SHA-256(header) (32) | i u64 | final u8 (1 on the last segment, else 0)
 * </pre>
 *
 * An empty object has one empty final segment, so dropping every segment is detected like any
 * truncation. Stateless and thread-safe.
 */
final class SegmentFormat {
  static final byte[] MAGIC = {'W', 'G', 'M', 'D', '\r', '\n', 0x1A, '\n'};
  static final int VERSION = 1;
  static final int NONCE = 12;
  static final int TAG = 16;
  static final int OVERHEAD = NONCE + TAG;
  static final int TAG_BITS = TAG * 8;
  private static final int FIXED_HEADER = MAGIC.length + 1 + 1 + 4 + 1;

  private SegmentFormat() {}

  /** The header of the file of object {@code id}. */
  static byte[] header(String id, int segmentBytes) {
    byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(FIXED_HEADER + idBytes.length)
        .put(MAGIC).put((byte) VERSION).put((byte) 0).putInt(segmentBytes)
        .put((byte) idBytes.length).put(idBytes).array();
  }

  /** Header length for an id of {@code idLength} ASCII characters. */
  static int headerLength(int idLength) {
    return FIXED_HEADER + idLength;
  }

  /** Number of segments of an object of {@code size} bytes: at least one. */
  static long segments(long size, int segmentBytes) {
    return Math.max(1, (size + segmentBytes - 1) / segmentBytes);
  }

  /** Plaintext length of segment {@code index}. */
  static int plainLength(long size, int segmentBytes, long index) {
    return (int) Math.min(segmentBytes, size - index * segmentBytes);
  }

  /** The length the file of an object must have. */
  static long fileLength(int headerLength, long size, int segmentBytes) {
    return headerLength + segments(size, segmentBytes) * OVERHEAD + size;
  }

  /** Offset of segment {@code index} in the file. */
  static long segmentOffset(int headerLength, int segmentBytes, long index) {
    return headerLength + index * (long) (segmentBytes + OVERHEAD);
  }

  static byte[] headerHash(byte[] header) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(header);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Writes the AAD of segment {@code index} into {@code aad} (41 bytes, prefix already holding the header hash). */
  static void aad(byte[] aad, long index, boolean last) {
    ByteBuffer.wrap(aad, 32, 9).putLong(index).put((byte) (last ? 1 : 0));
  }

  /** A fresh AAD buffer starting with the header hash. */
  static byte[] aadBuffer(byte[] headerHash) {
    return Arrays.copyOf(headerHash, 32 + 9);
  }
}
