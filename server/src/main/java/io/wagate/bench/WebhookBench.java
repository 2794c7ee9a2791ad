package io.wagate.bench;

import com.google.protobuf.util.Durations;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.StartPosition;
import io.wagate.api.v1.SubscribeRequest;
import io.wagate.api.v1.SubscribeResponse;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * {@code wagate bench webhooks}: signed webhooks into the appliance, durably, while it dispatches,
 * and from the webhook to subscribers.
 *
 * <p>The appliance runs as a child JVM. Here: the emulator (Meta for the dispatcher, which also
 * posts its status webhooks to the appliance), a sender of {@code --dispatch-rate} messages/s
 * through gRPC, an open-loop generator of signed inbound-message webhooks at {@code --rate} (POST
 * latency measured from the intended send time, so a stall is not hidden), and subscribers, one
 * consumer group each, timing each generated message from its POST to their {@code onNext}. With
 * {@code --slow-subscriber}, one more group reads ten times slower than the others; the others'
 * rate and the child's heap are printed to compare with a run without it. The same-run baseline
 * is a raw fsync loop (4 KiB write + force) on the data disk.
 */
public final class WebhookBench {
    private static final String TOKEN_ENV = "WAGATE_BENCH_TOKEN";
    private static final String SECRET_ENV = "WAGATE_BENCH_APP_SECRET";
    private static final String SECRET = "bench-app-secret";
    private static final String NUMBER_ID = "100000000000001";

    private final Path dir;
    private final int rate;
    private final int dispatchRate;
    private final int subscribers;
    private final boolean slowSubscriber;
    private final Duration warmup;
    private final Duration window;
    private final PrintStream out;
    private final Map<String, Long> postedAt = new ConcurrentHashMap<>();

    public WebhookBench(Path dir, int rate, int dispatchRate, int subscribers, boolean slowSubscriber,
                        Duration warmup, Duration window, PrintStream out) {
        this.dir = dir;
        this.rate = rate;
        this.dispatchRate = dispatchRate;
        this.subscribers = subscribers;
        this.slowSubscriber = slowSubscriber;
        this.warmup = warmup;
        this.window = window;
        this.out = out;
    }

    /** Returns 0 when the rate, the POST p99 and the subscriber p99 meet the targets. */
    public int run() throws Exception {
        Files.createDirectories(dir);
        Histogram fsync = fsyncBaseline(dir, Duration.ofSeconds(3));
        int webhookPort = freePort();
        URI target = URI.create("http://127.0.0.1:" + webhookPort + "/webhook");
        SandboxOptions options = SandboxOptions.defaults().withNumber(NUMBER_ID, "bench-token")
                .withWebhook(target, SECRET);
        try (SandboxEmulator meta = SandboxEmulator.start(options)) {
            ApplianceProcess appliance = ApplianceProcess.start(writeConfig(meta, webhookPort), TOKEN_ENV,
                    Map.of(SECRET_ENV, SECRET));
            try {
                appliance.millisUntilFirstSend();
                int result = measure(appliance, target, fsync);
                out.printf(Locale.ROOT, "emulator       %s%n", meta.webhooks().stats());
                return result;
            } finally {
                appliance.kill9();
            }
        }
    }

