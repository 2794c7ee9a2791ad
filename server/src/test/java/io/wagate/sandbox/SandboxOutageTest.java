package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wagate.sandbox.SandboxHttp.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Outage windows: the listener goes down (connection refused) and comes back on the same port. */
class SandboxOutageTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "EAAG-outage";
    static final String PATH = "/v25.0/" + NUMBER + "/messages";
    static final String ALICE = "+16505550001";

    static SandboxOptions options() {
        return SandboxOptions.defaults().withNumber(NUMBER, TOKEN);
    }

    static String text() {
        return SandboxFaultsTest.text(ALICE);
    }

    /** True when a plain TCP connect is refused. */
    static boolean refused(URI base) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 2000);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    /** Sends until one is answered 200 (pooled connections may have died with the outage). */
    static void awaitServing(URI base, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> SandboxHttp.post(base, PATH, TOKEN, text()).status() == 200);
    }

    @Test
    void javaApi_timedOutage_refusesThenServesOnTheSamePort() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(options())) {
            URI base = sandbox.baseUrl();
            assertThat(SandboxHttp.post(base, PATH, TOKEN, text()).status()).isEqualTo(200);
            long t0 = System.nanoTime();

            sandbox.outage(Duration.ofMillis(800));

            assertThat(sandbox.inOutage()).isTrue();
            assertThat(refused(base)).isTrue();
            assertThatThrownBy(() -> SandboxHttp.post(base, PATH, TOKEN, text())).isInstanceOf(IOException.class);
            awaitServing(base, Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(750));
            assertThat(sandbox.inOutage()).isFalse();
            assertThat(sandbox.baseUrl()).isEqualTo(base);
            assertThat(sandbox.receivedCount()).isEqualTo(2);
        }
    }

    @Test
    void javaApi_openEndedOutage_lastsUntilEnded_andClosesOpenConnections() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(options())) {
            URI base = sandbox.baseUrl();
            sandbox.faults().stallNext(1, null);
            CompletableFuture<Throwable> stalled = CompletableFuture.supplyAsync(() -> {
                try {
                    SandboxHttp.post(base, PATH, TOKEN, text(), Duration.ofSeconds(30));
                    return null;
                } catch (IOException | InterruptedException e) {
                    return e;
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.attempted().size() == 1);

            sandbox.startOutage();

            assertThat(stalled.get(5, TimeUnit.SECONDS)).as("open connections end with the listener").isInstanceOf(IOException.class);
            Thread.sleep(300);
            assertThat(refused(base)).as("still down: no timer").isTrue();

            sandbox.endOutage();

            assertThat(refused(base)).isFalse();
            awaitServing(base, Duration.ofSeconds(5));
        }
    }

    @Test
    void controlApi_outage_answersFirst_thenRefuses_thenComesBack() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(options())) {
            URI base = sandbox.baseUrl();

            Response r = SandboxHttp.control(base, "POST", "/_sandbox/outage", "{\"seconds\": 0.8}");

            assertThat(r.status()).isEqualTo(202);
            assertThat(r.body().path("outage_seconds").asDouble()).isEqualTo(0.8);
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(sandbox::inOutage);
            assertThat(refused(base)).isTrue();
            awaitServing(base, Duration.ofSeconds(5));
            assertThat(SandboxHttp.get(base, "/_sandbox/stats").body().path("outages").asInt()).isEqualTo(1);
        }
    }

    @Test
    void controlApi_outage_mustEndByItself() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(options())) {
            Response none = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/outage", "{}");
            Response negative = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/outage", "{\"seconds\": -1}");
            assertThat(none.status()).isEqualTo(400);
            assertThat(none.body().at("/error/message").asText()).contains("seconds");
            assertThat(negative.status()).isEqualTo(400);
            assertThat(sandbox.inOutage()).isFalse();
        }
    }

    @Test
    void options_scheduleAnOutageFromTheStart() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(options().withOutage(Duration.ofMillis(200), Duration.ofMillis(600)))) {
            URI base = sandbox.baseUrl();
            assertThat(SandboxHttp.post(base, PATH, TOKEN, text()).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(sandbox::inOutage);
            assertThat(refused(base)).isTrue();
            awaitServing(base, Duration.ofSeconds(5));
        }
    }

    @Test
    void close_duringAnOutage_isClean() throws Exception {
        SandboxEmulator sandbox = SandboxEmulator.start(options());
        URI base = sandbox.baseUrl();
        sandbox.outage(Duration.ofMillis(200));
        sandbox.close();
        Thread.sleep(400);
        assertThat(refused(base)).as("the timed end does not rebind after close").isTrue();
    }
}
