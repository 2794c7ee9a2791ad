package io.wagate;

import com.codahale.metrics.MetricRegistry;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.wagate.api.v1.EventLogStatus;
import io.wagate.api.v1.WebhookStatus;
import io.wagate.cloudapi.CloudApiClient;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.CloudApiConfig;
import io.wagate.config.ConfigException;
import io.wagate.config.MediaConfig;
import io.wagate.config.NumberConfig;
import io.wagate.dispatch.Dispatcher;
import io.wagate.dispatch.NumberGates;
import io.wagate.dispatch.StatusReconciler;
import io.wagate.policy.ContactWindows;
import io.wagate.events.ConsumerGroups;
import io.wagate.events.EventLog;
import io.wagate.grpc.AdminService;
import io.wagate.grpc.EventsService;
import io.wagate.grpc.MediaStoreService;
import io.wagate.grpc.MessagesService;
import io.wagate.grpc.SandboxService;
import io.wagate.media.EncryptedMediaStore;
import io.wagate.media.InboundMediaFetcher;
import io.wagate.media.MasterKeyRotator;
import io.wagate.media.OutboundMedia;
import io.wagate.outbox.Outbox;
import io.wagate.policy.SendPolicy;
import io.wagate.policy.TemplateCatalogue;
import io.wagate.policy.TemplateCheck;
import io.wagate.policy.WindowCheck;
import io.wagate.grpc.ContactsService;
import io.wagate.grpc.TemplatesService;
import io.wagate.policy.ConsentCheck;
import io.wagate.policy.ConsentFollower;
import io.wagate.policy.ConsentKeywords;
import io.wagate.policy.ConsentRegistry;
import io.wagate.policy.MessagingLimits;
import io.wagate.grpc.ConsentService;
import io.wagate.policy.BillingMeter;
import io.wagate.policy.BillingReporter;
import io.wagate.policy.ClientQuotaCheck;
import io.wagate.policy.ClientQuotas;
import io.wagate.policy.SendCheck;
import io.wagate.grpc.BillingService;
import io.wagate.grpc.ClientIdentity;
import io.wagate.outbox.OutboxStore;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.security.MasterKeys;
import io.wagate.webhook.NumberAliases;
import io.wagate.webhook.WebhookCredentials;
import io.wagate.webhook.WebhookMetrics;
import io.wagate.webhook.WebhookServer;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lifecycle owner: opens storage first and starts listeners last; closes in reverse with
 * bounded waits (health NOT_SERVING, stop accepting calls, let in-flight sends finish or leave them
 * queued, close storage).
 *
 * <pre>{@code
 * try (Appliance a = Appliance.start(config, tokens, NettyServerBuilder.forPort(7400))) {
 *     a.awaitTermination();
 * }
 * }</pre>
 */
