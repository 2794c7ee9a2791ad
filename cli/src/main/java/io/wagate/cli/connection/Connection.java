package io.wagate.cli.connection;

import io.grpc.ManagedChannel;
import io.grpc.stub.AbstractStub;
import java.util.concurrent.TimeUnit;

/**
 * An open channel plus the per-call deadline, closed by try-with-resources.
 *
 * <pre>{@code
 * try (Connection c = Connection.open(channels, connection.settings())) {
 *   Message m = c.withDeadline(MessagesGrpc.newBlockingStub(c.channel())).get(request);
 * }
 * }</pre>
 */
public final class Connection implements AutoCloseable {

  private final ManagedChannel channel;
  private final ConnectionSettings settings;

  private Connection(ManagedChannel channel, ConnectionSettings settings) {
    this.channel = channel;
    this.settings = settings;
  }

  /** Opens a channel with {@code factory}. */
  public static Connection open(ChannelFactory factory, ConnectionSettings settings) {
    return new Connection(factory.open(settings), settings);
  }

  /** Opens a channel with {@code factory} that names the caller {@code client} (null: no name). */
  public static Connection open(ChannelFactory factory, ConnectionSettings settings, String client) {
    ManagedChannel channel = factory.open(settings);
    return new Connection(client == null ? channel : new ClientNameChannel(channel, client), settings);
  }

  /** The channel; valid until {@link #close()}. */
  public ManagedChannel channel() {
    return channel;
  }

  /** The settings this connection was opened with. */
  public ConnectionSettings settings() {
    return settings;
  }

  /** {@code stub} with a deadline of {@code --timeout} from now; call once per RPC. */
  public <S extends AbstractStub<S>> S withDeadline(S stub) {
    return stub.withDeadlineAfter(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Shuts the channel down, waiting at most a second for in-flight calls to end. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
