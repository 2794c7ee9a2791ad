package io.wagate.media;

/**
 * Which objects {@link EncryptedMediaStore#list} returns; a null field matches everything.
 *
 * @param kind  only this kind
 * @param owner only this owner
 */
public record MediaFilter(MediaKind kind, String owner) {
  /** Matches every object. */
  public static final MediaFilter ALL = new MediaFilter(null, null);

  /** Whether {@code o} passes. */
  public boolean matches(MediaObject o) {
    return (kind == null || o.kind() == kind) && (owner == null || o.owner().equals(owner));
  }
}
