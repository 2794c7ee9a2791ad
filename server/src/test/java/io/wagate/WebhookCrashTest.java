package io.wagate;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.wagate.api.v1.AdminGrpc;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.ReadEventsRequest;
import io.wagate.api.v1.ReadEventsResponse;
import io.wagate.api.v1.StartPosition;
import io.wagate.api.v1.Status;
import io.wagate.sandbox.InboundSpec;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meta keeps posting while the appliance is killed with {@code kill -9}. Just before the kill,
 * a proxy loses the appliance's answers: those webhooks were stored durably but Meta never got
 * their 200, so it delivers them again after the restart, and they must be stored once. In the
 * end every inbound message the emulator produced is stored exactly once.
 */
class WebhookCrashTest {
    private static final String SECRET = "crash-app-secret";

    @TempDir
    Path dir;

    @Test
    void killMinus9_whileMetaPosts_storesEveryEventExactlyOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SwallowingProxy proxy = new SwallowingProxy(port);
        URI target = URI.create("http://127.0.0.1:" + proxy.port() + "/webhook");
        SandboxOptions options = SandboxOptions.defaults().withNumber(TestAppliance.NUMBER_ID, "t")
                .withWebhook(target, SECRET);
        options = options.withWebhooks(options.webhooks()
                .withRetrySchedule(List.of(Duration.ZERO, Duration.ofMillis(200), Duration.ofMillis(500)),
                        Duration.ofMinutes(5))
                .withBatching(20, Duration.ofMillis(2))
                .withRequestTimeout(Duration.ofSeconds(1)));
        try (proxy; SandboxEmulator meta = SandboxEmulator.start(options)) {
            Path config = dir.resolve("wagate.yaml");
            Files.writeString(config, "data_dir: " + dir.resolve("data") + "\n"
                    + "grpc:\n  port: 0\n"
                    + "cloud_api:\n  base_url: " + meta.baseUrl() + "\n"
                    + "numbers:\n  - alias: support\n    phone_number_id: \"" + TestAppliance.NUMBER_ID + "\"\n"
                    + "    access_token_env: WAGATE_TEST_TOKEN\n"
                    + "webhook:\n  port: " + port + "\n  apps:\n    - name: crash\n      app_secret_env: WAGATE_TEST_SECRET\n"
                    + ChildAppliance.mediaKeyYaml(dir));
            Map<String, String> env = Map.of("WAGATE_TEST_TOKEN", "t", "WAGATE_TEST_SECRET", SECRET);
            Set<String> injected = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            Thread users = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    injected.add(meta.injectInbound(InboundSpec.text("1650555" + String.format("%04d", i % 50),
                            "message " + i)));
                    if (i % 20 == 19) {
                        sleep(2);
                    }
                }
            }, "users");

            ChildAppliance first = ChildAppliance.start(config, env);
            users.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> meta.webhooks().stats().answeredOk() > 200);
            long answeredBeforeKill = meta.webhooks().stats().answeredOk();
            proxy.swallowAnswers = true; // stored, but the 200s are lost on the way
            long storedBefore = storedEvents(first);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> storedEvents(first) > storedBefore + 100);
            first.kill9();
            proxy.swallowAnswers = false;
            Thread.sleep(500); // Meta keeps trying while the appliance is down
            ChildAppliance second = ChildAppliance.start(config, env);
            Thread.sleep(1_000);
            stop.set(true);
            users.join();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> meta.awaitWebhooksIdle(Duration.ofMillis(200)));
            assertThat(meta.webhooks().stats().retried()).as("Meta had to redeliver").isPositive();
            assertThat(answeredBeforeKill).isPositive();

            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", second.port).usePlaintext().build();
            try {
                Map<String, Integer> stored = new HashMap<>();
                EventsGrpc.EventsBlockingStub events = EventsGrpc.newBlockingStub(ch);
                long from = 1;
                while (true) {
                    ReadEventsResponse page = events.withDeadlineAfter(10, TimeUnit.SECONDS).read(ReadEventsRequest
                            .newBuilder().setFrom(StartPosition.newBuilder().setOffset(from)).setLimit(1000)
                            .setFilter(EventFilter.newBuilder().addKinds(EventKind.INBOUND_MESSAGE)).build());
                    for (Event e : page.getEventsList()) {
                        stored.merge(e.getInbound().getWamid(), 1, Integer::sum);
                    }
                    if (page.getEventsCount() == 0) {
                        break;
                    }
                    from = page.getNextOffset();
                }
                assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(injected);
                assertThat(stored.values()).allMatch(n -> n == 1);
                Status status = AdminGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getStatus(GetStatusRequest.getDefaultInstance());
                assertThat(status.getWebhook().getEventsDuplicate())
                        .as("webhooks stored before the kill but never answered came again, and were dropped")
                        .isPositive();
            } finally {
                ch.shutdownNow();
                second.term();
            }
        }
    }

    private static long storedEvents(ChildAppliance child) {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", child.port).usePlaintext().build();
        try {
            return AdminGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getStatus(GetStatusRequest.getDefaultInstance()).getWebhook().getEventsStored();
        } finally {
            ch.shutdownNow();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
