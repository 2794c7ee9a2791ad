package io.wagate;

import io.grpc.ServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.CloudApiConfig;
import io.wagate.config.ConfigException;
import io.wagate.config.ConfigLoader;
import io.wagate.config.MediaConfig;
import io.wagate.config.GrpcConfig;
import io.wagate.config.WebhookConfig;
import io.wagate.webhook.WebhookCredentials;
import io.wagate.config.NumberConfig;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.security.MasterKey;
import io.wagate.security.MasterKeyException;
import io.wagate.security.MasterKeys;
import io.wagate.sandbox.SandboxOptions;
import io.wagate.store.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/wagate}: runs the appliance. The only class that reads files and the environment.
 *
 * <ul>
 *   <li>{@code wagate run --config /etc/wagate/wagate.yaml}: production;
 *   <li>{@code wagate sandbox [--data-dir DIR] [--grpc-port N]}: with an embedded emulator of
 *       Meta's Cloud API on loopback; no Meta account needed.
 * </ul>
 *
 * Exit codes: 0 after a clean stop, 2 for usage errors, 3 for a bad config, 4 when storage cannot
 * be opened (locked, unknown schema, disk), 1 otherwise.
 */
@Command(name = "wagate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Wagate, a self-hosted WhatsApp Business appliance.",
        subcommands = {Main.Run.class, Main.Sandbox.class, Main.Keygen.class, Main.Bench.class})
