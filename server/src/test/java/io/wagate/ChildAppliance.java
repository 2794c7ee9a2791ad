package io.wagate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code wagate run --config} in a child JVM, for tests that kill it with {@code kill -9}. */
final class ChildAppliance {
    private static final Pattern SERVING = Pattern.compile("serving gRPC on [^:]+:(\\d+)");

    final Process process;
    final int port;

    private ChildAppliance(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * The {@code media:} config section with a fresh master key file (0600) in {@code dir}, and
     * policy off: crash tests send free-form messages to users who never wrote.
     */
    static String mediaKeyYaml(Path dir) {
        Path key = dir.resolve("master.key");
        io.wagate.security.MasterKeys.generateKeyFile(key).destroy();
        return "media:\n  master_key_file: " + key + "\npolicy:\n  enabled: false\n";
    }

    /** Starts it with {@code env} added to the environment; returns once it serves gRPC. */
    static ChildAppliance start(Path config, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "io.wagate.Main", "run", "--config", config.toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Set<String> log = ConcurrentHashMap.newKeySet();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                    if (log.size() < 200) {
                        log.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the child died
            }
            port.completeExceptionally(new IllegalStateException("child exited before serving: " + log));
        });
        reader.setDaemon(true);
        reader.start();
        try {
            return new ChildAppliance(p, port.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the appliance did not start: " + e.getMessage(), e);
        }
    }

    void kill9() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start().waitFor();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    int term() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        return process.waitFor(20, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
