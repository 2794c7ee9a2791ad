package io.wagate;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.wagate.api.v1.AdminGrpc;
import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.CloudApiConfig;
import io.wagate.config.DispatchConfig;
import io.wagate.config.GrpcConfig;
import io.wagate.config.NumberConfig;
import io.wagate.config.OutboxConfig;
import io.wagate.config.PolicyConfig;
import io.wagate.config.StoreConfig;
import io.wagate.config.WebhookConfig;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import io.wagate.webhook.WebhookCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The whole appliance on real parts for tests: a real RocksDB under a temp dir, the sandbox
 * emulator over real sockets, and the gRPC services in-process.
 */
public final class TestAppliance implements AutoCloseable {
    public static final String NUMBER_ID = "100000000000001";
    public static final String OTHER_NUMBER_ID = "100000000000002";
    public static final String TOKEN = "test-token-1";
    public static final String APP_SECRET = "test-app-secret";
    public static final String VERIFY_TOKEN = "test-verify-token";

    public final SandboxEmulator meta;
    public final Path dataDir;
    private final String name = "wagate-test-" + UUID.randomUUID();
    public Appliance appliance;
    private ManagedChannel channel;
    private ApplianceConfig config;

    private TestAppliance(SandboxEmulator meta, Path dataDir) {
        this.meta = meta;
        this.dataDir = dataDir;
    }

    /** Emulator plus appliance with fast retries. */
    public static TestAppliance start(Path dataDir) {
        return start(dataDir, fastRetries(), null);
    }

    public static DispatchConfig fastRetries() {
        return new DispatchConfig(64, 5, Duration.ofMillis(20), Duration.ofMillis(200))
                .withReconciliationWindow(Duration.ofSeconds(1));
    }

    /** @param metaUrl where the appliance looks for Meta, or null for the emulator */
    public static TestAppliance start(Path dataDir, DispatchConfig dispatch, URI metaUrl) {
        SandboxEmulator meta = SandboxEmulator.start(SandboxOptions.defaults()
                .withNumber(NUMBER_ID, TOKEN).withNumber(OTHER_NUMBER_ID, TOKEN));
        TestAppliance t = new TestAppliance(meta, dataDir);
        t.config = config(dataDir, metaUrl == null ? meta.baseUrl() : metaUrl, dispatch, null);
        t.open();
        return t;
    }

    /** Numbers at 1,000 msg/s, so tests that are not about pacing are not slowed by it. */
    public static ApplianceConfig config(Path dataDir, URI metaUrl, DispatchConfig dispatch, StoreConfig store) {
        return config(dataDir, metaUrl, dispatch, store, NumberConfig.MAX_THROUGHPUT);
    }

    public static ApplianceConfig config(Path dataDir, URI metaUrl, DispatchConfig dispatch, StoreConfig store,
                                         int throughput) {
        return new ApplianceConfig(ApplianceConfig.Mode.SANDBOX, dataDir, GrpcConfig.loopback(0),
                CloudApiConfig.defaults().withBaseUrl(metaUrl).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)),
                List.of(new NumberConfig("support", NUMBER_ID, null, null, throughput),
                        new NumberConfig("sales", OTHER_NUMBER_ID, null, null, throughput)),
                new OutboxConfig(null, null, null, null), dispatch, store, Duration.ofSeconds(2))
                .withWebhook(WebhookConfig.loopback(0, List.of()))
                // tests not about policy send free-form to users who never wrote; policy tests turn it on
                .withPolicy(PolicyConfig.disabled());
    }

    /** Starts (again) with the current config. */
    public void open() {
        appliance = Appliance.start(config, Map.of(NUMBER_ID, TOKEN, OTHER_NUMBER_ID, TOKEN),
                WebhookCredentials.of(List.of(new WebhookCredentials.App("test", APP_SECRET, VERIFY_TOKEN))),
                InProcessServerBuilder.forName(name).directExecutor(), null);
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** Restarts against another Meta URL (or the emulator when null). */
    public void reopen(URI metaUrl) {
        closeAppliance();
        config = config(dataDir, metaUrl == null ? meta.baseUrl() : metaUrl, config.dispatch(), config.store());
        open();
    }

    public void reconfigure(ApplianceConfig newConfig) {
        closeAppliance();
        config = newConfig;
        open();
    }

    /** Where the appliance takes webhooks now (the port changes on every start). */
    public URI webhookUri() {
        return URI.create("http://127.0.0.1:" + appliance.webhookPort() + config.webhook().path());
    }

    /**
     * Lets the emulator post its webhooks (statuses after each accepted send, injected inbound
     * messages) to the appliance, as Meta would; off by default so tests about sending see
     * SUBMITTED stay SUBMITTED. Call again after a restart.
     */
    public void connectWebhooks() {
        meta.webhooks().setTarget(webhookUri(), APP_SECRET);
    }

    public ApplianceConfig config() {
        return config;
    }

    public MessagesGrpc.MessagesBlockingStub messages() {
        return MessagesGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public MessagesGrpc.MessagesStub messagesAsync() {
        return MessagesGrpc.newStub(channel);
    }

    public EventsGrpc.EventsBlockingStub events() {
        return EventsGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public EventsGrpc.EventsStub eventsAsync() {
        return EventsGrpc.newStub(channel);
    }

    public io.wagate.api.v1.MediaStoreGrpc.MediaStoreBlockingStub media() {
        return io.wagate.api.v1.MediaStoreGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public io.wagate.api.v1.MediaStoreGrpc.MediaStoreStub mediaAsync() {
        return io.wagate.api.v1.MediaStoreGrpc.newStub(channel);
    }

    /** The in-process channel to the appliance, for stubs of other services. */
    public ManagedChannel channel() {
        return channel;
    }

    public AdminGrpc.AdminBlockingStub admin() {
        return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public io.wagate.api.v1.BillingGrpc.BillingBlockingStub billing() {
        return io.wagate.api.v1.BillingGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public void closeAppliance() {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
        if (appliance != null) {
            appliance.close();
            appliance = null;
        }
    }

    @Override
    public void close() {
        closeAppliance();
        meta.close();
    }
}
