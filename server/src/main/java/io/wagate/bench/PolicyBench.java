package io.wagate.bench;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendResponse;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.InboundSpec;
import io.wagate.sandbox.SampleTemplates;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;

/**
 * {@code wagate bench policy}: what the policy checks cost durable {@code Send} throughput.
 *
 * <p>Rounds of two phases, policy off and on (the order alternating by round), each a fresh child
 * appliance with a fresh data directory, against the sandbox emulator with Meta's rules and sample templates. The same load
 * in both: {@code --concurrency} callers of unary {@code Send}, a third each of free-form text to
 * users whose window was opened by an injected inbound message, a utility template
 * ({@code order_update}, two body parameters) and a marketing template ({@code spring_sale}: image
 * header, body parameter, URL button) to new users. An untimed phase comes first, so this
 * process's own JIT warm-up favours neither side. With policy on, every one of them passes the
 * template check, the window check, consent, the messaging-limit bookkeeping and client quotas;
 * a refusal stops the benchmark. The policy-off phase is the baseline; the figure is the ratio of
 * medians (target: policy on at least 95 % of off). Numbers send at 20 msg/s in both phases, so
 * dispatch costs the same little in each.
 */
public final class PolicyBench {
    private static final String TOKEN_ENV = "WAGATE_BENCH_TOKEN";
    private static final String SECRET_ENV = "WAGATE_BENCH_APP_SECRET";
    private static final String SECRET = "policy-bench-app-secret";
    private static final String NUMBER_ID = "100000000000001";
    private static final String WABA_ID = SandboxOptions.DEFAULT_WABA_ID;
    private static final int WINDOW_USERS = 500;

    private final Path dir;
    private final int concurrency;
    private final Duration warmup;
    private final Duration window;
    private final int rounds;
    private final PrintStream out;

    public PolicyBench(Path dir, int concurrency, Duration warmup, Duration window, int rounds, PrintStream out) {
        if (concurrency < 1 || rounds < 1 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("--concurrency, --rounds and --window-seconds must be >= 1");
        }
        this.dir = dir;
        this.concurrency = concurrency;
        this.warmup = warmup;
        this.window = window;
        this.rounds = rounds;
        this.out = out;
    }