public final class Main implements Callable<Integer> {
    /** Phone-number id of the sandbox's one number. */
    public static final String SANDBOX_PHONE_NUMBER_ID = "100000000000001";
    /** The sandbox number's WhatsApp Business Account: the emulator's default WABA id. */
    public static final String SANDBOX_WABA_ID = io.wagate.sandbox.SandboxOptions.DEFAULT_WABA_ID;
    public static final String SANDBOX_ALIAS = "sandbox";
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        // On 2 cores the common pool has parallelism 1, and CompletableFuture then starts a new
        // thread per async task; the JDK HttpClient completes every response that way.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM,
                    String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** Prints the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"wagate " + Appliance.VERSION};
        }
    }

    @Command(name = "run", description = "Run the appliance with a config file (production).")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", defaultValue = "/etc/wagate/wagate.yaml",
                description = "YAML config file (default: ${DEFAULT-VALUE})")
        Path config;

        @Override
        public Integer call() {
            ApplianceConfig c;
            Map<String, String> tokens;
            WebhookCredentials webhookApps;
            MasterKeys.Loaded keys;
            try {
                c = new ConfigLoader().load(config);
                tokens = resolveTokens(c.numbers(), System.getenv());
                webhookApps = WebhookCredentials.resolve(c.webhook().apps(), System.getenv());
                keys = masterKeys(c, System.getenv());
            } catch (ConfigException | MasterKeyException e) {
                System.err.println("wagate: " + e.getMessage());
                return 3;
            }
            return serve(c, tokens, webhookApps, keys, null, a -> { });
        }
    }

    @Command(name = "keygen", description = "Create a master key file (256 random bits, mode 0600) for"
            + " media.master_key_file. Refuses to overwrite an existing file.")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "where to write it, e.g. /etc/wagate/master.key")
        Path out;

        @Override
        public Integer call() {
            try {
                MasterKey key = MasterKeys.generateKeyFile(out);
                System.out.println("wagate: master key " + key.id() + " written to " + out
                        + " (mode 0600); back it up apart from the data: without it the media cannot be read");
                key.destroy();
                return 0;
            } catch (MasterKeyException e) {
                System.err.println("wagate: " + e.getMessage());
                return 3;
            }
        }
    }

    @Command(name = "sandbox", description = "Run with an embedded emulator of Meta's Cloud API (loopback only).")
    static final class Sandbox implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "wagate-data", description = "data folder (default: ${DEFAULT-VALUE})")
        Path dataDir;

        @Option(names = "--grpc-port", defaultValue = "7400", description = "gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE})")
        int grpcPort;

        @Option(names = "--meta-latency-ms", defaultValue = "0", description = "emulated Meta round trip in ms")
        long latencyMs;

        @Option(names = "--webhook-port", defaultValue = "7401",
                description = "port the emulator posts webhooks to; 0 picks a free one (default: ${DEFAULT-VALUE})")
        int webhookPort;

        @Option(names = "--throughput", defaultValue = "80",
                description = "msg/s Meta allows the sandbox number; the emulator enforces it (default: ${DEFAULT-VALUE})")
        int throughput;

        @Override
        public Integer call() {
            String token = randomHex(16);
            ApplianceConfig c;
            SandboxEmulator emulator;
            try {
                c = sandboxConfig(dataDir, grpcPort, throughput, null);
                // Meta's limits on: the per-number throughput (130429) and the pair limit (131056)
                emulator = SandboxEmulator.start(SandboxOptions.defaults()
                        .withNumber(SANDBOX_PHONE_NUMBER_ID, token)
                        .withMetaLimits()
                        // and Meta's policy rules: templates, the 24 h window, opt-out, the marketing limit
                        .withPolicyRules()
                        .withTemplateAutoApprove(true)
                        .withTemplates(io.wagate.sandbox.SampleTemplates.all())
                        .withThroughput(throughput)
                        .withLatency(java.time.Duration.ofMillis(latencyMs)));
                c = sandboxConfig(dataDir, grpcPort, throughput, emulator.baseUrl())
                        .withWebhook(WebhookConfig.loopback(webhookPort, List.of()));
            } catch (ConfigException | IllegalArgumentException e) {
                System.err.println("wagate: " + e.getMessage());
                return 3;
            }
            System.out.println("wagate: sandbox emulator of Meta's Cloud API at " + emulator.baseUrl()
                    + " (what it received: " + emulator.baseUrl() + "/_sandbox/messages)");
            // the emulator signs its webhooks with this app secret, as Meta does with the app's
            String appSecret = randomHex(32);
            WebhookCredentials apps = WebhookCredentials.of(List.of(
                    new WebhookCredentials.App("sandbox", appSecret, randomHex(16))));
            String path = c.webhook().path();
            return serve(c, Map.of(SANDBOX_PHONE_NUMBER_ID, token), apps, null, emulator, appliance -> {
                java.net.URI target = java.net.URI.create("http://127.0.0.1:" + appliance.webhookPort() + path);
                emulator.webhooks().setTarget(target, appSecret);
                System.out.println("wagate: the emulator posts signed webhooks (statuses, inbound) to " + target);
            });
        }
    }

    @Command(name = "bench", description = "Benchmarks that run the appliance as child processes.",
            subcommands = {Main.BenchRestart.class, Main.BenchDispatch.class, Main.BenchWebhooks.class,
                    Main.BenchMedia.class, Main.BenchPolicy.class})
    static final class Bench implements Callable<Integer> {
        @Override
        public Integer call() {
            CommandLine.usage(this, System.out);
            return 2;
        }
    }

    @Command(name = "restart", description = "Time to accept sends again after kill -9 with a backlog queued,"
            + " next to the start time on an empty data directory measured in the same run.")
    static final class BenchRestart implements Callable<Integer> {
        @Option(names = "--messages", defaultValue = "1000000", description = "queued messages (default: ${DEFAULT-VALUE})")
        long messages;

        @Option(names = "--recipients", defaultValue = "1000", description = "distinct recipients (default: ${DEFAULT-VALUE})")
        int recipients;

        @Option(names = "--dir", defaultValue = "bench-restart",
                description = "scratch directory, on the disk under test (default: ${DEFAULT-VALUE}); removed by hand")
        Path dir;

        @Override
        public Integer call() throws Exception {
            return new io.wagate.bench.RestartBench(dir.toAbsolutePath(), messages, recipients, System.out).run();
        }
    }

    @Command(name = "dispatch", description = "Rate of sending to the sandbox emulator (which enforces Meta's"
            + " limits) next to the configured cap; with --outage-seconds, the drain after an outage.")
    static final class BenchDispatch implements Callable<Integer> {
        @Option(names = "--numbers", defaultValue = "1", description = "sending numbers (default: ${DEFAULT-VALUE})")
        int numbers;

        @Option(names = "--throughput", defaultValue = "80", description = "msg/s per number (default: ${DEFAULT-VALUE})")
        int throughput;

        @Option(names = "--meta-latency-ms", defaultValue = "0", description = "emulated Meta round trip")
        long latencyMs;

        @Option(names = "--window-seconds", defaultValue = "60", description = "measured window (default: ${DEFAULT-VALUE})")
        long windowSeconds;

        @Option(names = "--outage-seconds", defaultValue = "0", description = "Meta down this long while load is offered")
        int outageSeconds;

        @Option(names = "--dir", defaultValue = "bench-dispatch", description = "scratch directory (default: ${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws Exception {
            quietEmulator();
            return new io.wagate.bench.DispatchBench(dir.toAbsolutePath(), numbers, throughput,
                    java.time.Duration.ofMillis(latencyMs), java.time.Duration.ofSeconds(windowSeconds), outageSeconds,
                    System.out).run();
        }
    }

    @Command(name = "webhooks", description = "Signed webhooks ingested durably while dispatching, and webhook to"
            + " subscriber latency, next to a raw fsync loop measured in the same run.")
    static final class BenchWebhooks implements Callable<Integer> {
        @Option(names = "--rate", defaultValue = "3000", description = "signed webhooks/s offered (default: ${DEFAULT-VALUE})")
        int rate;

        @Option(names = "--dispatch-rate", defaultValue = "1000", description = "sends/s meanwhile (default: ${DEFAULT-VALUE})")
        int dispatchRate;

        @Option(names = "--subscribers", defaultValue = "4", description = "consumer groups reading (default: ${DEFAULT-VALUE})")
        int subscribers;

        @Option(names = "--slow-subscriber", description = "one more group reading ten times slower")
        boolean slow;

        @Option(names = "--warmup-seconds", defaultValue = "20", description = "not measured (default: ${DEFAULT-VALUE})")
        long warmupSeconds;

        @Option(names = "--window-seconds", defaultValue = "30", description = "measured window (default: ${DEFAULT-VALUE})")
        long windowSeconds;

        @Option(names = "--dir", defaultValue = "bench-webhooks", description = "scratch directory (default: ${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws Exception {
            quietEmulator();
            return new io.wagate.bench.WebhookBench(dir.toAbsolutePath(), rate, dispatchRate, subscribers, slow,
                    java.time.Duration.ofSeconds(warmupSeconds), java.time.Duration.ofSeconds(windowSeconds),
                    System.out).run();
        }
    }

    @Command(name = "media", description = "Encrypted media store write and read throughput and heap growth, next"
            + " to a plain AES-GCM loop and a raw file write measured in the same run.")
    static final class BenchMedia implements Callable<Integer> {
        @Option(names = "--size-mb", defaultValue = "100", description = "object size in MB, 1..100 (default: ${DEFAULT-VALUE})")
        int sizeMb;

        @Option(names = "--runs", defaultValue = "3", description = "timed runs of each (default: ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--dir", defaultValue = "bench-media",
                description = "scratch directory, on the disk under test (default: ${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws Exception {
            return new io.wagate.bench.MediaBench(dir.toAbsolutePath(), sizeMb, runs, System.out).run();
        }
    }

    @Command(name = "policy", description = "Durable Send throughput with the policy checks on, next to the same"
            + " load with them off, in rounds of fresh appliances.")
    static final class BenchPolicy implements Callable<Integer> {
        @Option(names = "--concurrency", defaultValue = "64", description = "callers of Send (default: ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--rounds", defaultValue = "2", description = "rounds of off-then-on (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--warmup-seconds", defaultValue = "15", description = "not measured (default: ${DEFAULT-VALUE})")
        int warmupSeconds;

        @Option(names = "--window-seconds", defaultValue = "20", description = "measured window (default: ${DEFAULT-VALUE})")
        int windowSeconds;

        @Option(names = "--dir", defaultValue = "bench-policy", description = "scratch directory (default: ${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws Exception {
            quietEmulator();
            return new io.wagate.bench.PolicyBench(dir.toAbsolutePath(), concurrency,
                    java.time.Duration.ofSeconds(warmupSeconds), java.time.Duration.ofSeconds(windowSeconds), rounds,
                    System.out).run();
        }
    }

    /**
     * The config of {@code wagate sandbox}: one number, loopback, Meta at {@code metaUrl} (null
     * only to validate the settings before the emulator starts).
     */
    public static ApplianceConfig sandboxConfig(Path dataDir, int grpcPort, int throughput, java.net.URI metaUrl) {
        CloudApiConfig cloudApi = metaUrl == null ? CloudApiConfig.defaults() : CloudApiConfig.defaults().withBaseUrl(metaUrl);
        return new ApplianceConfig(ApplianceConfig.Mode.SANDBOX, dataDir.toAbsolutePath().normalize(),
                GrpcConfig.loopback(grpcPort), cloudApi,
                List.of(new NumberConfig(SANDBOX_ALIAS, SANDBOX_PHONE_NUMBER_ID, null, null, throughput,
                        SANDBOX_WABA_ID)),
                null, null, null, null);
    }

    /** Reads each number's access token from the environment variable or file its config names. */
    static Map<String, String> resolveTokens(List<NumberConfig> numbers, Map<String, String> env) {
        Map<String, String> tokens = new HashMap<>();
        for (NumberConfig n : numbers) {
            String key = "numbers[" + n.alias() + "]";
            String token;
            if (n.accessTokenEnv() != null) {
                token = env.get(n.accessTokenEnv());
                if (token == null || token.isBlank()) {
                    throw new ConfigException(key + ".access_token_env names " + n.accessTokenEnv()
                            + ", which is not set in the environment");
                }
            } else if (n.accessTokenFile() != null) {
                try {
                    token = Files.readString(n.accessTokenFile()).trim();
                } catch (IOException e) {
                    throw new ConfigException(key + ".access_token_file " + n.accessTokenFile()
                            + " cannot be read: " + e.getClass().getSimpleName());
                }
                if (token.isEmpty()) {
                    throw new ConfigException(key + ".access_token_file " + n.accessTokenFile() + " is empty");
                }
            } else {
                throw new ConfigException(key + " needs access_token_env or access_token_file"
                        + " (the token itself never goes in the config)");
            }
            tokens.put(n.phoneNumberId(), token);
        }
        return tokens;
    }

    /** The emulator logs every message it accepts: far too much at thousands per second. */
    private static void quietEmulator() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.wagate.sandbox"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b); // generateSeed may block on an entropy-starved host
        return HexFormat.of().formatHex(b);
    }

    /**
     * The master key(s) the config names: a key file (and its {@code .next} mid-rotation), or a key
     * derived from a passphrase in an environment variable or a file; null for a sandbox without
     * one (it keeps a generated key file in its data dir).
     */
    static MasterKeys.Loaded masterKeys(ApplianceConfig c, Map<String, String> env) {
        MediaConfig m = c.media();
        m.requireKeySource(c.mode());
        Path kdf = c.dataDir().resolve(MediaConfig.KDF_PARAMS_FILE);
        switch (m.keySource()) {
            case KEY_FILE:
                return MasterKeys.loadKeyFile(m.masterKeyFile());
            case PASSPHRASE_ENV: {
                String p = env.get(m.masterKeyPassphraseEnv());
                if (p == null || p.isEmpty()) {
                    throw new ConfigException("media.master_key_passphrase_env names " + m.masterKeyPassphraseEnv()
                            + ", which is not set in the environment");
                }
                return MasterKeys.loadPassphrase(p.toCharArray(), kdf);
            }
            case PASSPHRASE_FILE:
                return MasterKeys.loadPassphrase(MasterKeys.readPassphraseFile(m.masterKeyPassphraseFile()), kdf);
            case NONE:
            default:
                return null;
        }
    }

    private static int serve(ApplianceConfig c, Map<String, String> tokens, WebhookCredentials webhookApps,
                             MasterKeys.Loaded keys, AutoCloseable meta, java.util.function.Consumer<Appliance> started) {
        PrintStream out = System.out;
        Appliance appliance;
        try {
            appliance = Appliance.start(c, tokens, webhookApps, keys, serverBuilder(c.grpc()), meta);
            started.accept(appliance);
        } catch (StoreException e) {
            System.err.println("wagate: cannot open the database: " + e.getMessage());
            closeQuietly(meta);
            return 4;
        } catch (ConfigException e) {
            System.err.println("wagate: " + e.getMessage());
            closeQuietly(meta);
            return 3;
        } catch (RuntimeException e) {
            System.err.println("wagate: cannot start: " + e.getMessage());
            closeQuietly(meta);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            appliance.close();
            stopped.countDown();
        }, "wagate-shutdown"));
        if (appliance.webhookPort() > 0) {
            out.println("wagate: taking Meta's webhooks on " + (c.webhook().tlsEnabled() ? "https" : "http") + "://"
                    + c.webhook().listenAddress() + ":" + appliance.webhookPort() + c.webhook().path());
        }
        out.println("wagate: serving gRPC on " + c.grpc().listenAddress() + ":" + appliance.grpcPort()
                + " (" + c.mode().name().toLowerCase() + " mode, data in " + c.dataDir() + ")");
        out.flush();
        try {
            appliance.awaitTermination();
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static ServerBuilder<?> serverBuilder(GrpcConfig g) {
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(g.listenAddress(), g.port()));
        if (g.tlsEnabled()) {
            b.useTransportSecurity(g.tlsCertFile().toFile(), g.tlsKeyFile().toFile());
        }
        return b;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing to start; the first error is the one to report
            }
        }
    }
}
