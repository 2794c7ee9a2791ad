package io.wagate.policy;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.wagate.Appliance;
import io.wagate.TestAppliance;
import io.wagate.api.v1.ConsentGrpc;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.PolicyConfig;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import io.wagate.webhook.WebhookCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole appliance with policy ON, on real parts (RocksDB in a temp dir, the emulator over
 * real sockets, in-process gRPC), reading time from a clock that runs and that the test can move ahead.
 */
final class PolicyFixture implements AutoCloseable {
    static final String NUMBER_ID = TestAppliance.NUMBER_ID;
    static final String OTHER_NUMBER_ID = TestAppliance.OTHER_NUMBER_ID;

    final SandboxEmulator meta;
    /** How far the appliance's clock is ahead of the system clock: time flows, and tests jump ahead. */
    private final AtomicLong offset = new AtomicLong();
    final Path dataDir;
    ApplianceConfig config;
    Appliance appliance;
    private ManagedChannel channel;
    private final String name = "wagate-policy-" + UUID.randomUUID();

    PolicyFixture(Path dataDir, PolicyConfig policy) {
        this.dataDir = dataDir;
        this.meta = SandboxEmulator.start(SandboxOptions.defaults()
                .withNumber(NUMBER_ID, TestAppliance.TOKEN).withNumber(OTHER_NUMBER_ID, TestAppliance.TOKEN));
        this.config = TestAppliance.config(dataDir, meta.baseUrl(), TestAppliance.fastRetries(), null).withPolicy(policy);
        open();
    }

    void open() {
        appliance = Appliance.start(config, Map.of(NUMBER_ID, TestAppliance.TOKEN, OTHER_NUMBER_ID, TestAppliance.TOKEN),
                WebhookCredentials.of(List.of(new WebhookCredentials.App("test", TestAppliance.APP_SECRET,
                        TestAppliance.VERIFY_TOKEN))),
                null, InProcessServerBuilder.forName(name).directExecutor(), null, this::now);
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        meta.webhooks().setTarget(webhookUri(), TestAppliance.APP_SECRET);
    }

    /** The appliance's time, epoch milliseconds. */
    long now() {
        return System.currentTimeMillis() + offset.get();
    }

    /** Moves the appliance's clock to {@code millis} (it goes on from there). */
    void setTime(long millis) {
        offset.set(millis - System.currentTimeMillis());
    }

    void restart() {
        closeAppliance();
        open();
    }

    URI webhookUri() {
        return URI.create("http://127.0.0.1:" + appliance.webhookPort() + config.webhook().path());
    }

    ConsentGrpc.ConsentBlockingStub consent() {
        return ConsentGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    MessagesGrpc.MessagesBlockingStub messages() {
        return MessagesGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    void closeAppliance() {
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
