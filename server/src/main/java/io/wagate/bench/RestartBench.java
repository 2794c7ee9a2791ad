package io.wagate.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.wagate.api.v1.Priority;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Text;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code wagate bench restart}: how long the appliance takes to accept sends again after a
 * {@code kill -9} with a large backlog queued.
 *
 * <p>Runs the appliance as child JVMs, as {@code bin/wagate run} would: fills one with N queued
 * messages (Meta unreachable, so they stay queued), kills it with SIGKILL, starts it again and
 * measures from process start to the first acknowledged Send. The same-run baseline is the same
 * measurement on an empty data directory; the figure is printed next to it with the ratio.
 */
public final class RestartBench {
    private static final String TOKEN_ENV = "WAGATE_BENCH_TOKEN";

    private final Path dir;
    private final long messages;
    private final int recipients;
    private final PrintStream out;

    public RestartBench(Path dir, long messages, int recipients, PrintStream out) {
        this.dir = dir;
        this.messages = messages;
        this.recipients = recipients;
        this.out = out;
    }

    /** Runs the benchmark; returns 0 when the restart met the 10 s target. */
    public int run() throws Exception {
        Files.createDirectories(dir);
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again at once: Meta is "unreachable" (connection refused)
        }
        Path baselineConfig = writeConfig("empty", deadPort);
        Path config = writeConfig("backlog", deadPort);

        out.printf("baseline: start on an empty data directory ...%n");
        ApplianceProcess empty = ApplianceProcess.start(baselineConfig, TOKEN_ENV);
        long baselineMs = empty.millisUntilFirstSend();
        empty.kill9();
        out.printf("baseline: accepting sends %d ms after process start%n", baselineMs);

        ApplianceProcess filler = ApplianceProcess.start(config, TOKEN_ENV);
        filler.millisUntilFirstSend();
        long start = System.nanoTime();
        fill(filler.port);
        double secs = (System.nanoTime() - start) / 1e9;
        out.printf("filled %,d messages in %.1f s (%.0f msg/s through SendStream)%n", messages, secs, messages / secs);
        filler.kill9();
        out.printf("kill -9 with %,d messages queued; restarting ...%n", messages);

        ApplianceProcess restarted = ApplianceProcess.start(config, TOKEN_ENV);
        long restartMs = restarted.millisUntilFirstSend();
        long pending = restarted.pending();
        restarted.kill9();
        out.printf("restart with %,d queued: accepting sends %d ms after process start; %,d pending after restart%n",
                messages, restartMs, pending);
        out.printf("baseline (empty data dir, same run): %d ms; ratio %.2f; target: at most 10000 ms -> %s%n",
                baselineMs, restartMs / (double) Math.max(1, baselineMs), restartMs <= 10_000 ? "met" : "MISSED");
        if (pending < messages) {
            out.printf("WARNING: %,d messages expected pending, %,d found%n", messages, pending);
            return 1;
        }
        return restartMs <= 10_000 ? 0 : 1;
    }

    private Path writeConfig(String name, int deadPort) throws IOException {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, "data_dir: " + dir.resolve(name) + "\n"
                + "grpc:\n  port: 0\n"
                + "cloud_api:\n  base_url: http://127.0.0.1:" + deadPort + "\n"
                + "numbers:\n  - alias: bench\n    phone_number_id: \"100000000000001\"\n"
                + "    access_token_env: " + TOKEN_ENV + "\n"
                + "outbox:\n  max_pending: " + Math.max(messages * 2, 1000) + "\n"
                + "dispatch:\n  max_in_flight: 4\n  initial_backoff: 1h\n  max_backoff: 1h\n"
                + ApplianceProcess.mediaKeyYaml(dir));
        return config;
    }

    private void fill(int port) throws InterruptedException {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            String body = "x".repeat(200);
            StreamFiller.fill(ch, messages, i -> {
                if (i > 0 && i % 200_000 == 0) {
                    out.printf("  %,d sent%n", i);
                }
                return SendRequest.newBuilder().setFrom("bench")
                        .setTo(String.format("+1555%07d", i % recipients)).setPriority(Priority.PRIORITY_BULK)
                        .setText(Text.newBuilder().setBody(body)).build();
            }, null);
        } finally {
            ch.shutdownNow();
        }
    }
}
