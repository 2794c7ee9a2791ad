package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.sandbox.SandboxHttp.Response;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of fault, by the control API and by Java, over real sockets. */
class SandboxFaultInjectionTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "EAAG-inject";
    static final String OTHER_NUMBER = "206540352242922";
    static final String OTHER_TOKEN = "EAAG-inject-2";
    static final String PATH = "/v25.0/" + NUMBER + "/messages";
    static final String OTHER_PATH = "/v25.0/" + OTHER_NUMBER + "/messages";
    static final String ALICE = "+16505550001";
    static final String BOB = "+16505550002";

    static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(8);
    static SandboxEmulator sandbox;
    static URI base;

    @BeforeAll
    static void start() {
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN).withNumber(OTHER_NUMBER, OTHER_TOKEN));
        base = sandbox.baseUrl();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        POOL.shutdownNow();
    }

    @BeforeEach
    void reset() throws Exception {
        assertThat(SandboxHttp.control(base, "POST", "/_sandbox/reset", null).status()).isEqualTo(200);
    }

    static String text(String to) {
        return SandboxFaultsTest.text(to);
    }

    static Response addFault(String json) throws Exception {
        return SandboxHttp.control(base, "POST", "/_sandbox/faults", json);
    }

    /** A client of its own, so a test gets a new connection rather than a pooled one. */
    static int postWithNewClient(String path, String token, String json) throws IOException, InterruptedException {
        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return c.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void controlApi_metaError5xx_forNTimes_thenNormal() throws Exception {
        Response added = addFault("{\"kind\":\"meta_error\",\"code\":2,\"http_status\":503,\"times\":2}");
        assertThat(added.status()).isEqualTo(201);
        long id = added.body().path("id").asLong();
        assertThat(id).isPositive();

        Response listed = SandboxHttp.get(base, "/_sandbox/faults");
        assertThat(listed.body().at("/faults/0/kind").asText()).isEqualTo("meta_error");
        assertThat(listed.body().at("/faults/0/remaining").asInt()).isEqualTo(2);

        Response first = SandboxHttp.post(base, PATH, TOKEN, text(ALICE));
        Response second = SandboxHttp.post(base, PATH, TOKEN, text(BOB));
        Response third = SandboxHttp.post(base, PATH, TOKEN, text(BOB));

        assertThat(first.status()).isEqualTo(503);
        assertThat(first.code()).isEqualTo(2);
        assertThat(first.body().at("/error/fbtrace_id").asText()).isNotEmpty();
        assertThat(second.code()).isEqualTo(2);
        assertThat(third.status()).isEqualTo(200);
        assertThat(SandboxHttp.get(base, "/_sandbox/faults").body().path("faults").size()).isZero();
        assertThat(SandboxHttp.get(base, "/_sandbox/stats").body().path("fault_hits").asLong()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void controlApi_metaError_defaultsToTheTableStatus_andTargetsRecipientAndNumber() throws Exception {
        addFault("{\"kind\":\"meta_error\",\"code\":131000,\"recipient\":\"" + ALICE + "\"}");
        addFault("{\"kind\":\"meta_error\",\"code\":131049,\"number\":\"" + OTHER_NUMBER + "\",\"details\":\"not now\"}");

        Response alice = SandboxHttp.post(base, PATH, TOKEN, text(ALICE));
        Response bob = SandboxHttp.post(base, PATH, TOKEN, text(BOB));
        Response other = SandboxHttp.post(base, OTHER_PATH, OTHER_TOKEN, text(BOB));
        Response aliceAgain = SandboxHttp.post(base, PATH, TOKEN, text(ALICE));

        assertThat(alice.status()).isEqualTo(500);
        assertThat(alice.code()).isEqualTo(131000);
        assertThat(aliceAgain.code()).as("no count: until removed").isEqualTo(131000);
        assertThat(bob.status()).isEqualTo(200);
        assertThat(other.code()).isEqualTo(131049);
        assertThat(other.body().at("/error/error_data/details").asText()).isEqualTo("not now");

        assertThat(SandboxHttp.control(base, "DELETE", "/_sandbox/faults", null).body().path("removed").asInt()).isEqualTo(2);
        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
    }

    @Test
    void controlApi_faultForADuration_endsByItself() throws Exception {
        addFault("{\"kind\":\"meta_error\",\"code\":131016,\"http_status\":503,\"seconds\":0.4}");
        assertThat(SandboxHttp.get(base, "/_sandbox/faults").body().at("/faults/0/expires_at").asText()).isNotEmpty();

        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(ALICE)).code()).isEqualTo(131016);
        Thread.sleep(500);

        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
        assertThat(sandbox.faults().rules()).isEmpty();
    }

    @Test
    void controlApi_deleteOneRuleById() throws Exception {
        long id = addFault("{\"kind\":\"stall\"}").body().path("id").asLong();
        addFault("{\"kind\":\"meta_error\",\"code\":131000,\"times\":1}");

        assertThat(SandboxHttp.control(base, "DELETE", "/_sandbox/faults/" + id, null).status()).isEqualTo(200);
        assertThat(SandboxHttp.control(base, "DELETE", "/_sandbox/faults/" + id, null).status()).isEqualTo(404);
        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(ALICE)).code()).isEqualTo(131000);
    }

    @Test
    void controlApi_probability_hitsAboutThatShare() throws Exception {
        addFault("{\"kind\":\"meta_error\",\"code\":131000,\"probability\":0.5}");
        int hit = 0;
        for (int i = 0; i < 200; i++) {
            if (SandboxHttp.post(base, PATH, TOKEN, text(ALICE)).status() == 500) {
                hit++;
            }
        }
        assertThat(hit).isBetween(60, 140);
        assertThat(sandbox.receivedCount()).isEqualTo(200 - hit);
    }

    @Test
    void controlApi_refusesBadRules() throws Exception {
        assertThat(addFault("{\"kind\":\"explode\"}").status()).isEqualTo(400);
        assertThat(addFault("{}").status()).isEqualTo(400);
        assertThat(addFault("{\"kind\":\"meta_error\"}").status()).isEqualTo(400);
        assertThat(addFault("{\"kind\":\"meta_error\",\"code\":2,\"http_status\":700}").status()).isEqualTo(400);
        assertThat(addFault("{\"kind\":\"stall\",\"probability\":0}").status()).isEqualTo(400);
        assertThat(addFault("{\"kind\":\"stall\",\"seconds\":-1}").status()).isEqualTo(400);
        Response targeted = addFault("{\"kind\":\"reset_on_connect\",\"recipient\":\"" + ALICE + "\"}");
        assertThat(targeted.status()).isEqualTo(400);
        assertThat(targeted.body().at("/error/message").asText()).contains("cannot target");
        assertThat(addFault("{\"kind\":\"reset_before_read\",\"recipient\":\"" + ALICE + "\"}").status()).isEqualTo(400);
        assertThat(addFault("{\"kind\":\"latency\",\"latency\":{\"distribution\":\"uniform\",\"min_ms\":5,\"max_ms\":1}}").status())
                .isEqualTo(400);
        assertThat(SandboxHttp.control(base, "PUT", "/_sandbox/faults", "{}").status()).isEqualTo(405);
        assertThat(SandboxHttp.get(base, "/_sandbox/nothing").status()).isEqualTo(404);
        assertThat(sandbox.faults().rules()).isEmpty();
    }

    @Test
    void controlApi_stall_isATimeout_recordedAsAttempted() throws Exception {
        addFault("{\"kind\":\"stall\",\"times\":1}");

        assertThatThrownBy(() -> SandboxHttp.post(base, PATH, TOKEN, text(BOB), Duration.ofMillis(400)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(sandbox.attempted()).hasSize(1);
        assertThat(sandbox.receivedCount()).isZero();
    }

    @Test
    void controlApi_drop_closesWithoutAnswer() throws Exception {
        addFault("{\"kind\":\"drop\",\"times\":1}");

        assertThat(SandboxHttp.rawPost(base, PATH, TOKEN, text(ALICE))).as("orderly close, no answer").isNull();
        assertThat(sandbox.attemptedCount()).isEqualTo(1);
    }

    @Test
    void resetAfterRead_byJava_sendsARealResetAndRecordsAttempt() throws Exception {
        sandbox.faults().resetNext(1, ALICE);

        assertThatThrownBy(() -> SandboxHttp.rawPost(base, PATH, TOKEN, text(ALICE)))
                .isInstanceOf(SocketException.class).hasMessageContaining("reset");

        assertThat(sandbox.attempted()).singleElement()
                .satisfies(m -> assertThat(m.body().path("to").asText()).isEqualTo(ALICE));
        assertThat(sandbox.receivedCount()).isZero();
        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
    }

    @Test
    void resetAfterRead_byControlApi_isAnIOExceptionAfterTheRequestWasWritten() throws Exception {
        addFault("{\"kind\":\"reset_after_read\",\"recipient\":\"" + BOB + "\",\"times\":1}");

        assertThatThrownBy(() -> SandboxHttp.post(base, PATH, TOKEN, text(BOB))).isInstanceOf(IOException.class);

        assertThat(sandbox.attempted()).hasSize(1);
        assertThat(sandbox.receivedCount()).isZero();
    }

    @Test
    void resetBeforeRead_byJava_resetsAndRecordsNothing() throws Exception {
        sandbox.faults().resetBeforeReadNext(1);

        assertThatThrownBy(() -> SandboxHttp.rawPost(base, PATH, TOKEN, text(ALICE)))
                .isInstanceOf(SocketException.class).hasMessageContaining("reset");

        assertThat(sandbox.attempted()).isEmpty();
        assertThat(sandbox.receivedCount()).isZero();
        assertThat(sandbox.faults().pending()).isZero();
        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
    }

    @Test
    void resetBeforeRead_byControlApi_targetsANumber() throws Exception {
        addFault("{\"kind\":\"reset_before_read\",\"number\":\"" + OTHER_NUMBER + "\",\"times\":1}");

        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(ALICE)).status()).as("another number").isEqualTo(200);
        assertThatThrownBy(() -> SandboxHttp.post(base, OTHER_PATH, OTHER_TOKEN, text(ALICE))).isInstanceOf(IOException.class);

        assertThat(sandbox.attempted()).isEmpty();
        assertThat(sandbox.receivedCount()).isEqualTo(1);
    }

    @Test
    void resetOnConnect_byControlApi_resetsNewConnections_beforeAnyByte() throws Exception {
        // For 3 connections: when the reset beats the client's first write, the JDK client may
        // retry once on a new connection, as it may when nothing was sent.
        assertThat(addFault("{\"kind\":\"reset_on_connect\",\"times\":3}").status()).isEqualTo(201);

        assertThatThrownBy(() -> SandboxHttp.rawPost(base, PATH, TOKEN, text(ALICE))).isInstanceOf(SocketException.class);
        assertThatThrownBy(() -> postWithNewClient(PATH, TOKEN, text(ALICE))).isInstanceOf(IOException.class);

        assertThat(sandbox.attempted()).isEmpty();
        assertThat(sandbox.receivedCount()).isZero();
        SandboxHttp.control(base, "DELETE", "/_sandbox/faults", null);
        assertThat(postWithNewClient(PATH, TOKEN, text(ALICE))).isEqualTo(200);
    }

    @Test
    void resetOnConnect_byJava_isAResetOnARawSocket() throws Exception {
        sandbox.faults().resetOnConnectNext(1);

        assertThatThrownBy(() -> SandboxHttp.rawPost(base, PATH, TOKEN, text(ALICE))).isInstanceOf(SocketException.class);

        assertThat(sandbox.attemptedCount()).isZero();
        assertThat(sandbox.receivedCount()).isZero();
    }

    @Test
    void latency_byControlApi_uniformStaysWithinBounds() throws Exception {
        addFault("{\"kind\":\"latency\",\"recipient\":\"" + ALICE + "\",\"latency\":"
                + "{\"distribution\":\"uniform\",\"min_ms\":100,\"max_ms\":200}}");

        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            assertThat(SandboxHttp.post(base, PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
            millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        long t0 = System.nanoTime();
        SandboxHttp.post(base, PATH, TOKEN, text(BOB));
        long bobMillis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(millis).allSatisfy(ms -> assertThat(ms).isBetween(100L, 200L + 250L));
        assertThat(bobMillis).as("other recipients are not delayed").isLessThan(100L);
    }

    @Test
    void latency_byJava_isScheduledNotSlept_soConcurrentAnswersOverlap() throws Exception {
        sandbox.faults().delayNext(8, null, Latency.fixed(Duration.ofMillis(500)));

        long t0 = System.nanoTime();
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String to = "+1650555100" + i;
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return SandboxHttp.post(base, PATH, TOKEN, text(to)).status();
                } catch (IOException | InterruptedException e) {
                    return -1;
                }
            }, POOL));
        }
        for (CompletableFuture<Integer> f : all) {
            assertThat(f.get()).isEqualTo(200);
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000;

        // Two event-loop threads: sleeping would take 8 × 500 / 2 = 2 s.
        assertThat(elapsed).isBetween(500L, 1500L);
    }

    @Test
    void latency_delaysFaultAnswersToo_andOptionsLatencyIsADistribution() throws Exception {
        try (SandboxEmulator own = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN)
                .withLatency(Latency.uniform(Duration.ofMillis(150), Duration.ofMillis(250)))
                .withFault(FaultSpec.of(FaultPlan.MetaError.of(133004)).times(1)))) {
            long t0 = System.nanoTime();
            Response faulted = SandboxHttp.post(own.baseUrl(), PATH, TOKEN, text(ALICE));
            long faultedMs = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            Response ok = SandboxHttp.post(own.baseUrl(), PATH, TOKEN, text(ALICE));
            long okMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(faulted.status()).isEqualTo(503);
            assertThat(faulted.code()).isEqualTo(133004);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(faultedMs).isBetween(150L, 250L + 300L);
            assertThat(okMs).isBetween(150L, 250L + 250L);
        }
    }

    @Test
    void latencyDistributions_sampleWithinTheirBounds() {
        SplittableRandom rnd = new SplittableRandom(42);
        Latency uniform = Latency.uniform(Duration.ofMillis(10), Duration.ofMillis(20));
        Latency normal = Latency.normal(Duration.ofMillis(5), Duration.ofMillis(50));
        long below = 0;
        double sum = 0;
        for (int i = 0; i < 10_000; i++) {
            assertThat(uniform.sampleNanos(rnd)).isBetween(10_000_000L, 20_000_000L);
            long n = normal.sampleNanos(rnd);
            assertThat(n).isNotNegative();
            below += n == 0 ? 1 : 0;
            sum += Latency.normal(Duration.ofMillis(300), Duration.ofMillis(30)).sampleNanos(rnd);
        }
        assertThat(below).as("clipped at zero, not folded").isBetween(4_000L, 5_500L);
        assertThat(sum / 10_000 / 1e6).isCloseTo(300.0, org.assertj.core.data.Offset.offset(3.0));
        assertThat(Latency.fixed(Duration.ofMillis(7)).sampleNanos(rnd)).isEqualTo(7_000_000L);
        assertThatThrownBy(() -> Latency.fixed(Duration.ofMillis(-1))).hasMessageContaining("latency");
    }

    @Test
    void javaApi_failFor_andRulesSnapshot() throws Exception {
        sandbox.faults().failFor(Duration.ofSeconds(30), BOB, 131000, 500);
        long id = sandbox.faults().add(FaultSpec.of(new FaultPlan.Drop()).forNumber(OTHER_NUMBER).times(3));

        assertThat(sandbox.faults().rules()).hasSize(2);
        assertThat(sandbox.faults().rules().get(1).remaining()).isEqualTo(3);
        assertThat(sandbox.faults().rules().get(0).expiresAt()).isNotNull();
        assertThat(sandbox.faults().pending()).isEqualTo(Integer.MAX_VALUE);
        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(BOB)).code()).isEqualTo(131000);
        assertThat(sandbox.faults().remove(id)).isTrue();
        assertThat(SandboxHttp.post(base, OTHER_PATH, OTHER_TOKEN, text(ALICE)).status()).isEqualTo(200);
    }
}