    /** Runs the rounds; returns 0 when policy on keeps at least 95 % of the policy-off throughput. */
    public int run() throws Exception {
        Files.createDirectories(dir);
        double[] off = new double[rounds];
        double[] on = new double[rounds];
        out.printf(Locale.ROOT, "policy bench: %d round(s) of policy off and on; %d callers of Send; warm-up %d s,"
                + " window %d s each%n", rounds, concurrency, warmup.toSeconds(), window.toSeconds());
        // an untimed phase first: this process (load, emulator) runs measurably faster once its
        // own JIT is warm, which would favour whichever phase came second
        phase(true, -1);
        for (int r = 0; r < rounds; r++) {
            // the order alternates, so neither side always runs in the warmer load generator
            if (r % 2 == 0) {
                off[r] = phase(false, r);
                on[r] = phase(true, r);
            } else {
                on[r] = phase(true, r);
                off[r] = phase(false, r);
            }
        }
        double medianOff = median(off);
        double medianOn = median(on);
        double ratio = medianOn / medianOff;
        out.printf(Locale.ROOT, "%nbaseline       policy off: median %,.0f msg/s (runs %s)%n", medianOff, list(off));
        out.printf(Locale.ROOT, "policy on      median %,.0f msg/s (runs %s)%n", medianOn, list(on));
        double[] pairs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            pairs[r] = on[r] / off[r];
        }
        out.printf(Locale.ROOT, "ratio          %.3f of policy off (target >= 0.95: %s)%n", ratio,
                ratio >= 0.95 ? "MET" : "MISSED");
        // the two phases of a round run minutes apart at most: their ratio drifts less than the medians
        out.printf(Locale.ROOT, "per round      on/off %s; median %.3f%n", list3(pairs), median(pairs));
        return ratio >= 0.95 ? 0 : 1;
    }

    private double phase(boolean policy, int round) throws Exception {
        int webhookPort = freePort();
        URI target = URI.create("http://127.0.0.1:" + webhookPort + "/webhook");
        SandboxOptions options = SandboxOptions.defaults().withNumber(NUMBER_ID, "bench-token")
                .withPolicyRules().withTemplateAutoApprove(true).withTemplates(SampleTemplates.all())
                .withWebhook(target, SECRET);
        try (SandboxEmulator meta = SandboxEmulator.start(options)) {
            ApplianceProcess appliance = ApplianceProcess.start(writeConfig(meta, webhookPort, policy), TOKEN_ENV,
                    Map.of(SECRET_ENV, SECRET));
            ManagedChannel ch = null;
            try {
                appliance.awaitServing();
                ch = NettyChannelBuilder.forAddress("127.0.0.1", appliance.port).usePlaintext().build();
                openWindows(meta, ch);
                Load load = new Load(ch, concurrency);
                load.start();
                Thread.sleep(warmup.toMillis());
                load.reset();
                double cpu0 = appliance.cpuSeconds();
                long t0 = System.nanoTime();
                Thread.sleep(window.toMillis());
                long done = load.completed();
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpu = appliance.cpuSeconds() - cpu0;
                org.HdrHistogram.Histogram latency = load.latency();
                load.stop();
                if (load.failure() != null) {
                    throw new IllegalStateException("a send was refused with policy " + (policy ? "on" : "off")
                            + ": " + load.failure());
                }
                double rate = done / seconds;
                out.printf(Locale.ROOT, (round < 0 ? "warm-up" : "round " + (round + 1)) + " policy %-3s %,8.0f msg/s  latency p50 %.2f ms  p99 %.2f ms"
                                + "  appliance %.2f cores%n", policy ? "on" : "off", rate,
                        latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
                        cpu / seconds);
                return rate;
            } finally {
                if (ch != null) {
                    ch.shutdownNow();
                }
                appliance.kill9();
            }
        }
    }

    /**
     * Each window user writes first (injected through the emulator's signed webhooks); returns
     * once a free-form send to the last of them is accepted, with policy on the proof that the
     * reconciler applied the windows, and once the template catalogue answers a template send.
     */
    private void openWindows(SandboxEmulator meta, ManagedChannel ch) throws InterruptedException {
        for (int u = 0; u < WINDOW_USERS; u++) {
            meta.injectInbound(InboundSpec.text(windowUser(u), "hello"));
        }
        MessagesGrpc.MessagesBlockingStub stub = MessagesGrpc.newBlockingStub(ch);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (SendRequest probe : new SendRequest[] {text(WINDOW_USERS - 1), utility(0), marketing(0)}) {
            while (true) {
                try {
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).send(probe);
                    break;
                } catch (StatusRuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the appliance did not get ready for the load: "
                                + e.getStatus(), e);
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    private static String windowUser(int u) {
        return String.format(Locale.ROOT, "1555%07d", u);
    }

    static SendRequest request(long i) {
        return switch ((int) (i % 3)) {
            case 0 -> text((int) (i / 3 % WINDOW_USERS));
            case 1 -> utility(i);
            default -> marketing(i);
        };
    }

    private static SendRequest text(int user) {
        return SendRequest.newBuilder().setFrom("bench").setTo("+" + windowUser(user))
                .setText(Text.newBuilder().setBody("Your ticket was updated; reply here if anything is unclear.")).build();
    }

    private static SendRequest utility(long i) {
        return SendRequest.newBuilder().setFrom("bench").setTo(String.format(Locale.ROOT, "+1666%07d", i % 10_000_000))
                .setTemplate(Template.newBuilder().setName("order_update").setLanguage("en_US")
                        .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BODY)
                                .addParameters(TemplateParameter.newBuilder().setText("A-" + i))
                                .addParameters(TemplateParameter.newBuilder().setText("shipped"))))
                .build();
    }

    private static SendRequest marketing(long i) {
        return SendRequest.newBuilder().setFrom("bench").setTo(String.format(Locale.ROOT, "+1777%07d", i % 10_000_000))
                .setTemplate(Template.newBuilder().setName("spring_sale").setLanguage("en_US")
                        .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.HEADER)
                                .addParameters(TemplateParameter.newBuilder()
                                        .setImage(Media.newBuilder().setLink("https://shop.example/spring.jpg"))))
                        .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BODY)
                                .addParameters(TemplateParameter.newBuilder().setText("20%")))
                        .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BUTTON)
                                .setSubType(TemplateComponent.ButtonSubType.URL).setIndex(0)
                                .addParameters(TemplateParameter.newBuilder().setText("spring" + i % 100))))
                .build();
    }

    private Path writeConfig(SandboxEmulator meta, int webhookPort, boolean policy) throws IOException {
        Path config = dir.resolve("wagate-policy-" + (policy ? "on" : "off") + ".yaml");
        Files.writeString(config, "data_dir: " + dir.resolve("data-" + System.nanoTime()) + "\n"
                + "grpc:\n  port: 0\n"
                + "cloud_api:\n  base_url: " + meta.baseUrl() + "\n"
                + "numbers:\n  - alias: bench\n    phone_number_id: \"" + NUMBER_ID + "\"\n"
                + "    waba_id: \"" + WABA_ID + "\"\n"
                + "    access_token_env: " + TOKEN_ENV + "\n    throughput: 20\n"
                + "outbox:\n  max_pending: 10000000\n"
                + "webhook:\n  port: " + webhookPort + "\n  apps:\n    - name: bench\n      app_secret_env: "
                + SECRET_ENV + "\n"
                + ApplianceProcess.masterKeyYaml(dir)
                + "policy:\n  enabled: " + policy + "\n");
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String list(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double d : v) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", d));
        }
        return b.toString();
    }

    private static String list3(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double d : v) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", d));
        }
        return b.toString();
    }

    /** {@code concurrency} callers, each sending its next request when the last was answered. */
    private static final class Load {
        private final MessagesGrpc.MessagesStub stub;
        private final Semaphore slots;
        private final AtomicLong next = new AtomicLong();
        private final AtomicLong completed = new AtomicLong();
        private final AtomicReference<String> failure = new AtomicReference<>();
        private final Recorder latency = new Recorder(3);
        private final Thread driver;
        private volatile boolean stopped;

        Load(ManagedChannel ch, int concurrency) {
            this.stub = MessagesGrpc.newStub(ch);
            this.slots = new Semaphore(concurrency);
            this.driver = new Thread(this::drive, "bench-policy-load");
            driver.setDaemon(true);
        }

        void start() {
            driver.start();
        }

        private void drive() {
            try {
                while (!stopped && failure.get() == null) {
                    slots.acquire();
                    long i = next.getAndIncrement();
                    long t = System.nanoTime();
                    stub.withDeadlineAfter(30, TimeUnit.SECONDS).send(request(i), new StreamObserver<>() {
                        @Override
                        public void onNext(SendResponse r) {
                            latency.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
                            completed.incrementAndGet();
                        }

                        @Override
                        public void onError(Throwable e) {
                            if (!stopped) {
                                failure.compareAndSet(null, "request " + i + ": " + e.getMessage());
                            }
                            slots.release();
                        }

                        @Override
                        public void onCompleted() {
                            slots.release();
                        }
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void reset() {
            completed.set(0);
            latency.reset();
        }

        long completed() {
            return completed.get();
        }

        org.HdrHistogram.Histogram latency() {
            return latency.getIntervalHistogram();
        }

        String failure() {
            return failure.get();
        }

        void stop() throws InterruptedException {
            stopped = true;
            driver.interrupt();
            driver.join(5_000);
        }
    }
}
