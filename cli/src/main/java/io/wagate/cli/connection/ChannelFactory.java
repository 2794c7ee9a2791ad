package io.wagate.cli.connection;

import io.grpc.ManagedChannel;

/**
 * Opens the channel a command talks to Wagate over. Production uses {@link NettyChannelFactory};
 * tests pass one that opens {@code InProcessChannelBuilder} channels for {@code in-process:NAME}
 * targets, so commands run against an in-process server without sockets.
 */
@FunctionalInterface
public interface ChannelFactory {

  /**
   * Opens a channel; the caller shuts it down.
   *
   * @throws IllegalArgumentException if this factory cannot open such a target or TLS files are unusable
   */
  ManagedChannel open(ConnectionSettings settings);

  /** The production factory: Netty, plaintext or TLS. */
  static ChannelFactory netty() {
    return new NettyChannelFactory();
  }
}
