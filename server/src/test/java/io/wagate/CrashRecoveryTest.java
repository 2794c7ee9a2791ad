package io.wagate;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.wagate.api.v1.AdminGrpc;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.ListMessagesRequest;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.ReceivedMessage;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance runs in a child JVM under load and is killed with {@code kill -9}. After a
 * restart every acknowledged message must still be there and reach Meta (the emulator runs here,
 * outside the child). A message may reach Meta twice only if it was in flight at the kill, and
 * then it is marked {@code possible_duplicate}.
 */
class CrashRecoveryTest {
    private static final String TOKEN = "crash-test-token";

    @TempDir
    Path dir;

    @Test
    void killMinus9_underLoad_losesNothingAcknowledged() throws Exception {
        try (SandboxEmulator meta = SandboxEmulator.start(SandboxOptions.defaults()
                .withNumber(TestAppliance.NUMBER_ID, TOKEN).withLatency(Duration.ofMillis(5)))) {
            Path config = dir.resolve("wagate.yaml");
            Files.writeString(config, "data_dir: " + dir.resolve("data") + "\n"
                    + "grpc:\n  port: 0\n"
                    + "cloud_api:\n  base_url: " + meta.baseUrl() + "\n  request_timeout: 5s\n"
                    + "numbers:\n  - alias: support\n    phone_number_id: \"" + TestAppliance.NUMBER_ID + "\"\n"
                    + "    access_token_env: WAGATE_TEST_TOKEN\n    throughput: 1000\n"
                    + "dispatch:\n  initial_backoff: 50ms\n  max_backoff: 500ms\n  reconciliation_window: 1s\n"
                    + ChildAppliance.mediaKeyYaml(dir));

            ChildAppliance first = ChildAppliance.start(config, Map.of("WAGATE_TEST_TOKEN", TOKEN));
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<Void>> loaders = new ArrayList<>();
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", first.port).usePlaintext().build();
            for (int w = 0; w < 8; w++) {
                int worker = w;
                loaders.add(CompletableFuture.runAsync(() -> {
                    MessagesGrpc.MessagesBlockingStub stub = MessagesGrpc.newBlockingStub(ch);
                    for (int i = 0; !stop.get(); i++) {
                        String body = "w" + worker + "-" + i;
                        try {
                            String id = stub.withDeadlineAfter(5, TimeUnit.SECONDS).send(SendRequest.newBuilder()
                                    .setFrom("support").setTo("+1650555" + String.format("%04d", worker * 100 + i % 20))
                                    .setText(Text.newBuilder().setBody(body)).build()).getId();
                            acknowledged.put(id, body);
                        } catch (StatusRuntimeException e) {
                            return; // the appliance died under us: this one was never acknowledged
                        }
                    }
                }));
            }
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= 2000);
            first.kill9();
            stop.set(true);
            for (CompletableFuture<Void> l : loaders) {
                l.get(30, TimeUnit.SECONDS);
            }
            ch.shutdownNow();
            int ackedAtKill = acknowledged.size();

            ChildAppliance second = ChildAppliance.start(config, Map.of("WAGATE_TEST_TOKEN", TOKEN));
            ManagedChannel ch2 = NettyChannelBuilder.forAddress("127.0.0.1", second.port).usePlaintext().build();
            try {
                MessagesGrpc.MessagesBlockingStub stub = MessagesGrpc.newBlockingStub(ch2);
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> idsAtMeta(meta).keySet().containsAll(acknowledged.keySet()));
                Map<String, Integer> atMeta = idsAtMeta(meta);
                // every answer from Meta is recorded shortly after it was received
                Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                        stub.withDeadlineAfter(5, TimeUnit.SECONDS).list(ListMessagesRequest.newBuilder()
                                .addStates(State.ACCEPTED).addStates(State.QUEUED).addStates(State.SENDING)
                                .build()).getMessagesCount() == 0);
                int duplicates = 0;
                for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                    Message m = stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                            .get(GetMessageRequest.newBuilder().setId(e.getKey()).build());
                    assertThat(m.getRequest().getText().getBody()).isEqualTo(e.getValue());
                    if (atMeta.get(e.getKey()) > 1) {
                        duplicates++;
                        assertThat(m.getPossibleDuplicate())
                                .as("message %s reached Meta twice, so it must be marked", e.getKey()).isTrue();
                    }
                    assertThat(m.getState()).isEqualTo(State.SUBMITTED);
                }
                // only what was in flight at the kill can be duplicated, and each such resend is counted
                long counted = AdminGrpc.newBlockingStub(ch2).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getStatus(GetStatusRequest.getDefaultInstance()).getPossibleDuplicateResends();
                assertThat(duplicates).isLessThanOrEqualTo((int) counted);
                assertThat(counted).isLessThanOrEqualTo(1024);
                System.out.printf("crash test: %d acknowledged before kill -9, all present after restart;"
                        + " %d reached Meta twice (in flight at the kill, marked possible_duplicate; %d resends counted)%n",
                        ackedAtKill, duplicates, counted);
            } finally {
                ch2.shutdownNow();
                assertThat(second.term()).as("exit status after SIGTERM").isIn(0, 143);
            }
        }
    }

    /** Our message id → how many times Meta received it. */
    private static Map<String, Integer> idsAtMeta(SandboxEmulator meta) {
        Map<String, Integer> out = new HashMap<>();
        for (ReceivedMessage m : meta.received()) {
            String cb = m.body().path("biz_opaque_callback_data").asText();
            if (cb.startsWith("wg1:")) {
                out.merge(cb.substring(4, 17), 1, Integer::sum);
            }
        }
        return out;
    }

    /** The appliance as a separate JVM, started like bin/wagate does. */
}
