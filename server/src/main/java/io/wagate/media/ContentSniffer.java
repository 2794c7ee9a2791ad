package io.wagate.media;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Recognises media types from their first bytes (magic numbers), so a declared type is checked,
 * not trusted. Only the types WhatsApp accepts are recognised; anything else is {@code null}.
 * {@code text/plain} has no magic: it is checked over the whole stream by {@link TextCheck}.
 *
 * <p>Stateless and thread-safe ({@link TextCheck} instances are not).
 */
final class ContentSniffer {
  /** How many leading bytes the sniffer looks at. */
  static final int HEAD_BYTES = 4096;

  private ContentSniffer() {}

  /** Returns the detected type of content starting with {@code head[0..len)}, or null. */
  static String sniff(byte[] head, int len) {
    if (starts(head, len, 0, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(head, len, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return "image/png";
    }
    if (starts(head, len, 0, 'R', 'I', 'F', 'F') && starts(head, len, 8, 'W', 'E', 'B', 'P')) {
      return MediaTypes.WEBP;
    }
    if (starts(head, len, 4, 'f', 't', 'y', 'p') && len >= 12) {
      if (starts(head, len, 8, '3', 'g')) {
        return "video/3gpp";
      }
      if (starts(head, len, 8, 'M', '4', 'A') || starts(head, len, 8, 'M', '4', 'B')) {
        return "audio/mp4";
      }
      return "video/mp4";
    }
    if (starts(head, len, 0, 'O', 'g', 'g', 'S')) {
      return "audio/ogg";
    }
    if (starts(head, len, 0, '#', '!', 'A', 'M', 'R')) {
      return "audio/amr";
    }
    if (starts(head, len, 0, 'I', 'D', '3')) {
      return "audio/mpeg-id3";
    }
    if (len >= 2 && (head[0] & 0xFF) == 0xFF) {
      int b1 = head[1] & 0xFF;
      if ((b1 & 0xF6) == 0xF0) {
        return "audio/aac"; // ADTS: 12-bit sync, layer 00
      }
      if ((b1 & 0xE0) == 0xE0 && (b1 & 0x06) != 0) {
        return "audio/mpeg"; // MPEG audio frame sync, layer I-III
      }
    }
    if (starts(head, len, 0, '%', 'P', 'D', 'F', '-')) {
      return "application/pdf";
    }
    if (starts(head, len, 0, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
      return MediaTypes.OLE2;
    }
    if (starts(head, len, 0, 'P', 'K', 3, 4)) {
      return ooxml(head, len);
    }
    return null;
  }

  /** Whether a WebP starting with {@code head} is animated (VP8X chunk with the animation flag). */
  static boolean isAnimatedWebp(byte[] head, int len) {
    return starts(head, len, 12, 'V', 'P', '8', 'X') && len > 20 && (head[20] & 0x02) != 0;
  }

  /** A zip: which Office Open XML document, judging by the part names in its first entries. */
  private static String ooxml(byte[] head, int len) {
    boolean word = contains(head, len, "word/");
    boolean excel = contains(head, len, "xl/");
    boolean ppt = contains(head, len, "ppt/");
    int families = (word ? 1 : 0) + (excel ? 1 : 0) + (ppt ? 1 : 0);
    if (families == 1) {
      return word ? MediaTypes.DOCX : excel ? MediaTypes.XLSX : MediaTypes.PPTX;
    }
    if (families > 1 || contains(head, len, "[Content_Types].xml")) {
      return MediaTypes.OOXML;
    }
    return MediaTypes.ZIP;
  }

  private static boolean starts(byte[] b, int len, int at, int... magic) {
    if (len < at + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[at + i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(byte[] b, int len, String ascii) {
    byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + needle.length <= len; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (b[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Checks, incrementally and in constant memory, that a stream is UTF-8 without NUL characters. */
  static final class TextCheck {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer chars = CharBuffer.allocate(8192);
    private final ByteBuffer carry = ByteBuffer.allocate(8);
    private boolean ok = true;

    /** Feeds the next bytes. */
    void update(byte[] b, int off, int len) {
      if (!ok) {
        return;
      }
      for (int i = off; i < off + len; i++) {
        if (b[i] == 0) {
          ok = false;
          return;
        }
      }
      ByteBuffer in = ByteBuffer.wrap(b, off, len);
      if (carry.position() > 0) {
        // finish a sequence split across calls byte by byte, then continue with the rest
        while (in.hasRemaining() && carry.position() > 0) {
          carry.put(in.get());
          carry.flip();
          decode(carry, false);
          carry.compact();
          if (!ok) {
            return;
          }
        }
      }
      decode(in, false);
      if (ok && in.hasRemaining()) {
        carry.put(in);
      }
    }

    /** Whether everything fed was UTF-8 without NUL, including a complete last character. */
    boolean finish() {
      if (ok) {
        carry.flip();
        decode(carry, true);
        ok = ok && !carry.hasRemaining();
      }
      return ok;
    }

    private void decode(ByteBuffer in, boolean last) {
      while (true) {
        chars.clear();
        CoderResult r = decoder.decode(in, chars, last);
        if (r.isError()) {
          ok = false;
          return;
        }
        if (r.isUnderflow()) {
          return;
        }
      }
    }
  }
}
