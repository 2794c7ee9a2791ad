package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bytes of an injected inbound image, audio, video, document or sticker: given, or generated
 * (random bytes of a given size). The sandbox stores them as a webhook media id of the receiving
 * number (living {@link MediaOptions#inboundTtl()}, Meta: 7 days), so the id in the webhook
 * downloads to exactly these bytes and its {@code sha256} is theirs.
 *
 * <p>Control API JSON (field {@code media} of {@code POST /_sandbox/inbound}):
 * {@code {"base64":"..."}} or {@code {"size":123456}}, with an optional {@code "mime_type"}.
 *
 * @param bytes the content; null to generate {@code size} random bytes
 * @param size how many bytes to generate when {@code bytes} is null (0..100 MB)
 * @param mimeType the MIME type to declare; null for the type's default (or the type object's {@code mime_type})
 */
public record InboundMedia(byte[] bytes, long size, String mimeType) {

    /** What an injected media message without {@code media} and without an id gets: a small generated file. */
    public static final InboundMedia DEFAULT = ofSize(1024);
    private static final Set<String> FIELDS = Set.of("base64", "size", "mime_type");

    public InboundMedia {
        if (bytes == null && (size < 0 || size > MediaOptions.MAX_MEDIA_BYTES)) {
            throw new IllegalArgumentException("media.size must be 0.." + MediaOptions.MAX_MEDIA_BYTES
                    + " (Meta refuses larger inbound media with 131052), got " + size);
        }
        if (bytes != null) {
            size = bytes.length;
        }
        if (mimeType != null && (mimeType.isBlank() || !mimeType.contains("/"))) {
            throw new IllegalArgumentException("media.mime_type must be a MIME type like image/png, got '"
                    + InboundSpec.abbreviate(mimeType) + "'");
        }
    }

    public static InboundMedia of(byte[] bytes, String mimeType) {
        return new InboundMedia(Objects.requireNonNull(bytes, "bytes").clone(), 0, mimeType);
    }

    public static InboundMedia ofSize(long size) {
        return new InboundMedia(null, size, null);
    }

    public InboundMedia withMimeType(String newMimeType) {
        return new InboundMedia(bytes, size, newMimeType);
    }

    /** The content: the given bytes, or {@code size} fresh random bytes. */
    byte[] content() {
        if (bytes != null) {
            return bytes;
        }
        byte[] b = new byte[(int) size];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static InboundMedia fromJson(JsonNode m) {
        if (!m.isObject()) {
            throw new IllegalArgumentException("media must be {\"base64\":\"...\"} or {\"size\":N}, with an optional mime_type");
        }
        for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field media." + InboundSpec.abbreviate(f)
                        + " (allowed: base64, size, mime_type)");
            }
        }
        String mime = InboundSpec.stringField(m, "mime_type");
        String b64 = InboundSpec.stringField(m, "base64");
        if (b64 != null) {
            if (m.has("size")) {
                throw new IllegalArgumentException("media takes base64 or size, not both");
            }
            try {
                return new InboundMedia(Base64.getDecoder().decode(b64), 0, mime);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("media.base64 is not base64: " + e.getMessage());
            }
        }
        JsonNode size = m.get("size");
        if (size == null || !size.isIntegralNumber()) {
            throw new IllegalArgumentException("media needs base64 (the bytes) or size (an integer: bytes to generate)");
        }
        return new InboundMedia(null, size.asLong(), mime);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboundMedia other && size == other.size && Arrays.equals(bytes, other.bytes)
                && Objects.equals(mimeType, other.mimeType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(bytes), size, mimeType);
    }

    @Override
    public String toString() {
        return "InboundMedia[" + size + " bytes" + (bytes == null ? ", generated" : "") + ", " + mimeType + "]";
    }
}
