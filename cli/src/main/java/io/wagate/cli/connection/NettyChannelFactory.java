package io.wagate.cli.connection;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;

/**
 * Opens Netty channels to {@code host:port} targets, plaintext or TLS ({@link TlsChannelCredentials},
 * which grpc-netty turns into a {@code GrpcSslContexts} context): the system trust store or
 * {@code --ca-file}, plus a client certificate for mutual TLS when {@code --cert-file} and
 * {@code --key-file} are given. Refuses {@code in-process:} targets, which exist only for tests.
 */
public final class NettyChannelFactory implements ChannelFactory {

  private static final String USER_AGENT = "wagatectl";

  @Override
  public ManagedChannel open(ConnectionSettings settings) {
    Target target = settings.target();
    if (target.isInProcess()) {
      throw new IllegalArgumentException(
          "--target " + target + ": in-process targets are only available to tests; use HOST:PORT");
    }
    ChannelCredentials credentials =
        settings.plaintext() ? InsecureChannelCredentials.create() : tls(settings);
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(target.host(), target.port(), credentials)
            .userAgent(USER_AGENT)
            // every callback of ours is short (print, record a latency): run it on the event loop
            // rather than hopping to another thread, which matters for the load generator
            .directExecutor();
    if (settings.authority() != null) {
      builder.overrideAuthority(settings.authority());
    }
    return builder.build();
  }

  private static ChannelCredentials tls(ConnectionSettings settings) {
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    if (settings.caFile() != null) {
      try {
        tls.trustManager(settings.caFile().toFile());
      } catch (IOException e) {
        throw new IllegalArgumentException("--ca-file " + settings.caFile() + ": " + e.getMessage(), e);
      }
    }
    if (settings.certFile() != null) {
      try {
        tls.keyManager(settings.certFile().toFile(), settings.keyFile().toFile());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--cert-file/--key-file " + settings.certFile() + ", " + settings.keyFile() + ": " + e.getMessage(), e);
      }
    }
    return tls.build();
  }
}
