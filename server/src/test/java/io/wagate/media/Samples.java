package io.wagate.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Minimal files of each type: the magic bytes the sniffer looks for, then filler. */
final class Samples {
  private Samples() {}

  static byte[] withMagic(int size, int... magic) {
    byte[] b = MediaFixture.pattern(size, size);
    for (int i = 0; i < magic.length; i++) {
      b[i] = (byte) magic[i];
    }
    return b;
  }

  static byte[] jpeg(int size) {
    return withMagic(size, 0xFF, 0xD8, 0xFF, 0xE0);
  }

  static byte[] png(int size) {
    return withMagic(size, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
  }

  static byte[] pdf(int size) {
    return withMagic(size, '%', 'P', 'D', 'F', '-', '1', '.', '7');
  }

  static byte[] webp(int size, boolean animated) {
    byte[] b = withMagic(size, 'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0,
        animated ? 0x02 : 0x00);
    return b;
  }

  static byte[] mp4(int size, String brand) {
    byte[] b = withMagic(size, 0, 0, 0, 0x20, 'f', 't', 'y', 'p');
    System.arraycopy(brand.getBytes(StandardCharsets.US_ASCII), 0, b, 8, 4);
    return b;
  }

  static byte[] ooxml(int size, String part) {
    byte[] b = withMagic(size, 'P', 'K', 3, 4);
    byte[] names = ("[Content_Types].xml....._rels/.rels...." + part).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(names, 0, b, 30, names.length);
    return b;
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] repeat(String s, int size) {
    byte[] unit = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = unit[i % unit.length];
    }
    return Arrays.copyOf(out, size);
  }
}
