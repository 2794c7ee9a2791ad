package io.wagate.bench;

import com.google.protobuf.util.Timestamps;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.wagate.api.v1.ListMessagesRequest;
import io.wagate.api.v1.ListMessagesResponse;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.Latency;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code wagate bench dispatch}: how fast the appliance sends to Meta, against the sandbox
 * emulator enforcing Meta's per-number throughput (130429) and pair limit (131056).
 *
 * <p>The appliance runs as a child JVM (so its CPU is measured apart); the emulator and the load
 * generator run here. A backlog larger than the numbers can send in the measured window is queued
 * first; the figure is the rate at which the emulator accepted messages during the window, next
 * to the configured cap (the baseline of this benchmark) and the ratio, with the 130429 count.
 * With {@code --outage-seconds}, load is offered at the cap while Meta is down, and after it comes
 * back the drain rate and the age of messages at submission are reported.
 */
public final class DispatchBench {
    private static final String TOKEN_ENV = "WAGATE_BENCH_TOKEN";

    private final Path dir;
    private final int numbers;
    private final int throughput;
    private final Duration latency;
    private final Duration window;
    private final int outageSeconds;
    private final PrintStream out;

    public DispatchBench(Path dir, int numbers, int throughput, Duration latency, Duration window,
                         int outageSeconds, PrintStream out) {
        this.dir = dir;
        this.numbers = numbers;
        this.throughput = throughput;
        this.latency = latency;
        this.window = window;
        this.outageSeconds = outageSeconds;
        this.out = out;
    }

    private static String phoneNumberId(int i) {
        return "10000000000000" + (i + 1);
    }

    private static String alias(int i) {
        return i == 0 ? "bench" : "bench" + (i + 1);
    }

    /** Runs the benchmark; returns 0 when the window's rate reached 95 % of the cap without 130429. */
    public int run() throws Exception {
        Files.createDirectories(dir);
        SandboxOptions options = SandboxOptions.defaults().withMetaLimits().withThroughput(throughput)
                .withLatency(Latency.fixed(latency));
        for (int i = 0; i < numbers; i++) {
            options = options.withNumber(phoneNumberId(i), "bench-token");
        }
        try (SandboxEmulator meta = SandboxEmulator.start(options)) {
            Path config = writeConfig(meta);
            ApplianceProcess appliance = ApplianceProcess.start(config, TOKEN_ENV);
            try {
                appliance.millisUntilFirstSend();
                return outageSeconds > 0 ? outage(meta, appliance) : throughput(meta, appliance);
            } finally {
                appliance.kill9();
            }
        }
    }

    private int throughput(SandboxEmulator meta, ApplianceProcess appliance) throws Exception {
        long cap = (long) numbers * throughput;
        // enough that the backlog outlasts the window even though sending starts while it is queued
        long backlog = cap * (2 * window.toSeconds() + 40);
        out.printf(Locale.ROOT, "%d number(s) at %d msg/s, Meta latency %d ms: queuing %,d messages ...%n",
                numbers, throughput, latency.toMillis(), backlog);
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", appliance.port).usePlaintext().build();
        try {
            long fillStart = System.nanoTime();
            fill(ch, backlog, null);
            out.printf(Locale.ROOT, "queued in %.1f s; measuring %d s of sending ...%n",
                    (System.nanoTime() - fillStart) / 1e9, window.toSeconds());
            Thread.sleep(2_000); // the window measures sending alone, not accepting
            long received0 = meta.receivedCount();
            double cpu0 = appliance.cpuSeconds();
            long t0 = System.nanoTime();
            Thread.sleep(window.toMillis());
            long received1 = meta.receivedCount();
            double cpu1 = appliance.cpuSeconds();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = (received1 - received0) / seconds;
            long throttled = meta.limits().throttledCount();
            double cpuPer1000 = (cpu1 - cpu0) / Math.max(1, received1 - received0) * 1000;
            out.printf(Locale.ROOT, "sent to Meta   %.1f msg/s over %.0f s (emulator received %,d)%n", rate, seconds,
                    received1 - received0);
            out.printf(Locale.ROOT, "baseline       %d msg/s configured cap (%d x %d)%n", cap, numbers, throughput);
            out.printf(Locale.ROOT, "ratio          %.3f of the cap (target >= 0.95)%n", rate / cap);
            out.printf(Locale.ROOT, "130429         %d answered by the emulator over the whole run (target 0)%n", throttled);
            out.printf(Locale.ROOT, "appliance CPU  %.2f s per 1,000 messages sent (%.2f cores)%n",
                    cpuPer1000, (cpu1 - cpu0) / seconds);
            return rate >= 0.95 * cap && throttled == 0 ? 0 : 1;
        } finally {
            ch.shutdownNow();
        }
    }

