package io.wagate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.wagate.Appliance;
import io.wagate.TestAppliance;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.config.PolicyConfig;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import io.wagate.sandbox.SandboxTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance's template validator and the emulator's are two implementations of one rule table
 * (docs/POLICY.md, "Templates"): the same table of template sends goes through an appliance with
 * policy on (its verdict is the Send's refusal) and through an appliance with policy off whose
 * Meta is the emulator with its rules on (its verdict is the code the message failed with); they
 * must agree on every case.
 */
class TemplateAgreementTest {
    private static final String NUMBER_ID = TestAppliance.NUMBER_ID;
    private static final String TOKEN = TestAppliance.TOKEN;
    private static final String WABA = PolicyTemplates.WABA;

    @TempDir
    Path on;
    @TempDir
    Path off;

    @Test
    void applianceAndEmulator_agreeOnEveryCase() throws Exception {
        List<SandboxTemplate> templates = new ArrayList<>();
        for (String[] t : PolicyTemplates.ALL) {
            templates.add(SandboxTemplate.fromJson("{\"name\":\"" + t[0] + "\",\"language\":\"" + t[1]
                    + "\",\"status\":\"" + t[2] + "\",\"category\":\"" + t[3] + "\",\"parameter_format\":\"" + t[4]
                    + "\",\"waba_id\":\"" + WABA + "\",\"components\":" + t[5] + "}"));
        }
        List<PolicyTemplates.Case> table = PolicyTemplates.table();
        assertTrue(table.size() >= 25);
        try (SandboxEmulator meta = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER_ID, TOKEN, WABA)
                .withPolicyRules().withMarketingLimit(0).withTemplates(templates))) {
            Map<String, Integer> appliance = new LinkedHashMap<>();
            try (Running a = Running.start(on, meta, true)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!a.appliance.templates().status(WABA).hasLastSyncedAt()) {
                    assertTrue(System.nanoTime() < deadline, "synced from the emulator");
                    Thread.sleep(10);
                }
                int i = 0;
                for (PolicyTemplates.Case c : table) {
                    try {
                        a.messages().send(request(c, i++));
                        appliance.put(c.what(), 0);
                    } catch (StatusRuntimeException e) {
                        String code = io.grpc.protobuf.StatusProto.fromThrowable(e).getDetailsList().stream()
                                .filter(d -> d.is(com.google.rpc.ErrorInfo.class))
                                .map(d -> unpack(d).getMetadataOrDefault("meta_code", "?")).findFirst().orElse("?");
                        appliance.put(c.what(), Integer.valueOf(code));
                    }
                }
            }
            Map<String, Integer> emulator = new LinkedHashMap<>();
            try (Running b = Running.start(off, meta, false)) {
                Map<String, String> ids = new LinkedHashMap<>();
                int i = 0;
                for (PolicyTemplates.Case c : table) {
                    ids.put(c.what(), b.messages().send(request(c, i++)).getId());
                }
                for (Map.Entry<String, String> e : ids.entrySet()) {
                    Message m = b.awaitEnd(e.getValue());
                    emulator.put(e.getKey(), m.getState() == State.FAILED ? m.getLastError().getCode() : 0);
                }
            }
            for (PolicyTemplates.Case c : table) {
                assertEquals(c.verdict(), appliance.get(c.what()), "appliance: " + c.what());
            }
            assertEquals(appliance, emulator, "the emulator's verdicts (right) differ from the appliance's (left)");
        }
    }

    private static com.google.rpc.ErrorInfo unpack(com.google.protobuf.Any a) {
        try {
            return a.unpack(com.google.rpc.ErrorInfo.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** One recipient per case, so no per-user limit of the emulator can mix in. */
    private static SendRequest request(PolicyTemplates.Case c, int i) {
        return SendRequest.newBuilder().setFrom("support").setTo("+1650555" + String.format("%04d", i))
                .setTemplate(c.send()).build();
    }

    /** An appliance on the emulator, policy on or off. */
    private static final class Running implements AutoCloseable {
        final Appliance appliance;
        final ManagedChannel channel;

        private Running(Appliance appliance, ManagedChannel channel) {
            this.appliance = appliance;
            this.channel = channel;
        }

        static Running start(Path dir, SandboxEmulator meta, boolean policy) {
            ApplianceConfig c = TestAppliance.config(dir, meta.baseUrl(), TestAppliance.fastRetries(), null);
            List<NumberConfig> numbers = List.of(c.numbers().get(0).withWabaId(WABA));
            ApplianceConfig config = new ApplianceConfig(c.mode(), c.dataDir(), c.grpc(), c.cloudApi(), numbers,
                    c.outbox(), c.dispatch(), c.store(), c.shutdownTimeout(), c.webhook(), c.events(), c.media(),
                    policy ? PolicyConfig.defaults() : PolicyConfig.disabled());
            String name = InProcessServerBuilder.generateName();
            Appliance a = Appliance.start(config, Map.of(NUMBER_ID, TOKEN),
                    InProcessServerBuilder.forName(name).directExecutor());
            return new Running(a, InProcessChannelBuilder.forName(name).directExecutor().build());
        }

        MessagesGrpc.MessagesBlockingStub messages() {
            return MessagesGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        }

        Message awaitEnd(String id) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                Message m = messages().get(GetMessageRequest.newBuilder().setId(id).build());
                if (m.getState() == State.FAILED || m.getState() == State.SUBMITTED || m.getState() == State.SENT
                        || m.getState() == State.DELIVERED || m.getState() == State.READ) {
                    return m;
                }
                assertTrue(System.nanoTime() < deadline, "message " + id + " still " + m.getState());
                Thread.sleep(10);
            }
        }

        @Override
        public void close() {
            channel.shutdownNow();
            appliance.close();
        }
    }
}
