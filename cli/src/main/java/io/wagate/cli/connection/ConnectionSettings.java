package io.wagate.cli.connection;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything needed to open a channel to Wagate, resolved and validated.
 *
 * @param target where to connect
 * @param plaintext true for an unencrypted connection
 * @param caFile PEM bundle to trust instead of the system's trust store, or null
 * @param certFile client certificate chain (PEM) for mutual TLS, or null
 * @param keyFile the client certificate's private key (PEM, PKCS#8), or null
 * @param authority the name to verify the server certificate against instead of the host, or null
 * @param timeout the deadline of each call
 */
public record ConnectionSettings(
    Target target,
    boolean plaintext,
    Path caFile,
    Path certFile,
    Path keyFile,
    String authority,
    Duration timeout) {

  /** Validates the combination; messages name the options. */
  public ConnectionSettings {
    if (target == null) {
      throw new IllegalArgumentException("--target is required");
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("--cert-file and --key-file must be given together");
    }
    if (plaintext && (caFile != null || certFile != null)) {
      throw new IllegalArgumentException("--plaintext cannot be combined with --ca-file, --cert-file or --key-file");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--timeout must be > 0, got " + timeout);
    }
  }

  /** Plaintext settings for {@code target} with a 10 s timeout; for tests and tools. */
  public static ConnectionSettings plaintext(Target target) {
    return new ConnectionSettings(target, true, null, null, null, null, Duration.ofSeconds(10));
  }
}