    private int outage(SandboxEmulator meta, ApplianceProcess appliance) throws Exception {
        long cap = (long) numbers * throughput;
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", appliance.port).usePlaintext().build();
        try {
            out.printf(Locale.ROOT, "offering %d msg/s; Meta down for %d s ...%n", cap, outageSeconds);
            meta.clearReceived();
            meta.startOutage();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> fill(ch, cap * outageSeconds, cap));
            Thread.sleep(outageSeconds * 1000L);
            long queued = cap * outageSeconds;
            meta.endOutage();
            long back = System.nanoTime();
            load.join();
            long drainedAt = 0;
            long lastCount = 0;
            while (true) {
                long n = meta.receivedCount();
                if (n >= queued) {
                    drainedAt = System.nanoTime();
                    break;
                }
                if (System.nanoTime() - back > TimeUnit.SECONDS.toNanos(outageSeconds * 4L + 60)) {
                    break;
                }
                lastCount = n;
                Thread.sleep(200);
            }
            double seconds = ((drainedAt == 0 ? System.nanoTime() : drainedAt) - back) / 1e9;
            long drained = drainedAt == 0 ? lastCount : queued;
            Histogram ages = agesAtSubmission(ch);
            out.printf(Locale.ROOT, "backlog        %,d messages queued during the outage%n", queued);
            out.printf(Locale.ROOT, "drain          %,d in %.1f s after Meta returned: %.1f msg/s (cap %d; includes"
                    + " the circuit's next probe, at most 30 s)%n", drained, seconds, drained / seconds, cap);
            out.printf(Locale.ROOT, "age at submission  p50 %.1f s  p99 %.1f s  max %.1f s%n",
                    ages.getValueAtPercentile(50) / 1000.0, ages.getValueAtPercentile(99) / 1000.0,
                    ages.getMaxValue() / 1000.0);
            out.printf(Locale.ROOT, "130429         %d answered by the emulator%n", meta.limits().throttledCount());
            return drainedAt == 0 ? 1 : 0;
        } finally {
            ch.shutdownNow();
        }
    }

    /** Submitted minus accepted, in ms, over every SUBMITTED message (read with List, newest first). */
    private static Histogram agesAtSubmission(ManagedChannel ch) {
        Histogram h = new Histogram(3);
        MessagesGrpc.MessagesBlockingStub stub = MessagesGrpc.newBlockingStub(ch);
        String token = "";
        do {
            ListMessagesResponse page = stub.withDeadlineAfter(30, TimeUnit.SECONDS).list(ListMessagesRequest
                    .newBuilder().addStates(State.SUBMITTED).setPageSize(1000).setPageToken(token).build());
            for (Message m : page.getMessagesList()) {
                h.recordValue(Math.max(0, Timestamps.toMillis(m.getSubmittedAt()) - Timestamps.toMillis(m.getAcceptedAt())));
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return h;
    }

    /** Sends {@code count} messages, round robin over the numbers; paced when {@code rate} is set. */
    private void fill(ManagedChannel ch, long count, Long rate) {
        String body = "x".repeat(200);
        try {
            StreamFiller.fill(ch, count, i -> SendRequest.newBuilder().setFrom(alias((int) (i % numbers)))
                    .setTo(String.format("+1555%07d", i % 20_000))
                    .setText(Text.newBuilder().setBody(body)).build(), rate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path writeConfig(SandboxEmulator meta) throws java.io.IOException {
        StringBuilder y = new StringBuilder()
                .append("data_dir: ").append(dir.resolve("data-" + System.nanoTime())).append('\n')
                .append("grpc:\n  port: 0\n")
                .append("cloud_api:\n  base_url: ").append(meta.baseUrl()).append('\n')
                .append(ApplianceProcess.mediaKeyYaml(dir))
                .append("numbers:\n");
        for (int i = 0; i < numbers; i++) {
            y.append("  - alias: ").append(alias(i)).append('\n')
                    .append("    phone_number_id: \"").append(phoneNumberId(i)).append("\"\n")
                    .append("    access_token_env: ").append(TOKEN_ENV).append('\n')
                    .append("    throughput: ").append(throughput).append('\n');
        }
        // no inbound traffic in this benchmark, so no headroom is kept for it
        y.append("outbox:\n  max_pending: 10000000\n")
                .append("dispatch:\n  inbound_headroom_percent: 0\n  max_in_flight: 4096\n");
        Path config = dir.resolve("dispatch-bench.yaml");
        Files.writeString(config, y.toString());
        return config;
    }
}
