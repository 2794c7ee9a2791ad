package io.wagate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.wagate.Appliance;
import io.wagate.TestAppliance;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.PolicyConfig;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import io.wagate.sandbox.SandboxTemplate;
import io.wagate.webhook.WebhookCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue synced from the sandbox emulator with its policy rules on (Meta's template
 * endpoints over real sockets): many templates across pages, then a template status change in the
 * emulator reaching the appliance as Meta's signed webhook and applied at once.
 */
class CatalogueFromEmulatorTest {
    private static final String WABA = SandboxOptions.DEFAULT_WABA_ID;

    @TempDir
    Path dir;

    @Test
    void syncsEveryPage_andFollowsStatusWebhooks() throws Exception {
        List<SandboxTemplate> many = new ArrayList<>();
        for (int i = 0; i < 260; i++) {
            many.add(SandboxTemplate.fromJson(String.format("{\"name\":\"bulk_%03d\",\"language\":\"%s\","
                    + "\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\",\"text\":\"Order {{1}}\"}]}",
                    i, i % 2 == 0 ? "en_US" : "pt_BR")));
        }
        try (SandboxEmulator meta = SandboxEmulator.start(SandboxOptions.defaults()
                .withNumber(TestAppliance.NUMBER_ID, TestAppliance.TOKEN).withPolicyRules().withTemplates(many))) {
            ApplianceConfig c = TestAppliance.config(dir, meta.baseUrl(), TestAppliance.fastRetries(), null);
            ApplianceConfig config = new ApplianceConfig(c.mode(), c.dataDir(), c.grpc(), c.cloudApi(),
                    List.of(c.numbers().get(0).withWabaId(WABA)), c.outbox(), c.dispatch(), c.store(),
                    c.shutdownTimeout(), c.webhook(), c.events(), c.media(), PolicyConfig.defaults());
            String name = InProcessServerBuilder.generateName();
            try (Appliance a = Appliance.start(config, Map.of(TestAppliance.NUMBER_ID, TestAppliance.TOKEN),
                    WebhookCredentials.of(List.of(new WebhookCredentials.App("test", TestAppliance.APP_SECRET,
                            TestAppliance.VERIFY_TOKEN))), InProcessServerBuilder.forName(name).directExecutor(), null)) {
                ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
                try {
                    meta.webhooks().setTarget(URI.create("http://127.0.0.1:" + a.webhookPort()
                            + config.webhook().path()), TestAppliance.APP_SECRET);
                    waitFor(() -> a.templates().status(WABA).hasLastSyncedAt());
                    assertEquals(meta.templates().list(WABA).size(), a.templates().list(WABA).size());
                    assertTrue(a.templates().list(WABA).size() >= 260);
                    assertTrue(a.templates().versions(WABA, "bulk_259").orElseThrow().containsKey("pt_BR"));

                    MessagesGrpc.MessagesBlockingStub messages = MessagesGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS);
                    SendRequest send = SendRequest.newBuilder().setFrom("support").setTo("+16505550100")
                            .setTemplate(Template.newBuilder().setName("bulk_007").setLanguage("pt_BR")
                                    .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BODY)
                                            .addParameters(PolicyTemplates.text("A-1")))).build();
                    messages.send(send);

                    meta.templates().setStatus(WABA, "bulk_007", "pt_BR", "PAUSED", "LOW_QUALITY");
                    waitFor(() -> a.templates().versions(WABA, "bulk_007").orElseThrow().get("pt_BR").template()
                            .getStatus().equals("PAUSED"));
                    StatusRuntimeException paused = assertThrows(StatusRuntimeException.class, () -> messages.send(send));
                    assertEquals(Status.Code.FAILED_PRECONDITION, paused.getStatus().getCode());
                    assertTrue(paused.getStatus().getDescription().contains("paused"), paused.getStatus().getDescription());

                    meta.templates().setCategory(WABA, "bulk_007", "pt_BR", "MARKETING");
                    waitFor(() -> a.templates().versions(WABA, "bulk_007").orElseThrow().get("pt_BR").template()
                            .getCategory().equals("MARKETING"));
                } finally {
                    channel.shutdownNow();
                }
            }
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(10);
        }
    }
}
