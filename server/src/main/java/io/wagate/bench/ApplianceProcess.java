package io.wagate.bench;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.wagate.api.v1.AdminGrpc;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Text;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The appliance as a child JVM, started as {@code bin/wagate run} would start it, for benchmarks
 * that must measure it apart from the load generator and the emulator.
 */
final class ApplianceProcess {
    private static final Pattern SERVING = Pattern.compile("serving gRPC on [^:]+:(\\d+)");

    final Process process;
    final long startedNanos;
    final CompletableFuture<Integer> portFuture = new CompletableFuture<>();
    int port;

    private ApplianceProcess(Process process, long startedNanos) {
        this.process = process;
        this.startedNanos = startedNanos;
    }

    /**
     * The {@code media:} section of a benchmark's config: a fresh master key file (mode 0600) in
     * {@code dir}, as production requires one.
     */
    static String mediaKeyYaml(Path dir) {
        return masterKeyYaml(dir) + POLICY_OFF_YAML;
    }

    /** The {@code media:} section alone, for benchmarks that set {@code policy:} themselves. */
    static String masterKeyYaml(Path dir) {
        Path key = dir.resolve("master-" + System.nanoTime() + ".key");
        io.wagate.security.MasterKeys.generateKeyFile(key).destroy();
        return "media:\n  master_key_file: " + key + "\n";
    }

    /**
     * Benchmarks of queueing, dispatch and ingest send free-form messages to users who never wrote
     * (no open window), so the policy checks are off in them; {@code bench send --policy} measures
     * what the checks cost.
     */
    static final String POLICY_OFF_YAML = "policy:\n  enabled: false\n";

    static ApplianceProcess start(Path config, String tokenEnv) throws IOException {
        return start(config, tokenEnv, java.util.Map.of());
    }

    /** As {@link #start(Path, String)}, with more environment variables (secrets the config names). */
    static ApplianceProcess start(Path config, String tokenEnv, java.util.Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms1g", "-Xmx3g"));
        // more JVM options for the child, e.g. -XX:StartFlightRecording=... to profile it from its start
        String extra = System.getenv("WAGATE_BENCH_CHILD_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.wagate.Main", "run", "--config",
                config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(tokenEnv, "bench-token");
        pb.environment().putAll(env);
        pb.environment().put("WAGATE_LOG_LEVEL", "WARN");
        pb.redirectErrorStream(true);
        long t0 = System.nanoTime();
        ApplianceProcess c = new ApplianceProcess(pb.start(), t0);
        // a benchmark stopped from outside (Ctrl-C, timeout) must not leave its appliance running
        Runtime.getRuntime().addShutdownHook(new Thread(c.process::destroyForcibly, "bench-child-reaper"));
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(c.process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        c.portFuture.complete(Integer.parseInt(m.group(1)));
                    } else if (!line.isBlank() && !c.portFuture.isDone()) {
                        System.err.println("  appliance: " + line);
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
            c.portFuture.completeExceptionally(new IllegalStateException("the appliance exited before serving"));
        }, "bench-child-output");
        reader.setDaemon(true);
        reader.start();
        return c;
    }

    /** Waits until the child serves gRPC (its port is known). */
    void awaitServing() throws Exception {
        port = portFuture.get(120, TimeUnit.SECONDS);
    }

    /** Milliseconds from process start until a Send was acknowledged. */
    long millisUntilFirstSend() throws Exception {
        port = portFuture.get(120, TimeUnit.SECONDS);
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            while (true) {
                try {
                    MessagesGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .send(SendRequest.newBuilder().setFrom("bench").setTo("+15559999999")
                                    .setText(Text.newBuilder().setBody("probe")).build());
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
                } catch (StatusRuntimeException e) {
                    Thread.sleep(10);
                }
            }
        } finally {
            ch.shutdownNow();
        }
    }

    long pending() {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            return AdminGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getStatus(GetStatusRequest.getDefaultInstance()).getPendingMessages();
        } finally {
            ch.shutdownNow();
        }
    }

    void kill9() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start().waitFor();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The child's heap in use after a full GC, as {@code jcmd GC.heap_info} reports it. */
    String heapAfterGc() {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.run").start().waitFor(30, TimeUnit.SECONDS);
            Process p = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.heap_info").start();
            String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
            return m.find() ? (Long.parseLong(m.group(2)) / 1024) + " MB used of " + (Long.parseLong(m.group(1)) / 1024)
                    + " MB" : "unknown";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** CPU seconds (user + system) the process has used, from /proc; -1 where /proc is missing. */
    double cpuSeconds() {
        try {
            String[] f = Files.readString(Path.of("/proc/" + process.pid() + "/stat")).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
