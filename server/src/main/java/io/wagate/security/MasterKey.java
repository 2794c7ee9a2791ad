package io.wagate.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * The appliance's 256-bit master key. It never encrypts data itself: it wraps the random per-object
 * data keys (AES-256-GCM, bound to a caller-given context such as the object id) and proves, by a
 * {@link #verifier() verifier}, that it is the key a store was written with.
 *
 * <p>The key's {@link #id() id} is a fingerprint, the first 8 bytes of HMAC-SHA256(key,
 * "wagate-master-key-id") in hex; it identifies the key in messages and records without revealing
 * it. {@link #toString()} shows only the id and where the key came from.
 *
 * <p>Load one with {@link MasterKeys}. Thread-safe; {@link #destroy()} zeroes the key bytes, after
 * which every use fails with {@link IllegalStateException}.
 */
public final class MasterKey implements Destroyable {
  /** Key length in bytes. */
  public static final int LENGTH = 32;

  private static final byte[] ID_LABEL = "wagate-master-key-id".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VERIFIER_LABEL =
      "wagate-master-key-verifier-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte VERIFIER_VERSION = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final String id;
  private final String source;
  private volatile boolean destroyed;

  private MasterKey(byte[] key, String source) {
    this.key = key;
    this.source = source;
    this.id = HexFormat.of().formatHex(hmac(key, ID_LABEL), 0, 8);
  }

  /**
   * Returns a master key holding a copy of {@code key}.
   *
   * @param source where the key came from (a path, "passphrase"), used only in messages
   * @throws IllegalArgumentException if {@code key} is not {@value #LENGTH} bytes
   */
  public static MasterKey of(byte[] key, String source) {
    Objects.requireNonNull(key, "key");
    if (key.length != LENGTH) {
      throw new IllegalArgumentException("a master key is " + LENGTH + " bytes, got " + key.length);
    }
    return new MasterKey(key.clone(), Objects.requireNonNull(source, "source"));
  }

  /** Returns a new random master key from a {@link SecureRandom}. */
  public static MasterKey generate(String source) {
    byte[] k = new byte[LENGTH];
    RANDOM.nextBytes(k);
    return new MasterKey(k, Objects.requireNonNull(source, "source"));
  }

  /** The key's fingerprint: 16 hex characters, safe to log and store. */
  public String id() {
    return id;
  }

  /** Where the key came from (a path or "passphrase"), for messages. */
  public String source() {
    return source;
  }

  /**
   * Encrypts {@code secret} (a data key) under this key with AES-256-GCM and a random nonce, bound
   * to {@code context}: {@link #unwrap} succeeds only with the same context.
   *
   * @return nonce (12 bytes), ciphertext, tag (16 bytes)
   */
  public byte[] wrap(byte[] secret, byte[] context) {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce);
      c.updateAAD(context);
      byte[] out = new byte[NONCE + c.getOutputSize(secret.length)];
      System.arraycopy(nonce, 0, out, 0, NONCE);
      c.doFinal(secret, 0, secret.length, out, NONCE);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable in this JVM", e);
    }
  }

  /**
   * Decrypts what {@link #wrap} returned for the same {@code context}.
   *
   * @throws MasterKeyException if the wrapped bytes were made by another key, for another context,
   *     or were damaged (the message carries no key material)
   */
  public byte[] unwrap(byte[] wrapped, byte[] context) {
    if (wrapped.length < NONCE + TAG_BITS / 8) {
      throw new MasterKeyException("a wrapped key is too short (" + wrapped.length + " bytes)");
    }
    try {
      Cipher c = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(wrapped, NONCE));
      c.updateAAD(context);
      return c.doFinal(wrapped, NONCE, wrapped.length - NONCE);
    } catch (AEADBadTagException e) {
      throw new MasterKeyException("a wrapped key does not open with master key " + id
          + ": wrapped by another key, or damaged");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable in this JVM", e);
    }
  }

  /**
   * Returns a verifier of this key, to be stored beside the data: a version byte, the key id and an
   * HMAC of a constant under the key. It reveals nothing about the key beyond its id.
   */
  public byte[] verifier() {
    byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
    byte[] mac = hmac(live(), VERIFIER_LABEL);
    return ByteBuffer.allocate(2 + idBytes.length + mac.length)
        .put(VERIFIER_VERSION).put((byte) idBytes.length).put(idBytes).put(mac).array();
  }

  /** Returns whether {@code verifier} (from {@link #verifier()}) was made by this key; constant time. */
  public boolean matches(byte[] verifier) {
    return MessageDigest.isEqual(verifier(), verifier);
  }

  /**
   * Returns the key id recorded in a {@link #verifier()}.
   *
   * @throws MasterKeyException if {@code verifier} is malformed
   */
  public static String verifierKeyId(byte[] verifier) {
    if (verifier.length < 2 || verifier[0] != VERIFIER_VERSION || verifier.length < 2 + verifier[1]) {
      throw new MasterKeyException("the stored master key verifier is malformed");
    }
    return new String(verifier, 2, verifier[1], StandardCharsets.US_ASCII);
  }

  /** Zeroes the key bytes. Idempotent. */
  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Shows the id and source only, never key material. */
  @Override
  public String toString() {
    return "MasterKey[id=" + id + ", source=" + source + (destroyed ? ", destroyed" : "") + "]";
  }

  /** Returns the key bytes to {@link MasterKeys} for writing a key file; a copy. */
  byte[] encoded() {
    return live().clone();
  }

  private byte[] live() {
    if (destroyed) {
      throw new IllegalStateException("master key " + id + " has been destroyed");
    }
    return key;
  }

  private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(live(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    return c;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
    }
  }
}
