package io.wagate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Text;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.StoreConfig;
import io.wagate.store.StoreLockedException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop, restart, and the ways storage can refuse. */
class ApplianceLifecycleTest {
    private static final URI NOBODY_LISTENS = URI.create("http://127.0.0.1:9");

    @TempDir
    Path dir;

    private static SendRequest text(String to, String body) {
        return SendRequest.newBuilder().setFrom("support").setTo(to).setText(Text.newBuilder().setBody(body)).build();
    }

    @Test
    void restartWithABacklog_resumesWhereItStopped_inOrder() {
        try (TestAppliance t = TestAppliance.start(dir, TestAppliance.fastRetries(), NOBODY_LISTENS)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                ids.add(t.messages().send(text("+1650555200" + (i % 6), "b" + i)).getId());
            }
            // Meta is unreachable: nothing was sent, no attempt was spent
            Awaitility.await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
            Message head = t.messages().get(GetMessageRequest.newBuilder().setId(ids.get(0)).build());
            assertThat(head.getState()).isIn(State.ACCEPTED, State.QUEUED, State.SENDING);
            assertThat(head.getAttempts()).isLessThanOrEqualTo(1);

            t.reopen(null);
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> t.meta.receivedCount() == 60);
            for (int c = 0; c < 6; c++) {
                String to = "+1650555200" + c;
                List<Integer> order = t.meta.received().stream()
                        .filter(m -> to.equals(m.body().path("to").asText()))
                        .map(m -> Integer.parseInt(m.body().path("text").path("body").asText().substring(1)))
                        .collect(Collectors.toList());
                assertThat(order).hasSize(10).isSorted();
            }
            for (String id : ids) {
                Message m = Awaitility.await().atMost(Duration.ofSeconds(5))
                        .until(() -> t.messages().get(GetMessageRequest.newBuilder().setId(id).build()),
                                x -> x.getState() == State.SUBMITTED);
                assertThat(m.getPossibleDuplicate()).isFalse();
            }
        }
    }

    @Test
    void secondApplianceOnTheSameDataDir_refusesToStart_andTheFirstKeepsWorking() {
        try (TestAppliance t = TestAppliance.start(dir)) {
            assertThatThrownBy(() -> Appliance.start(t.config(), Map.of(),
                    io.grpc.inprocess.InProcessServerBuilder.forName("second")))
                    .isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("in use by another Wagate process");
            String id = t.messages().send(text("+16505552100", "still fine")).getId();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(
                    () -> t.messages().get(GetMessageRequest.newBuilder().setId(id).build()).getState() == State.SUBMITTED);
        }
    }

    @Test
    void realSocket_servesAndRefusesOversizedRequests() throws Exception {
        try (TestAppliance meta = TestAppliance.start(dir.resolve("unused"))) {
            ApplianceConfig c = TestAppliance.config(dir.resolve("real"), meta.meta.baseUrl(),
                    TestAppliance.fastRetries(), null);
            long start = System.nanoTime();
            try (Appliance a = Appliance.start(c, Map.of(TestAppliance.NUMBER_ID, TestAppliance.TOKEN),
                    NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))) {
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
                ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", a.grpcPort()).usePlaintext().build();
                try {
                    MessagesGrpc.MessagesBlockingStub stub = MessagesGrpc.newBlockingStub(ch)
                            .withDeadlineAfter(10, TimeUnit.SECONDS);
                    assertThatThrownBy(() -> stub.send(text("+16505552200", "x".repeat(2 * 1024 * 1024))))
                            .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
                    assertThat(stub.send(text("+16505552200", "fine")).getState()).isEqualTo(State.ACCEPTED);
                } finally {
                    ch.shutdownNow();
                }
            }
        }
    }

    @Test
    void portInUse_failsTheStart_andReleasesTheDataDir() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            ApplianceConfig c = TestAppliance.config(dir.resolve("busy"), NOBODY_LISTENS, TestAppliance.fastRetries(), null);
            assertThatThrownBy(() -> Appliance.start(c, Map.of(TestAppliance.NUMBER_ID, TestAppliance.TOKEN),
                    NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", taken.getLocalPort()))))
                    .hasMessageContaining("could not start the gRPC listener");
            // nothing is left holding the database: the next start works
            try (Appliance a = Appliance.start(c, Map.of(TestAppliance.NUMBER_ID, TestAppliance.TOKEN),
                    NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))) {
                assertThat(a.grpcPort()).isPositive();
            }
        }
    }

    @Test
    void fullDisk_makesSendResourceExhausted_andSendsSucceedOnceSpaceReturns() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tmpfs"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", mount.toString()) == 0,
                "needs root to mount a small tmpfs");
        try {
            Path filler = mount.resolve("filler");
            ApplianceConfig c = TestAppliance.config(mount.resolve("data"), URI.create("http://127.0.0.1:9"),
                    TestAppliance.fastRetries(), new StoreConfig(32L * 1024 * 1024));
            try (TestAppliance meta = TestAppliance.start(dir.resolve("meta"))) {
                meta.reconfigure(c);
                String before = meta.messages().send(text("+16505552300", "before")).getId();
                long free = Files.getFileStore(mount).getUsableSpace();
                try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
                    f.setLength(0);
                    byte[] mb = new byte[1 << 20];
                    for (long left = free - 16L * 1024 * 1024; left > 0; left -= mb.length) {
                        f.write(mb);
                    }
                }
                Thread.sleep(300); // the free-space reading is cached briefly
                assertThatThrownBy(() -> meta.messages().send(text("+16505552300", "full")))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                            assertThat(e.getStatus().getDescription()).contains("free");
                        });
                Files.delete(filler);
                Thread.sleep(300);
                String after = meta.messages().send(text("+16505552300", "after")).getId();
                assertThat(meta.messages().get(GetMessageRequest.newBuilder().setId(before).build()).getRequest()
                        .getText().getBody()).isEqualTo("before");
                assertThat(meta.messages().get(GetMessageRequest.newBuilder().setId(after).build()).getState())
                        .isIn(State.ACCEPTED, State.QUEUED, State.SENDING);
            }
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
