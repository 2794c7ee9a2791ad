package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.wagate.cli.connection.ChannelFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The production channel factory over a real loopback socket (plaintext by default there). */
class RealSocketTest {

  @Test
  void statusAndBench_overNettyOnLoopback() throws Exception {
    try (FakeWagate wagate = new FakeWagate(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))) {
      wagate.health.setStatus("", ServingStatus.SERVING);
      CliRun status = CliRun.run(ChannelFactory.netty(), Clock.systemUTC(), "status", "--target", wagate.target());
      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.out()).contains("health     SERVING");

      CliRun bench =
          CliRun.run(ChannelFactory.netty(), Clock.systemUTC(), "bench", "send", "--target", wagate.target(),
              "--count", "500", "--warmup", "0s", "--concurrency", "8", "--mode", "stream", "--json");
      assertThat(bench.exit()).as(bench.err()).isZero();
      assertThat(bench.out()).contains("\"ok\": 500");
    }
  }
}
