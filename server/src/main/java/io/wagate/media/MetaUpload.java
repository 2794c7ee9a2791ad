package io.wagate.media;

/**
 * A copy of an object held by Meta for one business phone number.
 *
 * @param phoneNumberId   the business number the media id belongs to
 * @param metaMediaId     Meta's media id
 * @param expiresAtMillis when Meta forgets it (uploads: 30 days; webhook media ids: 7 days)
 */
public record MetaUpload(String phoneNumberId, String metaMediaId, long expiresAtMillis) {
  /** Requires non-empty ids. */
  public MetaUpload {
    if (phoneNumberId == null || phoneNumberId.isEmpty() || metaMediaId == null || metaMediaId.isEmpty()) {
      throw new IllegalArgumentException("phone_number_id and meta media id are required");
    }
  }

  /** Whether Meta still has it at {@code nowMillis}. */
  public boolean validAt(long nowMillis) {
    return nowMillis < expiresAtMillis;
  }
}
