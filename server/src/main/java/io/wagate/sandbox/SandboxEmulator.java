package io.wagate.sandbox;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, faithful emulator of Meta's Cloud API messages endpoint over real HTTP: the bootstrap
 * and the owner of everything the sandbox holds (registered numbers, what it received, the
 * limits it enforces, the fault plan, the listener and its outages).
 *
 * <pre>{@code
 * try (SandboxEmulator sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber("1065", "tok")
 *         .withMetaLimits())) {                                    // 80 msg/s, pair limit 45 / 6 s
 *     CloudApiClient client = new CloudApiClient(sandbox.baseUrl(), "v25.0", ...);
 *     sandbox.faults().failNext(1, "+16505551234", 130429);      // one throttle, then normal
 *     sandbox.faults().resetNext(1, null);                        // read, record as attempted, RST
 *     sandbox.outage(Duration.ofSeconds(30));                     // connection refused for 30 s
 *     sandbox.media().failDownloads(2, 503, null);                // the next two media downloads fail
 *     sandbox.injectInbound(InboundSpec.media("image", "16505551234", InboundMedia.ofSize(4096)));
 *     sandbox.templates().setStatus(null, "spring_sale", "en_US", "PAUSED", null); // with withPolicyRules()
 *     sandbox.policy().advance(Duration.ofHours(25));             // customer service windows close
 *     ...
 *     List<ReceivedMessage> got = sandbox.awaitReceived(1, Duration.ofSeconds(5));
 *     assertThat(sandbox.throttledCount()).isZero();
 * }
 * }</pre>
 *
 * <p>The same can be done from outside the JVM over the control API under {@code /_sandbox/};
 * see the package documentation.
 *
 * <p>Threading: thread-safe. Requests are served on a small event-loop group (two threads); the
 * query and scripting methods may be called from any thread at any time, except that the outage
 * methods block and must not be called on an event loop.
 */
