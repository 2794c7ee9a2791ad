package io.wagate.media;

import java.util.List;
import java.util.Optional;

/**
 * A stored media object as callers see it. Immutable.
 *
 * @param id              our media id: 22 URL-safe characters, 128 random bits
 * @param mimeType        the declared (and, for outbound, sniffed-compatible) MIME type
 * @param size            plaintext bytes
 * @param sha256          SHA-256 of the plaintext, lower-case hex
 * @param owner           the client name, or {@code meta:<phone-number-id>}
 * @param kind            inbound or outbound
 * @param createdAtMillis when it was committed
 * @param filename        the original file name, or null
 * @param metaUploads     Meta's media ids for it, at most one per phone-number id
 * @param keyId           id of the master key wrapping its data key
 */
public record MediaObject(String id, String mimeType, long size, String sha256, String owner, MediaKind kind,
    long createdAtMillis, String filename, List<MetaUpload> metaUploads, String keyId) {

  /** Copies the list. */
  public MediaObject {
    metaUploads = List.copyOf(metaUploads);
  }

  /** Meta's media id for {@code phoneNumberId} if Meta still has it at {@code nowMillis}. */
  public Optional<MetaUpload> metaUpload(String phoneNumberId, long nowMillis) {
    return metaUploads.stream()
        .filter(u -> u.phoneNumberId().equals(phoneNumberId) && u.validAt(nowMillis))
        .findFirst();
  }

  /** The file name, if any. */
  public Optional<String> filenameOpt() {
    return Optional.ofNullable(filename);
  }
}
