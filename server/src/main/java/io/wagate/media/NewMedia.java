package io.wagate.media;

import java.util.Objects;

/**
 * What a caller declares when it starts storing an object.
 *
 * @param mimeType     declared MIME type; parameters ({@code ; codecs=opus}) are dropped and the
 *                     type lower-cased
 * @param declaredSize exact number of bytes that will be written, required
 * @param owner        the client name, or {@code meta:<phone-number-id>} for inbound media
 * @param kind         inbound or outbound
 * @param filename     optional original file name (documents), or null
 */
public record NewMedia(String mimeType, long declaredSize, String owner, MediaKind kind, String filename) {
  /** Maximum length of owner and filename. */
  public static final int MAX_TEXT = 512;

  /** Validates and normalises; the message names the field. */
  public NewMedia {
    Objects.requireNonNull(kind, "kind");
    if (mimeType == null || mimeType.isBlank()) {
      throw new IllegalArgumentException("mime_type is required");
    }
    mimeType = MediaTypes.normalize(mimeType);
    if (declaredSize < 0) {
      throw new IllegalArgumentException("declared size must be >= 0, got " + declaredSize);
    }
    if (owner == null || owner.isEmpty() || owner.length() > MAX_TEXT) {
      throw new IllegalArgumentException("owner is required and at most " + MAX_TEXT + " characters");
    }
    if (filename != null && (filename.isEmpty() || filename.length() > MAX_TEXT)) {
      throw new IllegalArgumentException("filename must be 1.." + MAX_TEXT + " characters when given");
    }
  }

  /** An outbound object without file name. */
  public static NewMedia outbound(String mimeType, long size, String owner) {
    return new NewMedia(mimeType, size, owner, MediaKind.OUTBOUND, null);
  }

  /** An inbound object received on {@code phoneNumberId}. */
  public static NewMedia inbound(String mimeType, long size, String phoneNumberId) {
    return new NewMedia(mimeType, size, "meta:" + phoneNumberId, MediaKind.INBOUND, null);
  }
}
