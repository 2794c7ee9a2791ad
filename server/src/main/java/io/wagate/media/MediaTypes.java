package io.wagate.media;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Meta's media types and per-type size caps (Cloud API reference §3.6), and which sniffed content
 * is compatible with which declared type.
 *
 * <p>Caps use decimal units (5 MB = 5,000,000 bytes): Meta states them in MB without saying which,
 * and the stricter reading never lets through a file Meta would then refuse.
 *
 * <p>Stateless and thread-safe.
 */
public final class MediaTypes {
  /** Inbound media from users: any type Meta delivers, up to 100 MB. */
  public static final long INBOUND_MAX_BYTES = 100_000_000L;
  /** Static WebP stickers. */
  public static final long STICKER_STATIC_MAX_BYTES = 100_000L;
  /** Animated WebP stickers. */
  public static final long STICKER_ANIMATED_MAX_BYTES = 500_000L;

  static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  static final String MSWORD = "application/msword";
  static final String MSEXCEL = "application/vnd.ms-excel";
  static final String MSPOWERPOINT = "application/vnd.ms-powerpoint";
  static final String WEBP = "image/webp";
  static final String TEXT = "text/plain";

  /** What the sniffer reports for OLE2 compound files (legacy Office) and generic OOXML zips. */
  static final String OLE2 = "application/x-ole-storage";
  static final String OOXML = "application/x-ooxml";
  static final String ZIP = "application/zip";

  private static final Map<String, Long> OUTBOUND_CAPS = Map.ofEntries(
      Map.entry("image/jpeg", 5_000_000L),
      Map.entry("image/png", 5_000_000L),
      Map.entry("video/mp4", 16_000_000L),
      Map.entry("video/3gpp", 16_000_000L),
      Map.entry("audio/aac", 16_000_000L),
      Map.entry("audio/amr", 16_000_000L),
      Map.entry("audio/mpeg", 16_000_000L),
      Map.entry("audio/mp4", 16_000_000L),
      Map.entry("audio/ogg", 16_000_000L),
      Map.entry(TEXT, 100_000_000L),
      Map.entry("application/pdf", 100_000_000L),
      Map.entry(MSWORD, 100_000_000L),
      Map.entry(DOCX, 100_000_000L),
      Map.entry(MSEXCEL, 100_000_000L),
      Map.entry(XLSX, 100_000_000L),
      Map.entry(MSPOWERPOINT, 100_000_000L),
      Map.entry(PPTX, 100_000_000L),
      Map.entry(WEBP, STICKER_ANIMATED_MAX_BYTES));

  /** Declared type → sniffed types that satisfy it, beyond the type itself. */
  private static final Map<String, Set<String>> ALSO_ACCEPTS = Map.of(
      "audio/mp4", Set.of("video/mp4"),
      "audio/aac", Set.of("audio/mpeg-id3"),
      "audio/mpeg", Set.of("audio/mpeg-id3"),
      MSWORD, Set.of(OLE2),
      MSEXCEL, Set.of(OLE2),
      MSPOWERPOINT, Set.of(OLE2),
      DOCX, Set.of(OOXML),
      XLSX, Set.of(OOXML),
      PPTX, Set.of(OOXML));

  private MediaTypes() {}

  /** Lower-cases {@code mimeType} and drops parameters: {@code "Audio/OGG; codecs=opus"} → {@code "audio/ogg"}. */
  public static String normalize(String mimeType) {
    int semi = mimeType.indexOf(';');
    return (semi < 0 ? mimeType : mimeType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** The types Meta accepts for outbound media. */
  public static Set<String> outboundTypes() {
    return OUTBOUND_CAPS.keySet();
  }

  /**
   * The largest outbound object of {@code mimeType} (for WebP the animated cap; a static sticker is
   * held to {@link #STICKER_STATIC_MAX_BYTES} once its bytes are seen).
   *
   * @throws UnsupportedMediaTypeException if Meta does not accept the type
   */
  public static long outboundCap(String mimeType) {
    Long cap = OUTBOUND_CAPS.get(normalize(mimeType));
    if (cap == null) {
      throw new UnsupportedMediaTypeException("media type '" + mimeType + "' is not accepted by WhatsApp; use one of "
          + String.join(", ", new java.util.TreeSet<>(OUTBOUND_CAPS.keySet())));
    }
    return cap;
  }

  /** Whether content sniffed as {@code detected} (null: unrecognised) may be stored as {@code declared}. */
  static boolean compatible(String declared, String detected) {
    if (detected == null) {
      return false;
    }
    return declared.equals(detected) || ALSO_ACCEPTS.getOrDefault(declared, Set.of()).contains(detected);
  }

  /** The name to show for a sniffed type in messages. */
  static String describe(String detected) {
    if (detected == null) {
      return "unrecognised content";
    }
    switch (detected) {
      case OLE2: return "a legacy Office (OLE2) file";
      case OOXML: return "an Office Open XML (zip) file";
      case ZIP: return "a zip archive";
      case "audio/mpeg-id3": return "audio/mpeg (ID3-tagged)";
      default: return detected;
    }
  }
}
