package io.wagate.security;

import java.util.Objects;
import java.util.Optional;

/**
 * The master keys available at start: the current one and, while a rotation is in progress or
 * not yet finished, the next one.
 */
public final class KeyRing {
  private final MasterKey current;
  private final MasterKey next;

  private KeyRing(MasterKey current, MasterKey next) {
    this.current = Objects.requireNonNull(current, "current");
    this.next = next;
  }

  /** A ring of one key, no rotation. */
  public static KeyRing of(MasterKey current) {
    return new KeyRing(current, null);
  }

  /** A ring with a rotation target; {@code next} may be null. */
  public static KeyRing of(MasterKey current, MasterKey next) {
    return new KeyRing(current, next);
  }

  /** The key the data is (or, before a rotation finishes, was) written with. */
  public MasterKey current() {
    return current;
  }

  /** The key a rotation moves to, when one was prepared. */
  public Optional<MasterKey> next() {
    return Optional.ofNullable(next);
  }

  @Override
  public String toString() {
    return "KeyRing[current=" + current + (next == null ? "" : ", next=" + next) + "]";
  }
}
