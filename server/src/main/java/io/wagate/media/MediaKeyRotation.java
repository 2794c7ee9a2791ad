package io.wagate.media;

import io.wagate.security.KeyRing;
import io.wagate.security.MasterKey;
import io.wagate.security.MasterKeys;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Key rotation in key-file mode: ties {@link EncryptedMediaStore#rotate} to the key files handled
 * by {@link MasterKeys}.
 *
 * <ol>
 *   <li>{@link MasterKeys#prepareNext}: the new key is written to {@code <keyfile>.next} (0600);
 *   <li>{@link EncryptedMediaStore#rotate}: every data key re-wrapped, durably and resumably, then
 *       the store's verifier switched to the new key;
 *   <li>{@link MasterKeys#promoteNext}: the old key kept as {@code <keyfile>.old}, {@code .next}
 *       renamed over the key file.
 * </ol>
 *
 * A crash anywhere is finished by {@link #resumeOnStart} on the next start, which needs the store
 * opened with {@link MasterKeys#loadRing} (current key and, if present, {@code .next}).
 * Stateless; callers keep one rotation at a time per key file.
 */
public final class MediaKeyRotation {
  private MediaKeyRotation() {}

  /** Rotates the store to a new key kept in {@code keyFile}; returns the finished progress. */
  public static RotationProgress rotateKeyFile(EncryptedMediaStore store, Path keyFile) {
    MasterKey next = MasterKeys.prepareNext(keyFile);
    RotationProgress progress = store.rotate(next);
    MasterKeys.promoteNext(keyFile);
    return progress;
  }

  /**
   * At start, after {@link EncryptedMediaStore#open} with {@code ring} from
   * {@link MasterKeys#loadRing}: finishes an interrupted rotation (re-wrapping what is left and
   * swapping the key files) when {@code <keyfile>.next} exists; otherwise deletes a
   * {@code <keyfile>.old} left by the previous rotation.
   *
   * @return the rotation's progress when one was finished here
   */
  public static Optional<RotationProgress> resumeOnStart(EncryptedMediaStore store, Path keyFile, KeyRing ring) {
    if (ring.next().isPresent()) {
      RotationProgress progress = store.rotate(ring.next().get());
      MasterKeys.promoteNext(keyFile);
      return Optional.of(progress);
    }
    MasterKeys.deleteOld(keyFile);
    return Optional.empty();
  }
}
