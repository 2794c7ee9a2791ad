package io.wagate;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.wagate.api.v1.BillingDimension;
import io.wagate.api.v1.BillingGrpc;
import io.wagate.api.v1.BillingReport;
import io.wagate.api.v1.BillingReportRequest;
import io.wagate.api.v1.BillingRow;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.ReceivedMessage;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import io.wagate.sandbox.WebhookBehaviour;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The billing meter across {@code kill -9}: Meta keeps posting priced statuses (twice per message,
 * each posted twice) while the appliance is killed and restarted; in the end every message the
 * emulator priced is counted exactly once, in its category and billability.
 */
class BillingCrashTest {
    private static final String SECRET = "billing-crash-secret";

    @TempDir
    Path dir;

    @Test
    void killMinus9_whileStatusesArrive_countsEveryPricedMessageExactlyOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SandboxOptions options = SandboxOptions.defaults().withNumber(TestAppliance.NUMBER_ID, "t")
                .withWebhook(URI.create("http://127.0.0.1:" + port + "/webhook"), SECRET);
        options = options.withWebhooks(options.webhooks()
                .withRetrySchedule(List.of(Duration.ZERO, Duration.ofMillis(200), Duration.ofMillis(500)),
                        Duration.ofMinutes(5))
                .withBatching(20, Duration.ofMillis(2))
                .withRequestTimeout(Duration.ofSeconds(1)));
        try (SandboxEmulator meta = SandboxEmulator.start(options)) {
            meta.webhooks().setBehaviour(WebhookBehaviour.DEFAULT.withDuplicate(true)
                    .withDelays(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(20))
                    .withTemplateCategory("promo", "marketing").withTemplateCategory("otp", "authentication"));
            Path config = dir.resolve("wagate.yaml");
            Files.writeString(config, "data_dir: " + dir.resolve("data") + "\n"
                    + "grpc:\n  port: 0\n"
                    + "cloud_api:\n  base_url: " + meta.baseUrl() + "\n"
                    + "numbers:\n  - alias: support\n    phone_number_id: \"" + TestAppliance.NUMBER_ID + "\"\n"
                    + "    access_token_env: WAGATE_TEST_TOKEN\n"
                    // a send in flight at the kill is resent after 1 s without a status, not 2 min
                    + "dispatch:\n  reconciliation_window: 1s\n"
                    + "webhook:\n  port: " + port + "\n  apps:\n    - name: crash\n      app_secret_env: WAGATE_TEST_SECRET\n"
                    + ChildAppliance.mediaKeyYaml(dir));
            Map<String, String> env = Map.of("WAGATE_TEST_TOKEN", "t", "WAGATE_TEST_SECRET", SECRET);

            ChildAppliance first = ChildAppliance.start(config, env);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger accepted = new AtomicInteger();
            ManagedChannel firstChannel = NettyChannelBuilder.forAddress("127.0.0.1", first.port).usePlaintext().build();
            Thread sender = new Thread(() -> {
                MessagesGrpc.MessagesBlockingStub messages = MessagesGrpc.newBlockingStub(firstChannel);
                String[] recipients = {"+5511987654321", "+12125550123", "+14165550123", "+447700900123"};
                for (int i = 0; !stop.get(); i++) {
                    SendRequest.Builder r = SendRequest.newBuilder().setFrom("support").setTo(recipients[i % 4]);
                    if (i % 3 == 0) {
                        r.setText(Text.newBuilder().setBody("hi " + i));
                    } else {
                        r.setTemplate(Template.newBuilder().setName(i % 3 == 1 ? "promo" : "otp").setLanguage("en"));
                    }
                    try {
                        messages.withDeadlineAfter(5, TimeUnit.SECONDS).send(r.build());
                        accepted.incrementAndGet();
                    } catch (StatusRuntimeException killed) {
                        return;
                    }
                }
            }, "sender");
            sender.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> meta.webhooks().stats().answeredOk() > 100);
            first.kill9();
            stop.set(true);
            sender.join();
            firstChannel.shutdownNow();
            assertThat(accepted.get()).isPositive();

            ChildAppliance second = ChildAppliance.start(config, env);
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", second.port).usePlaintext().build();
            try {
                // everything accepted before the kill is sent after the restart, and priced
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> meta.receivedCount() >= accepted.get());
                Awaitility.await().atMost(Duration.ofSeconds(60))
                        .until(() -> meta.awaitWebhooksIdle(Duration.ofMillis(200)));
                Map<String, Long> expected = new TreeMap<>();
                for (ReceivedMessage m : meta.received()) {
                    String name = m.body().path("template").path("name").asText("");
                    String key = name.equals("promo") ? "marketing/billable" : name.equals("otp")
                            ? "authentication/billable" : "service/free";
                    expected.merge(key, 1L, Long::sum);
                }
                String today = LocalDate.now(ZoneOffset.UTC).toString();
                // equal, and still equal a second later (a late duplicate counted again would show)
                Awaitility.await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(1)).untilAsserted(() -> {
                    BillingReport r = BillingGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .report(BillingReportRequest.newBuilder().setFrom(LocalDate.now(ZoneOffset.UTC).minusDays(1)
                                    .toString()).setTo(today).addGroupBy(BillingDimension.BY_CATEGORY).build());
                    Map<String, Long> counted = new TreeMap<>();
                    for (BillingRow row : r.getRowsList()) {
                        if (row.getBillable() > 0) {
                            counted.put(row.getCategory() + "/billable", row.getBillable());
                        }
                        if (row.getFree() > 0) {
                            counted.put(row.getCategory() + "/free", row.getFree());
                        }
                    }
                    assertThat(counted).isEqualTo(expected);
                });
            } finally {
                ch.shutdownNow();
                second.term();
            }
        }
    }
}
