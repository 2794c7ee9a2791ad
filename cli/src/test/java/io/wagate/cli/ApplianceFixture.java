package io.wagate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.wagate.Appliance;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.State;
import io.wagate.cli.connection.ChannelFactory;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.CloudApiConfig;
import io.wagate.config.DispatchConfig;
import io.wagate.config.GrpcConfig;
import io.wagate.config.NumberConfig;
import io.wagate.config.PolicyConfig;
import io.wagate.sandbox.ReceivedMessage;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole appliance on real parts for CLI tests: the sandbox emulator of Meta over real HTTP, a
 * real RocksDB under a temp dir, and the gRPC services either in-process ({@link #inProcess}) or
 * on a loopback socket ({@link #onLoopback}). Dispatch retries fast so failing heads end quickly.
 *
 * <pre>{@code
 * try (ApplianceFixture wagate = ApplianceFixture.inProcess(tempDir)) {
 *   CliRun r = wagate.run("send", "--from", "support", "--to", "+15550001111", "--text", "hi");
 * }
 * }</pre>
 */
final class ApplianceFixture implements AutoCloseable {

  static final String ALIAS = "support";
  static final String NUMBER_ID = "100000000000001";
  static final String TOKEN = "cli-test-token";
  static final Duration WAIT = Duration.ofSeconds(10);

  final SandboxEmulator emulator;
  final Appliance appliance;
  private final String target;
  private final ChannelFactory channels;

  private ApplianceFixture(SandboxEmulator emulator, Appliance appliance, String target, ChannelFactory channels) {
    this.emulator = emulator;
    this.appliance = appliance;
    this.target = target;
    this.channels = channels;
  }

  /** gRPC in-process; commands reach it through {@link #inProcessChannels()}. */
  static ApplianceFixture inProcess(Path dataDir) {
    String name = InProcessServerBuilder.generateName();
    return start(dataDir, InProcessServerBuilder.forName(name).directExecutor(), "in-process:" + name,
        inProcessChannels());
  }

  /** gRPC over Netty on 127.0.0.1 and a free port; commands use the production channel factory. */
  static ApplianceFixture onLoopback(Path dataDir) {
    return start(dataDir, NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), null,
        ChannelFactory.netty());
  }

  private static ApplianceFixture start(Path dataDir, ServerBuilder<?> builder, String target, ChannelFactory channels) {
    SandboxEmulator emulator = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER_ID, TOKEN));
    try {
      // the emulator as the appliance's Meta: sandbox mode, so the Sandbox service is served too
      Appliance appliance = Appliance.start(config(dataDir, emulator), Map.of(NUMBER_ID, TOKEN), builder, emulator);
      return new ApplianceFixture(emulator, appliance,
          target != null ? target : "127.0.0.1:" + appliance.grpcPort(), channels);
    } catch (RuntimeException e) {
      emulator.close();
      throw e;
    }
  }

  private static ApplianceConfig config(Path dataDir, SandboxEmulator emulator) {
    return new ApplianceConfig(ApplianceConfig.Mode.SANDBOX, dataDir, GrpcConfig.loopback(0),
        CloudApiConfig.defaults().withBaseUrl(emulator.baseUrl()),
        List.of(new NumberConfig(ALIAS, NUMBER_ID, null, null)), null,
        new DispatchConfig(64, 5, Duration.ofMillis(20), Duration.ofMillis(200)), null, Duration.ofSeconds(2))
        // free-form sends to users who never wrote: the window check would refuse them
        .withPolicy(PolicyConfig.disabled());
  }

  /** Opens in-process channels for {@code in-process:NAME} targets, as tests give to wagatectl. */
  static ChannelFactory inProcessChannels() {
    return settings -> {
      if (!settings.target().isInProcess()) {
        throw new IllegalArgumentException("expected an in-process target, got " + settings.target());
      }
      return InProcessChannelBuilder.forName(settings.target().inProcessName()).directExecutor().build();
    };
  }

  /** {@code 127.0.0.1:PORT} where nothing listens (a port bound, then released): real connection refusals. */
  static String closedLoopbackTarget() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }

  /** The {@code --target} value that reaches this appliance. */
  String target() {
    return target;
  }

  /** Runs wagatectl with {@code args} plus {@code --target} against this appliance. */
  CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--target";
    all[args.length + 1] = target;
    return CliRun.run(channels, Clock.systemUTC(), all);
  }

  /** Waits until message {@code id} is in {@code state}; returns it. */
  Message awaitState(String id, State state) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Message m = appliance.outbox().get(id);
    while (m.getState() != state) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("message " + id + " still " + m.getState() + " after " + WAIT + ", expected " + state);
      }
      sleep();
      m = appliance.outbox().get(id);
    }
    return m;
  }

  /**
   * Waits until the emulator received the message with our {@code id} (its
   * {@code biz_opaque_callback_data} is {@code wg1:ID}, then {@code :CALLBACK} if the caller gave
   * one); returns its body.
   */
  JsonNode awaitReceived(String id) {
    String callback = "wg1:" + id;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (ReceivedMessage m : emulator.received()) {
        String data = m.body().path("biz_opaque_callback_data").asText();
        if (data.equals(callback) || data.startsWith(callback + ":")) {
          return m.body();
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the emulator did not receive " + callback + " within " + WAIT);
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      appliance.close();
    } finally {
      emulator.close();
    }
  }
}
