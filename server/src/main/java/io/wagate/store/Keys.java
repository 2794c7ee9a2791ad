package io.wagate.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key encodings. RocksDB orders keys by unsigned byte comparison, so numbers are written
 * big-endian and fixed-width: then key order is numeric order.
 *
 * <p>Composite keys are {@link #concat concatenations} of fixed-width parts; a variable-width
 * part ({@link #utf8}) belongs last, or the parts after it stop sorting as expected.
 *
 * <p>Stateless and thread-safe. The two bound constants are shared arrays: never modify them.
 */
public final class Keys {

  /** The smallest key: the empty array. A lower bound that includes every key. */
  public static final byte[] MIN = new byte[0];

  /**
   * An exclusive upper bound above every key we use: 16 bytes of {@code 0xFF}.
   *
   * <p>Assumption: no key starts with 16 {@code 0xFF} bytes. Our keys start with a type tag, a
   * UTF-8 string (which never contains {@code 0xFF}) or non-negative {@link #u64} fields (first
   * byte at most {@code 0x7F}), so this holds.
   */
  public static final byte[] MAX = filled(16, (byte) 0xFF);

  private Keys() {}

  /** Encodes {@code v} as 8 bytes big-endian; non-negative values sort numerically. */
  public static byte[] u64(long v) {
    return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
  }

  /**
   * Decodes 8 big-endian bytes of {@code b} starting at {@code offset}.
   *
   * @throws IndexOutOfBoundsException if fewer than 8 bytes follow {@code offset}
   */
  public static long u64(byte[] b, int offset) {
    return ByteBuffer.wrap(b).getLong(offset);
  }

  /** Encodes {@code s} as UTF-8 (variable width: put it last in a composite key). */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Returns the parts one after another in a new array. */
  public static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  /**
   * Returns the smallest key greater than every key starting with {@code prefix}, for use as the
   * exclusive end of a prefix scan: trailing {@code 0xFF} bytes are dropped and the last remaining
   * byte incremented. An empty or all-{@code 0xFF} prefix has no such key; {@link #MAX} is
   * returned.
   */
  public static byte[] prefixUpperBound(byte[] prefix) {
    int last = prefix.length - 1;
    while (last >= 0 && prefix[last] == (byte) 0xFF) {
      last--;
    }
    if (last < 0) {
      return MAX;
    }
    byte[] bound = Arrays.copyOf(prefix, last + 1);
    bound[last]++;
    return bound;
  }

  private static byte[] filled(int length, byte value) {
    byte[] b = new byte[length];
    Arrays.fill(b, value);
    return b;
  }
}