public final class Appliance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Appliance.class);
    public static final String VERSION = versionOf();

    private final ApplianceConfig config;
    private final Database db;
    private CloudApiClient cloudApi;
    private Outbox outbox;
    private Dispatcher dispatcher;
    private EventLog eventLog;
    private ConsumerGroups groups;
    private StatusReconciler reconciler;
    private ContactWindows windows;
    private TemplateCatalogue templates;
    private ConsentRegistry consent;
    private ConsentFollower consentFollower;
    private MessagingLimits messagingLimits;
    private EncryptedMediaStore media;
    private InboundMediaFetcher mediaFetcher;
    private MasterKeyRotator keyRotator;
    private BillingMeter billingMeter;
    private ClientQuotas clientQuotas;
    private final HealthStatusManager health = new HealthStatusManager();
    private final MetricRegistry metrics = new MetricRegistry();
    private Server server;
    private WebhookServer webhook;
    private final AutoCloseable meta;
    private boolean closed;

    private Appliance(ApplianceConfig config, Map<String, String> tokens, WebhookCredentials webhookApps,
                      MasterKeys.Loaded masterKeys, ServerBuilder<?> grpc, AutoCloseable meta, LongSupplier clock) {
        this.config = config;
        this.meta = meta;
        long started = clock.getAsLong();
        this.db = Database.open(new StoreOptions(config.databaseDir(), config.store().minFreeBytes(),
                StoreOptions.defaults(config.databaseDir()).maxGroupSize(),
                StoreOptions.defaults(config.databaseDir()).freeSpaceProbe()));
        try {
            CloudApiConfig c = config.cloudApi();
            this.cloudApi = new CloudApiClient(c.baseUrl(), c.apiVersion(), c.connectTimeout(), c.requestTimeout());
            MasterKeys.Loaded keys = masterKeys != null ? masterKeys : sandboxMasterKey(config);
            this.media = EncryptedMediaStore.open(config.mediaDir(), db, config.media(), keys.ring(), metrics,
                    java.time.Clock.systemUTC());
            this.keyRotator = new MasterKeyRotator(media, keys.keyFile());
            this.eventLog = new EventLog(db, clock);
            this.windows = new ContactWindows(db);
            this.consent = new ConsentRegistry(db);
            this.groups = new ConsumerGroups(db, eventLog, config.events(), clock);
            this.outbox = new Outbox(config.outbox(), new OutboxStore(db), eventLog, clock);
            Outbox.Recovery recovery = outbox.recover(config.dispatch().reconciliationWindow());
            NumberGates gates = new NumberGates(config, System::nanoTime);
            outbox.scheduler().setGate(gates);
            OutboundMedia outboundMedia = new OutboundMedia(media, cloudApi, metrics, clock);
            this.dispatcher = new Dispatcher(config.dispatch(), outbox, cloudApi, tokens, gates, outboundMedia, metrics,
                    clock);
            this.reconciler = new StatusReconciler(db, eventLog, outbox, windows, metrics, clock);
            this.templates = new TemplateCatalogue(db, eventLog, cloudApi, config.numbers(), tokens,
                    config.policy().templates().syncInterval(), clock);
            this.consentFollower = new ConsentFollower(db, eventLog, consent,
                    new ConsentKeywords(config.policy().consent()), metrics);
            if (config.policy().enabled() && !config.policy().messagingLimit().unlimited()) {
                this.messagingLimits = new MessagingLimits(config.policy().messagingLimit().limit(), db, windows,
                        eventLog, metrics, clock);
                dispatcher.setMessagingLimits(messagingLimits);
            }
            this.mediaFetcher = new InboundMediaFetcher(db, eventLog, media, cloudApi, tokens, metrics, clock);
            this.billingMeter = new BillingMeter(db, eventLog, metrics, clock);
            this.clientQuotas = new ClientQuotas(db, config.policy().clients());
            grpc.maxInboundMessageSize(config.grpc().maxInboundMessageBytes())
                    .addService(new MessagesService(config, outbox, cloudApi, tokens, outboundMedia, sendPolicy(config)))
                    .addService(new AdminService(config, outbox.scheduler(), dispatcher::inFlight, gates,
                            () -> metrics.counter(Dispatcher.AMBIGUOUS_RESENDS).getCount(), started, VERSION,
                            this::webhookStatus, this::eventLogStatus, keyRotator::start))
                    .addService(new EventsService(groups, eventLog).definition())
                    .addService(new MediaStoreService(media, mediaFetcher, config.media()))
                    .addService(new TemplatesService(config, templates))
                    .addService(new ContactsService(config, windows, clock))
                    .addService(new ConsentService(config, consent, clock))
                    .addService(new BillingService(config, new BillingReporter(billingMeter, config.policy().billing(),
                            numberAliasesById(config))))
                    .addService(health.getHealthService())
                    .intercept(new ClientIdentity()); // the caller's declared name (wagate-client header)
            if (meta instanceof SandboxEmulator sandbox) {
                grpc.addService(new SandboxService(sandbox)); // sandbox mode only: elsewhere UNIMPLEMENTED
            }
            if (config.grpc().reflection()) {
                grpc.addService(ProtoReflectionServiceV1.newInstance());
            }
            reconciler.start();
            templates.start(); // the first sync runs in the background: start does not wait on Meta
            consentFollower.start();
            billingMeter.start();
            clientQuotas.start();
            media.start();
            keyRotator.resumeOnStart(keys.ring());
            mediaFetcher.start();
            dispatcher.start();
            groups.start();
            if (webhookApps != null && !webhookApps.apps().isEmpty()) {
                this.webhook = WebhookServer.start(config.webhook(), webhookApps, numberAliases(config), eventLog, metrics);
            } else {
                log.warn("no webhook apps configured (webhook.apps): inbound messages and statuses from Meta will not"
                        + " be received");
            }
            this.server = grpc.build().start();
            health.setStatus("", ServingStatus.SERVING);
            log.info("Wagate {} started in {} mode in {} ms; {} messages pending ({} were in flight at the last stop);"
                            + " numbers: {}", VERSION, config.mode().name().toLowerCase(), clock.getAsLong() - started,
                    recovery.pending(), recovery.wereInFlight(),
                    config.numbers().stream().map(NumberConfig::alias).toList());
        } catch (IOException e) {
            abortStart();
            throw new UncheckedIOException("could not start the gRPC listener: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            abortStart();
            throw e;
        }
    }

    /** Undoes a start that failed part way, in reverse order; fields not yet set are null. */
    private void abortStart() {
        if (webhook != null) {
            webhook.close(Duration.ZERO);
        }
        if (groups != null) {
            groups.close();
        }
        if (dispatcher != null) {
            dispatcher.close(Duration.ZERO);
        }
        if (reconciler != null) {
            reconciler.close();
        }
        if (templates != null) {
            templates.close();
        }
        if (consentFollower != null) {
            consentFollower.close();
        }
        closeBilling();
        closeMedia();
        if (cloudApi != null) {
            cloudApi.close();
        }
        db.close();
    }

    private void closeBilling() {
        if (billingMeter != null) {
            billingMeter.close();
        }
        if (clientQuotas != null) {
            clientQuotas.close();
        }
    }

    private void closeMedia() {
        if (mediaFetcher != null) {
            mediaFetcher.close();
        }
        if (keyRotator != null) {
            keyRotator.close();
        }
        if (media != null) {
            media.close();
        }
    }

    /**
     * A sandbox without a configured master key keeps a generated one in its data dir; production
     * gets its keys from {@code Main}, which refuses to start without them.
     */
    private static MasterKeys.Loaded sandboxMasterKey(ApplianceConfig config) {
        if (config.mode() != ApplianceConfig.Mode.SANDBOX || config.media().keySource() != MediaConfig.KeySource.NONE) {
            throw new ConfigException("media.master_key_file (or media.master_key_passphrase_env or"
                    + " media.master_key_passphrase_file) is required in production");
        }
        return MasterKeys.loadSandboxKey(config.dataDir().resolve(MediaConfig.SANDBOX_KEY_FILE));
    }

    /**
     * Opens the database, recovers the schedule, starts dispatching and then serving.
     *
     * @param tokens access token per phone-number id (resolved by {@code Main}; never logged)
     * @param grpc   a server builder bound where it should listen (Netty with or without TLS,
     *               or in-process in tests)
     */
    public static Appliance start(ApplianceConfig config, Map<String, String> tokens, ServerBuilder<?> grpc) {
        return new Appliance(config, tokens, null, null, grpc, null, System::currentTimeMillis);
    }

    /** As {@link #start}, also closing {@code meta} (the sandbox emulator) last when the appliance closes. */
    public static Appliance start(ApplianceConfig config, Map<String, String> tokens, ServerBuilder<?> grpc,
                                  AutoCloseable meta) {
        return new Appliance(config, tokens, null, null, grpc, meta, System::currentTimeMillis);
    }

    /**
     * As {@link #start}, also listening for Meta's webhooks ({@code config.webhook()}) signed by
     * one of {@code webhookApps} (secrets resolved by {@code Main}; never logged).
     */
    public static Appliance start(ApplianceConfig config, Map<String, String> tokens, WebhookCredentials webhookApps,
                                  ServerBuilder<?> grpc, AutoCloseable meta) {
        return new Appliance(config, tokens, webhookApps, null, grpc, meta, System::currentTimeMillis);
    }

    /**
     * As {@link #start(ApplianceConfig, Map, WebhookCredentials, ServerBuilder, AutoCloseable)}, with
     * the master key(s) {@code Main} loaded ({@link MasterKeys#load}); null: a sandbox's own key.
     */
    public static Appliance start(ApplianceConfig config, Map<String, String> tokens, WebhookCredentials webhookApps,
                                  MasterKeys.Loaded masterKeys, ServerBuilder<?> grpc, AutoCloseable meta) {
        return new Appliance(config, tokens, webhookApps, masterKeys, grpc, meta, System::currentTimeMillis);
    }

    /**
     * As {@link #start(ApplianceConfig, Map, WebhookCredentials, MasterKeys.Loaded, ServerBuilder,
     * AutoCloseable)}, reading time from {@code clock} (epoch milliseconds) instead of the system
     * clock: for tests of what happens as hours pass (the messaging limit's moving 24 hours).
     */
    public static Appliance start(ApplianceConfig config, Map<String, String> tokens, WebhookCredentials webhookApps,
                                  MasterKeys.Loaded masterKeys, ServerBuilder<?> grpc, AutoCloseable meta,
                                  LongSupplier clock) {
        return new Appliance(config, tokens, webhookApps, masterKeys, grpc, meta, clock);
    }

    /**
     * The checks every send passes before it is queued, in the order {@link SendPolicy} names;
     * none when {@code policy.enabled} is false.
     */
    private SendPolicy sendPolicy(ApplianceConfig config) {
        if (!config.policy().enabled()) {
            return SendPolicy.NONE;
        }
        List<SendCheck> checks = new java.util.ArrayList<>();
        TemplateCheck templateCheck = new TemplateCheck(templates);
        checks.add(templateCheck);
        checks.add(new WindowCheck(windows, templateCheck));
        checks.add(new ConsentCheck(consent, config.policy().consent().requireOptInForMarketing()));
        if (!clientQuotas.isEmpty()) {
            checks.add(new ClientQuotaCheck(clientQuotas)); // last: only sends every other check let through count
        }
        return new SendPolicy(checks);
    }

    private static Map<String, String> numberAliasesById(ApplianceConfig config) {
        Map<String, String> byId = new java.util.HashMap<>();
        config.numbers().forEach(n -> byId.put(n.phoneNumberId(), n.alias()));
        return byId;
    }

    private static NumberAliases numberAliases(ApplianceConfig config) {
        return NumberAliases.of(numberAliasesById(config));
    }

    private WebhookStatus webhookStatus() {
        return WebhookStatus.newBuilder()
                .setPort(Math.max(0, webhookPort()))
                .setPosts(metrics.counter(WebhookMetrics.POSTS).getCount())
                .setEventsStored(metrics.counter(WebhookMetrics.EVENTS_STORED).getCount())
                .setEventsDuplicate(metrics.counter(WebhookMetrics.EVENTS_DUPLICATE).getCount())
                .setRejectedSignature(metrics.counter(WebhookMetrics.REJECTED_SIGNATURE).getCount())
                .setRejectedMalformed(metrics.counter(WebhookMetrics.REJECTED_MALFORMED).getCount())
                .setStoreFailures(metrics.counter(WebhookMetrics.STORE_FAILURES).getCount())
                .build();
    }

    private EventLogStatus eventLogStatus() {
        return EventLogStatus.newBuilder().setFirstOffset(eventLog.first()).setHeadOffset(eventLog.head())
                .setReconciledOffset(reconciler.cursor()).build();
    }

    /** The port Meta's webhooks are taken on, or -1 when no webhook app is configured. */
    public int webhookPort() {
        return webhook == null ? -1 : webhook.port();
    }

    /** The address gRPC listens on (for port 0, the chosen port). */
    public SocketAddress grpcAddress() {
        return server.getListenSockets().isEmpty() ? null : server.getListenSockets().get(0);
    }

    /** The chosen TCP port, or -1 for in-process servers. */
    public int grpcPort() {
        SocketAddress a = grpcAddress();
        return a instanceof InetSocketAddress ? ((InetSocketAddress) a).getPort() : -1;
    }

    public ApplianceConfig config() {
        return config;
    }

    public MetricRegistry metrics() {
        return metrics;
    }

    public EventLog eventLog() {
        return eventLog;
    }

    public ContactWindows contactWindows() {
        return windows;
    }

    public TemplateCatalogue templates() {
        return templates;
    }

    public ConsentRegistry consent() {
        return consent;
    }

    public ConsentFollower consentFollower() {
        return consentFollower;
    }

    /** The messaging limit the dispatcher consults; null when policy is off or the tier is unlimited. */
    public MessagingLimits messagingLimits() {
        return messagingLimits;
    }

    public StatusReconciler reconciler() {
        return reconciler;
    }

    public ConsumerGroups consumerGroups() {
        return groups;
    }

    public Outbox outbox() {
        return outbox;
    }

    public EncryptedMediaStore media() {
        return media;
    }

    public BillingMeter billingMeter() {
        return billingMeter;
    }

    public ClientQuotas clientQuotas() {
        return clientQuotas;
    }

    public InboundMediaFetcher mediaFetcher() {
        return mediaFetcher;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops in reverse order of start, each step bounded. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Wagate stopping");
        health.enterTerminalState();
        if (webhook != null) {
            webhook.close(); // Meta gets 503 from now on and redelivers later; posts in flight finish
        }
        groups.close(); // ends subscriptions (UNAVAILABLE: reconnect), which would hold the server open
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        dispatcher.close(config.shutdownTimeout());
        reconciler.close();
        templates.close();
        consentFollower.close();
        closeBilling();
        closeMedia();
        cloudApi.close();
        db.close();
        if (meta != null) {
            try {
                meta.close();
            } catch (Exception e) {
                log.warn("closing the sandbox emulator failed: {}", e.toString());
            }
        }
        log.info("Wagate stopped");
    }

    private static String versionOf() {
        String v = Appliance.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