public final class SandboxEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxEmulator.class);
    private static final int EVENT_LOOP_THREADS = 2;

    private final EventLoopGroup group;
    private final SandboxListener listener;
    private final ConcurrentHashMap<String, String> numbers;
    private final ReceivedMessageLog log;
    private final FaultPlan faults;
    private final SandboxLimits limits;
    private final SandboxWebhooks webhooks;
    private final SandboxMediaStore media;
    private final ConcurrentHashMap<String, String> wabas;
    private final TemplateCatalog templates;
    private final SandboxPolicy policy;
    private final URI baseUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SandboxEmulator(EventLoopGroup group, SandboxListener listener, InetSocketAddress local,
                            ConcurrentHashMap<String, String> numbers, ReceivedMessageLog log, FaultPlan faults,
                            SandboxLimits limits, SandboxWebhooks webhooks, SandboxMediaStore media,
                            ConcurrentHashMap<String, String> wabas, TemplateCatalog templates, SandboxPolicy policy) {
        this.media = media;
        this.wabas = wabas;
        this.templates = templates;
        this.policy = policy;
        this.group = group;
        this.listener = listener;
        this.numbers = numbers;
        this.log = log;
        this.faults = faults;
        this.limits = limits;
        this.webhooks = webhooks;
        String host = local.getAddress().getHostAddress();
        this.baseUrl = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + local.getPort());
    }

    /**
     * Binds and starts serving; the options' fault rules and outages start counting now.
     *
     * @throws IllegalStateException if the address cannot be bound
     */
    public static SandboxEmulator start(SandboxOptions options) {
        Objects.requireNonNull(options, "options");
        ConcurrentHashMap<String, String> numbers = new ConcurrentHashMap<>(options.numbers());
        ConcurrentHashMap<String, String> wabas = new ConcurrentHashMap<>();
        options.numbers().keySet().forEach(n -> wabas.put(n, options.wabaOf(n)));
        java.util.concurrent.atomic.AtomicReference<SandboxPolicy> policyRef = new java.util.concurrent.atomic.AtomicReference<>();
        TemplateCatalog templates = new TemplateCatalog(() -> policyRef.get().options().autoApprove());
        SandboxPolicy policy = new SandboxPolicy(options.policy(), templates, wabas, options.maxRecorded());
        policyRef.set(policy);
        options.templates().forEach(templates::add); // a bad seed fails the start, naming the template
        ReceivedMessageLog log = new ReceivedMessageLog(options.maxRecorded());
        FaultPlan faults = new FaultPlan();
        options.faults().forEach(faults::add);
        SandboxLimits limits = new SandboxLimits(options.limits());
        ChannelGroup channels = new DefaultChannelGroup("sandbox", GlobalEventExecutor.INSTANCE);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, NioIoHandler.newFactory());
        SandboxListener listener = new SandboxListener(group, options, channels);
        WamidGenerator wamids = new WamidGenerator();
        SandboxMediaStore media = new SandboxMediaStore(options.media());
        SandboxWebhooks webhooks = new SandboxWebhooks(options.webhooks(), numbers, wamids, media, policy);
        templates.setListener(new TemplateCatalog.Listener() {
            @Override
            public void statusChanged(SandboxTemplate t, String reason) {
                webhooks.templateStatusChanged(t, reason);
            }

            @Override
            public void categoryChanged(SandboxTemplate t, String previousCategory) {
                webhooks.templateCategoryChanged(t, previousCategory);
            }
        });
        policy.setListener(webhooks::userPreferenceChanged);
        SandboxControlApi control = new SandboxControlApi(faults, limits, log, listener, numbers,
                new WebhookControlApi(webhooks), media, new PolicyControlApi(templates, policy), policy);
        SandboxHttpHandler handler = new SandboxHttpHandler(numbers, log, faults, limits, options.latency(), control,
                wamids, webhooks, new SandboxMediaEndpoints(numbers, media),
                new SandboxTemplateEndpoints(numbers, wabas, templates), policy);
        InetSocketAddress local;
        try {
            local = listener.bind(new SandboxServerInitializer(options, handler, faults, channels, listener,
                    () -> new SandboxMediaUploadHandler(numbers, media)));
        } catch (IllegalStateException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            webhooks.close();
            throw e;
        }
        options.outages().forEach(o -> listener.scheduleOutage(o.after(), o.length()));
        SandboxEmulator sandbox = new SandboxEmulator(group, listener, local, numbers, log, faults, limits,
                webhooks, media, wabas, templates, policy);
        LOG.info("sandbox Cloud API listening on {} with {} number(s)", sandbox.baseUrl, numbers.size());
        return sandbox;
    }

    /** Scheme, host and port to give a Cloud API client in place of {@code https://graph.facebook.com}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Lets {@code accessToken} send from {@code phoneNumberId} (replacing any earlier token), in its WABA or the default one. */
    public void registerNumber(String phoneNumberId, String accessToken) {
        wabas.putIfAbsent(Objects.requireNonNull(phoneNumberId), SandboxOptions.DEFAULT_WABA_ID);
        numbers.put(phoneNumberId, Objects.requireNonNull(accessToken));
    }

    /** As {@link #registerNumber(String, String)}, the number belonging to {@code wabaId}. */
    public void registerNumber(String phoneNumberId, String accessToken, String wabaId) {
        if (wabaId == null || !wabaId.matches("[0-9]{1,32}")) {
            throw new IllegalArgumentException("waba_id must be 1-32 digits, got " + wabaId);
        }
        wabas.put(Objects.requireNonNull(phoneNumberId), wabaId);
        numbers.put(phoneNumberId, Objects.requireNonNull(accessToken));
    }

    /** The message templates of the sandbox's WABAs: add, approve, pause, recategorise. */
    public TemplateCatalog templates() {
        return templates;
    }

    /** Policy rules and state: windows, opt-outs, the marketing limit, the policy clock, the billing record. */
    public SandboxPolicy policy() {
        return policy;
    }

    /** Every message the sandbox priced, oldest first, as {@code GET /_sandbox/billing} reports it. */
    public List<BillingRecord> billing() {
        return policy.billing();
    }

    /** Status and inbound webhooks: target, behaviour, delivery counts; changes apply to what comes next. */
    public SandboxWebhooks webhooks() {
        return webhooks;
    }

    /**
     * Posts a signed {@code messages} webhook as if a user's phone had sent {@code spec}.
     *
     * @return the new message's wamid
     * @throws IllegalArgumentException if the spec is malformed (the message names the field)
     * @throws IllegalStateException if no webhook target is configured or too much is undelivered
     * @see SandboxWebhooks#injectInbound
     */
    public String injectInbound(InboundSpec spec) {
        return webhooks.injectInbound(spec);
    }

    /** True once every webhook generated so far was answered 200 or dropped; false after {@code timeout}. */
    public boolean awaitWebhooksIdle(Duration timeout) {
        return webhooks.awaitIdle(timeout);
    }

    /**
     * The media the sandbox holds (uploaded and inbound): inspect, lose an id, expire URLs, script
     * download failures, age media with {@link SandboxMediaStore#advance}.
     */
    public SandboxMediaStore media() {
        return media;
    }

    /** The scripted faults; changes apply to the next request. */
    public FaultPlan faults() {
        return faults;
    }

    /** The Meta limits in force (changeable while running) and what they refused. */
    public SandboxLimits limits() {
        return limits;
    }

    /** Sends answered 130429 (number throughput reached), all numbers; see {@link SandboxLimits#reset()}. */
    public long throttledCount() {
        return limits.throttledCount();
    }

    /** Sends from one number answered 130429. */
    public long throttledCount(String phoneNumberId) {
        return limits.throttledCount(phoneNumberId);
    }

    /** Sends answered 131056 (pair rate limit), all numbers. */
    public long pairLimitedCount() {
        return limits.pairLimitedCount();
    }

    /** Sends from one number answered 131056. */
    public long pairLimitedCount(String phoneNumberId) {
        return limits.pairLimitedCount(phoneNumberId);
    }

    /**
     * Takes the listener down for {@code length}: the server socket and every connection are
     * closed, so clients get "connection refused", then the same port listens again. Returns once
     * it is down. During an outage, a new call sets when it ends (from now).
     */
    public void outage(Duration length) {
        Objects.requireNonNull(length, "length");
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("outage length must be > 0, got " + length);
        }
        listener.beginOutage(length);
    }

    /** Takes the listener down until {@link #endOutage()}; returns once it is down. */
    public void startOutage() {
        listener.beginOutage(null);
    }

    /**
     * Ends an outage: listens on the same port again; returns once it does. No effect when up.
     *
     * @throws IllegalStateException if the port stayed taken by someone else (it keeps trying)
     */
    public void endOutage() {
        listener.endOutage();
    }

    /** True while the listener is down. */
    public boolean inOutage() {
        return listener.isDown();
    }

    /** Accepted sends in arrival order (the newest {@code maxRecorded}); an immutable snapshot. */
    public List<ReceivedMessage> received() {
        return log.received();
    }

    /** Accepted sends from one number; an immutable snapshot. */
    public List<ReceivedMessage> received(String phoneNumberId) {
        return log.received(phoneNumberId);
    }

    /** How many sends were accepted since start or the last {@link #clearReceived()}. */
    public int receivedCount() {
        return log.receivedCount();
    }

    /**
     * Requests the sandbox read but deliberately never answered (scripted drop, reset after read,
     * or stall). Meta may have accepted such requests, so they are not "received" but not nothing
     * either. Requests reset before they were read are not here.
     */
    public List<ReceivedMessage> attempted() {
        return log.attempted();
    }

    /** How many requests were attempted (see {@link #attempted()}) since start or the last {@link #clearReceived()}. */
    public long attemptedCount() {
        return log.attemptedCount();
    }

    /** Accepted mark-read requests; an immutable snapshot. */
    public List<ReceivedMessage> markedRead() {
        return log.markedRead();
    }

    /**
     * Forgets everything received, attempted and marked read, and resets those counts. Limits and
     * their counts stay: see {@link SandboxLimits#reset()}.
     */
    public void clearReceived() {
        log.clear();
    }

    /**
     * Waits until at least {@code count} sends were accepted.
     *
     * @return a snapshot of the received messages
     * @throws IllegalStateException on timeout (naming how many arrived) or interrupt
     */
    public List<ReceivedMessage> awaitReceived(int count, Duration timeout) {
        return log.awaitReceived(count, timeout);
    }

    /** Stops listening (ending any outage for good), closes every connection (stalled ones too) and stops the event loops. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listener.close();
        webhooks.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        LOG.info("sandbox Cloud API on {} stopped", baseUrl);
    }
}
