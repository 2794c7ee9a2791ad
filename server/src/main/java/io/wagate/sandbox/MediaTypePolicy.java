package io.wagate.sandbox;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Meta's media types and per-type size caps (reference §3.6, §1.3): which MIME types
 * {@code POST /{number}/media} takes, and how large each may be.
 *
 * <p>Stateless; safe from any thread.
 */
final class MediaTypePolicy {

    private static final long MB = 1024L * 1024;
    private static final long KB = 1024L;
    /** Static stickers; animated ones (WebP with the VP8X animation flag) may be 500 KB. */
    static final long STATIC_STICKER_MAX = 100 * KB;
    static final long ANIMATED_STICKER_MAX = 500 * KB;

    /** The kind of media and its cap, by MIME type without parameters. */
    record Kind(String kind, long maxBytes) {
    }

    private static final Map<String, Kind> TYPES = types();

    private MediaTypePolicy() {
    }

    /** The kind of {@code mimeType} (parameters such as {@code ; codecs=opus} ignored), empty if Meta refuses it. */
    static Optional<Kind> kindOf(String mimeType) {
        return mimeType == null ? Optional.empty() : Optional.ofNullable(TYPES.get(baseType(mimeType)));
    }

    /** The cap for these bytes of this kind: stickers depend on whether the WebP is animated. */
    static long maxBytes(Kind kind, byte[] head) {
        if (kind.kind().equals("sticker")) {
            return animatedWebp(head) ? ANIMATED_STICKER_MAX : STATIC_STICKER_MAX;
        }
        return kind.maxBytes();
    }

    /** The accepted MIME types, comma separated, as Meta lists them in its refusal. */
    static String accepted() {
        return String.join(", ", TYPES.keySet());
    }

    static String baseType(String mimeType) {
        int semi = mimeType.indexOf(';');
        return (semi < 0 ? mimeType : mimeType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** RIFF....WEBPVP8X with the animation bit (0x02) of the flags byte set. */
    private static boolean animatedWebp(byte[] b) {
        return b != null && b.length > 20 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P'
                && b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == 'X' && (b[20] & 0x02) != 0;
    }

    private static Map<String, Kind> types() {
        Map<String, Kind> m = new TreeMap<>();
        for (String t : new String[] {"audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"}) {
            m.put(t, new Kind("audio", 16 * MB));
        }
        for (String t : new String[] {"text/plain", "application/pdf", "application/msword",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-powerpoint",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"}) {
            m.put(t, new Kind("document", MediaOptions.MAX_MEDIA_BYTES));
        }
        m.put("image/jpeg", new Kind("image", 5 * MB));
        m.put("image/png", new Kind("image", 5 * MB));
        m.put("image/webp", new Kind("sticker", ANIMATED_STICKER_MAX));
        m.put("video/mp4", new Kind("video", 16 * MB));
        m.put("video/3gpp", new Kind("video", 16 * MB));
        return java.util.Collections.unmodifiableMap(m);
    }
}