    private int measure(ApplianceProcess appliance, URI target, Histogram fsync) throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", appliance.port).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
        List<Subscriber> subs = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            subs.add(Subscriber.open(ch, "bench-" + i, 0, postedAt));
        }
        Subscriber slow = slowSubscriber ? Subscriber.open(ch, "bench-slow", 10, postedAt) : null;
        Thread dispatch = dispatchRate == 0 ? new Thread(() -> { }) : new Thread(() -> {
            try {
                StreamFiller.fill(ch, Long.MAX_VALUE, i -> io.wagate.api.v1.SendRequest.newBuilder().setFrom("bench")
                        .setTo(String.format("+1555%07d", i % 20_000))
                        .setText(io.wagate.api.v1.Text.newBuilder().setBody("dispatch " + i)).build(), (long) dispatchRate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the channel closes at the end
            }
        }, "bench-dispatch");
        dispatch.setDaemon(true);
        dispatch.start();
        Generator gen = new Generator(target, rate, postedAt);
        out.printf(Locale.ROOT, "offering %d signed webhooks/s and %d sends/s; %d subscriber(s)%s; warm-up %d s ...%n",
                rate, dispatchRate, subscribers, slowSubscriber ? " + 1 reading 10x slower" : "", warmup.toSeconds());
        gen.start();
        Thread.sleep(warmup.toMillis());
        gen.reset();
        subs.forEach(Subscriber::reset);
        if (slow != null) {
            slow.reset();
        }
        double cpu0 = appliance.cpuSeconds();
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu1 = appliance.cpuSeconds();
        Histogram post = gen.latency.getIntervalHistogram();
        long ok = gen.ok.get();
        long failed = gen.failed.get();
        gen.stop();
        dispatch.interrupt();
        String heap = appliance.heapAfterGc();

        double ingest = ok / seconds;
        out.printf(Locale.ROOT, "webhooks       %.0f/s answered 200 over %.0f s (%,d; %,d not 200)%n", ingest, seconds,
                ok, failed);
        out.printf(Locale.ROOT, "POST latency   p50 %.2f ms  p99 %.2f ms  max %.2f ms (target p99 < 50 ms)%n",
                post.getValueAtPercentile(50) / 1e3, post.getValueAtPercentile(99) / 1e3, post.getMaxValue() / 1e3);
        out.printf(Locale.ROOT, "baseline       fsync (4 KiB write + force, same disk, same run) p50 %.2f ms  p99 %.2f ms;"
                        + " POST p99 / fsync p99 = %.1f%n", fsync.getValueAtPercentile(50) / 1e3,
                fsync.getValueAtPercentile(99) / 1e3,
                post.getValueAtPercentile(99) / (double) Math.max(1, fsync.getValueAtPercentile(99)));
        double worstP99 = 0;
        for (Subscriber s : subs) {
            Histogram h = s.latency.getIntervalHistogram();
            worstP99 = Math.max(worstP99, h.getValueAtPercentile(99) / 1e3);
            out.printf(Locale.ROOT, "subscriber %-10s %.0f events/s; webhook -> onNext p50 %.2f ms  p99 %.2f ms"
                            + "  max %.2f ms%n", s.group, s.events.get() / seconds, h.getValueAtPercentile(50) / 1e3,
                    h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
        }
        if (slow != null) {
            out.printf(Locale.ROOT, "subscriber %-10s %.0f events/s (reads 10x slower)%n", slow.group,
                    slow.events.get() / seconds);
        }
        out.printf(Locale.ROOT, "appliance      %.2f cores; heap after GC: %s%n", (cpu1 - cpu0) / seconds, heap);
        ch.shutdownNow();
        boolean met = ingest >= 0.99 * rate && post.getValueAtPercentile(99) < 50_000 && worstP99 < 100;
        out.printf(Locale.ROOT, "targets        >= 3,000/s, POST p99 < 50 ms, subscriber p99 < 100 ms -> %s%n",
                met && rate >= 3000 ? "met" : "MISSED (or a lower --rate)");
        return met ? 0 : 1;
    }

    /**
     * Open-loop poster over a fixed set of keep-alive connections: webhook n is due at start + n /
     * rate; a worker takes the next due one, waits for its time and posts it. Latency counts from
     * the due time, so a stalled server shows up in it instead of slowing the offered rate.
     */
    private static final class Generator {
        static final int CONNECTIONS = 64;
        final Recorder latency = new Recorder(3);
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        private final URI target;
        private final int rate;
        private final Map<String, Long> postedAt;
        private final AtomicLong next = new AtomicLong();
        private final List<Thread> workers = new ArrayList<>();
        private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        private volatile boolean stopped;
        private long startNanos;

        Generator(URI target, int rate, Map<String, Long> postedAt) {
            this.target = target;
            this.rate = rate;
            this.postedAt = postedAt;
        }

        void start() {
            startNanos = System.nanoTime();
            for (int i = 0; i < CONNECTIONS; i++) {
                Thread t = new Thread(this::work, "bench-webhook-" + i);
                t.setDaemon(true);
                workers.add(t);
                t.start();
            }
        }

        private void work() {
            // one kept-alive connection per worker, plain HTTP/1.1 written by hand: the JDK
            // HttpClient costs the generator more CPU than the appliance spends on the webhook
            RawHttpConnection http = new RawHttpConnection(target);
            while (!stopped) {
                long n = next.getAndIncrement();
                long due = startNanos + n * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                post(http, n, due);
            }
        }

        private void post(RawHttpConnection http, long n, long dueNanos) {
            String wamid = "wamid.BENCH" + n;
            String user = "1666" + String.format("%07d", n % 5000);
            String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"200000000000001\","
                    + "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
                    + "\"metadata\":{\"display_phone_number\":\"15550000001\",\"phone_number_id\":\"" + NUMBER_ID + "\"},"
                    + "\"contacts\":[{\"profile\":{\"name\":\"Bench\"},\"wa_id\":\"" + user + "\"}],"
                    + "\"messages\":[{\"from\":\"" + user + "\",\"id\":\"" + wamid
                    + "\",\"timestamp\":\"" + System.currentTimeMillis() / 1000 + "\",\"type\":\"text\","
                    + "\"text\":{\"body\":\"bench message " + n + "\"}}]}}]}]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String signature = "sha256=" + HexFormat.of().formatHex(mac.get().doFinal(bytes));
            postedAt.put(wamid, dueNanos);
            try {
                int status = http.post(bytes, signature);
                (status == 200 ? ok : failed).incrementAndGet();
            } catch (IOException e) {
                failed.incrementAndGet();
                http.close();
            }
            latency.recordValue(Math.max(0, (System.nanoTime() - dueNanos) / 1000));
        }

        void reset() {
            latency.getIntervalHistogram();
            ok.set(0);
            failed.set(0);
        }

        void stop() {
            stopped = true;
        }
    }

    /** One consumer group with one member; acks each event, after {@code slowFactor}x the work when slow. */
    private static final class Subscriber implements ClientResponseObserver<SubscribeRequest, SubscribeResponse> {
        final Recorder latency = new Recorder(3);
        final AtomicLong events = new AtomicLong();
        final String group;
        private final int slowFactor;
        private final Map<String, Long> postedAt;
        private ClientCallStreamObserver<SubscribeRequest> requests;
        private final ScheduledExecutorService acker = Executors.newSingleThreadScheduledExecutor();
        private final SubscribeRequest.Ack.Builder pendingAcks = SubscribeRequest.Ack.newBuilder();

        private Subscriber(String group, int slowFactor, Map<String, Long> postedAt) {
            this.group = group;
            this.slowFactor = slowFactor;
            this.postedAt = postedAt;
        }

        static Subscriber open(ManagedChannel ch, String group, int slowFactor, Map<String, Long> postedAt) {
            Subscriber s = new Subscriber(group, slowFactor, postedAt);
            EventsGrpc.newStub(ch).subscribe(s);
            s.acker.scheduleWithFixedDelay(() -> {
                synchronized (s) {
                    s.flushAcks();
                }
            }, 2, 2, TimeUnit.MILLISECONDS);
            s.requests.onNext(SubscribeRequest.newBuilder().setOpen(SubscribeRequest.Open.newBuilder()
                    .setGroup(group + "-" + System.nanoTime()).setStart(StartPosition.newBuilder().setLatest(true))
                    .setMaxInFlight(slowFactor > 0 ? 50 : 1000).setAckDeadline(Durations.fromSeconds(60))).build());
            return s;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SubscribeRequest> r) {
            this.requests = r;
        }

        @Override
        public void onNext(SubscribeResponse r) {
            if (!r.hasEvent()) {
                return;
            }
            Event e = r.getEvent();
            events.incrementAndGet();
            if (e.hasInbound()) {
                Long at = postedAt.get(e.getInbound().getWamid());
                if (at != null && slowFactor == 0) {
                    latency.recordValue(Math.max(0, (System.nanoTime() - at) / 1000));
                }
            }
            if (slowFactor == 0) {
                // acks batched as a real consumer would: one message per 100 events or 2 ms
                synchronized (this) {
                    pendingAcks.addOffsets(e.getOffset());
                    if (pendingAcks.getOffsetsCount() >= 100) {
                        flushAcks();
                    }
                }
            } else {
                SubscribeRequest ack = SubscribeRequest.newBuilder().setAck(SubscribeRequest.Ack.newBuilder()
                        .addOffsets(e.getOffset())).build();
                // about a tenth of the others' pace: each event takes ~1.6 ms of "work" (50 in flight)
                acker.schedule(() -> {
                    synchronized (this) {
                        requests.onNext(ack);
                    }
                }, 80L * slowFactor / 10, TimeUnit.MILLISECONDS);
            }
        }

        private void flushAcks() {
            if (pendingAcks.getOffsetsCount() > 0) {
                requests.onNext(SubscribeRequest.newBuilder().setAck(pendingAcks).build());
                pendingAcks.clear();
            }
        }

        @Override
        public void onError(Throwable t) {
            acker.shutdownNow();
        }

        @Override
        public void onCompleted() {
            acker.shutdownNow();
        }

        void reset() {
            latency.getIntervalHistogram();
            events.set(0);
        }
    }

    /** A raw fsync loop on the data disk: 4 KiB written and forced, one thread, for {@code d}. */
    static Histogram fsyncBaseline(Path dir, Duration d) throws IOException {
        Histogram h = new Histogram(3);
        Path f = dir.resolve("fsync-baseline.tmp");
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long end = System.nanoTime() + d.toNanos();
            long pos = 0;
            while (System.nanoTime() < end) {
                long t = System.nanoTime();
                block.clear();
                ch.write(block, pos);
                ch.force(false);
                h.recordValue((System.nanoTime() - t) / 1000);
                pos = (pos + 4096) % (64L << 20);
            }
        } finally {
            Files.deleteIfExists(f);
        }
        return h;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Path writeConfig(SandboxEmulator meta, int webhookPort) throws IOException {
        Path config = dir.resolve("wagate-webhooks.yaml");
        Files.writeString(config, "data_dir: " + dir.resolve("data-" + System.nanoTime()) + "\n"
                + "grpc:\n  port: 0\n"
                + "cloud_api:\n  base_url: " + meta.baseUrl() + "\n"
                + "numbers:\n  - alias: bench\n    phone_number_id: \"" + NUMBER_ID + "\"\n"
                + "    access_token_env: " + TOKEN_ENV + "\n    throughput: 1000\n"
                + "webhook:\n  port: " + webhookPort + "\n  apps:\n    - name: bench\n      app_secret_env: "
                + SECRET_ENV + "\n" + ApplianceProcess.mediaKeyYaml(dir));
        return config;
    }
}
