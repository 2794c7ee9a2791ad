package io.wagate.cli.connection;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The connection options every command that talks to Wagate mixes in: {@code --target},
 * {@code --plaintext}, the TLS files and {@code --timeout}.
 *
 * <p>Plaintext is the default only for loopback targets without TLS files; anything else uses TLS
 * unless {@code --plaintext} is given.
 */
public final class ConnectionOptions {

  /** Default target when neither {@code --target} nor {@code WAGATE_TARGET} is set. */
  public static final String DEFAULT_TARGET = "127.0.0.1:7400";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:WAGATE_TARGET:-" + DEFAULT_TARGET + "}",
      converter = TargetConverter.class,
      description = "Wagate's gRPC address (env WAGATE_TARGET; default: ${DEFAULT-VALUE}).")
  private Target target;

  @Option(
      names = "--plaintext",
      negatable = true,
      description = "Connect without TLS. Default: on for loopback targets without TLS files, off otherwise.")
  private Boolean plaintext;

  @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificates to trust (default: the system's).")
  private Path caFile;

  @Option(names = "--cert-file", paramLabel = "PEM", description = "Client certificate chain for mutual TLS.")
  private Path certFile;

  @Option(names = "--key-file", paramLabel = "PEM", description = "Private key of --cert-file (PKCS#8).")
  private Path keyFile;

  @Option(
      names = "--authority",
      paramLabel = "NAME",
      description = "Server name to verify the certificate against, if not the target's host.")
  private String authority;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = io.wagate.cli.args.DurationConverter.class,
      description = "Deadline of each call (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(
      names = "--client",
      paramLabel = "NAME",
      defaultValue = "${env:WAGATE_CLIENT}",
      description = "The calling service's name, sent as the wagate-client header (env WAGATE_CLIENT): picks the"
          + " per-client quota and keeps idempotency keys apart. Declared, not authenticated.")
  private String client;

  /**
   * The client name to send, or null for none.
   *
   * @throws ParameterException when it is not 1-64 letters, digits, '-' or '_'
   */
  public String client() {
    if (client == null || client.isEmpty()) {
      return null;
    }
    if (!client.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new ParameterException(mixee.commandLine(),
          "--client must be 1-64 letters, digits, '-' or '_', got '" + client + "'");
    }
    return client;
  }

  /** The target as given, before any validation of the other options. */
  public Target target() {
    return target;
  }

  /**
   * Resolves the defaults and validates the combination.
   *
   * @throws ParameterException naming the offending options (exit code 2)
   */
  public ConnectionSettings settings() {
    boolean tlsFiles = caFile != null || certFile != null || keyFile != null;
    boolean plain = plaintext != null ? plaintext : !tlsFiles && target.isLoopback();
    try {
      return new ConnectionSettings(target, plain, caFile, certFile, keyFile, authority, timeout);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), e.getMessage(), e);
    }
  }
}
