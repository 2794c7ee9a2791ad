package io.wagate.security;

import java.util.Base64;

/**
 * Argon2id parameters for deriving the master key from a passphrase (RFC 9106). Stored in a small
 * text file beside the data, so the same passphrase always derives the same key; the salt is not
 * secret.
 *
 * @param memoryKib   memory cost in KiB (at least 8 × parallelism)
 * @param iterations  time cost, at least 1
 * @param parallelism lanes, at least 1
 * @param salt        at least 16 random bytes
 */
public record KdfParams(int memoryKib, int iterations, int parallelism, byte[] salt) {
  /** Default memory: 64 MiB, RFC 9106's second recommended option, about 0.3 s here. */
  public static final int DEFAULT_MEMORY_KIB = 64 * 1024;
  /** Default passes over memory. */
  public static final int DEFAULT_ITERATIONS = 3;
  /** One lane: the appliance's machines have 2 cores shared with the server. */
  public static final int DEFAULT_PARALLELISM = 1;
  /** Salt length for new parameters. */
  public static final int SALT_BYTES = 16;

  /** Validates; messages name the parameter. */
  public KdfParams {
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException("argon2id parallelism must be 1..64, got " + parallelism);
    }
    if (memoryKib < 8 * parallelism || memoryKib > 4 * 1024 * 1024) {
      throw new IllegalArgumentException("argon2id memory_kib must be between 8 × parallelism and 4194304, got "
          + memoryKib);
    }
    if (iterations < 1 || iterations > 100) {
      throw new IllegalArgumentException("argon2id iterations must be 1..100, got " + iterations);
    }
    if (salt == null || salt.length < SALT_BYTES) {
      throw new IllegalArgumentException("argon2id salt must be at least " + SALT_BYTES + " bytes");
    }
    salt = salt.clone();
  }

  /** The salt, a copy. */
  @Override
  public byte[] salt() {
    return salt.clone();
  }

  /** Shows the costs and the salt in base64 (the salt is not secret). */
  @Override
  public String toString() {
    return "argon2id(m=" + memoryKib + "KiB, t=" + iterations + ", p=" + parallelism + ", salt="
        + Base64.getEncoder().encodeToString(salt) + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KdfParams p && p.memoryKib == memoryKib && p.iterations == iterations
        && p.parallelism == parallelism && java.util.Arrays.equals(p.salt, salt);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(memoryKib, iterations, parallelism, java.util.Arrays.hashCode(salt));
  }
}
