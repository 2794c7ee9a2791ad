package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.sandbox.SandboxHttp.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Meta's per-number throughput (130429) and pair limit (131056), over real sockets. */
class SandboxLimitsTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "EAAG-limits";
    static final String OTHER_NUMBER = "206540352242922";
    static final String OTHER_TOKEN = "EAAG-limits-2";
    static final String PATH = "/v25.0/" + NUMBER + "/messages";
    static final String OTHER_PATH = "/v25.0/" + OTHER_NUMBER + "/messages";
    static final String ALICE = "+16505550001";
    static final String BOB = "+16505550002";

    static String text(String to) {
        return SandboxFaultsTest.text(to);
    }

    static SandboxOptions twoNumbers() {
        return SandboxOptions.defaults().withNumber(NUMBER, TOKEN).withNumber(OTHER_NUMBER, OTHER_TOKEN);
    }

    @Test
    void throughput_answersAboutTheRateAnd130429Beyond() throws Exception {
        int rate = 20;
        try (SandboxEmulator sandbox = SandboxEmulator.start(twoNumbers().withThroughput(rate))) {
            int ok = 0;
            int throttled = 0;
            int i = 0;
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < end) {
                // Many recipients, so only the number's bucket can refuse.
                Response r = SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text("+1650555" + (1000 + i++ % 9000)));
                if (r.status() == 200) {
                    ok++;
                } else {
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.code()).isEqualTo(130429);
                    assertThat(r.body().at("/error/error_data/details").asText())
                            .isEqualTo("Cloud API message throughput has been reached.");
                    throttled++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            // Capacity is one second of throughput (full at the start), then the rate.
            double expected = rate + rate * seconds;
            assertThat((double) ok).as("accepted in %.2f s at %d msg/s", seconds, rate)
                    .isBetween(expected * 0.85, expected + 1);
            assertThat(throttled).as("the client sends far faster than the rate").isGreaterThan(ok);
            assertThat(sandbox.receivedCount()).as("refused sends are not received").isEqualTo(ok);
            assertThat(sandbox.throttledCount()).isEqualTo(throttled);
            assertThat(sandbox.throttledCount(NUMBER)).isEqualTo(throttled);
            assertThat(sandbox.throttledCount(OTHER_NUMBER)).isZero();
            assertThat(sandbox.pairLimitedCount()).isZero();
        }
    }

    @Test
    void throughput_isPerNumber_andThrottleStatusMayBe429() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(twoNumbers().withThroughput(NUMBER, 1).withThrottleHttpStatus(429))) {
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
            Response second = SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(BOB));
            for (int i = 0; i < 30; i++) {
                assertThat(SandboxHttp.post(sandbox.baseUrl(), OTHER_PATH, OTHER_TOKEN, text(ALICE)).status())
                        .as("the other number has no limit").isEqualTo(200);
            }

            assertThat(second.status()).isEqualTo(429);
            assertThat(second.code()).isEqualTo(130429);
            assertThat(sandbox.throttledCount(NUMBER)).isEqualTo(1);
            assertThat(sandbox.throttledCount(OTHER_NUMBER)).isZero();
        }
    }

    @Test
    void markReads_doNotCountAgainstThroughput() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(twoNumbers().withThroughput(1))) {
            String read = "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\"wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI\"}";
            for (int i = 0; i < 5; i++) {
                assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, read).status()).isEqualTo(200);
            }
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
        }
    }

    @Test
    void pairLimit_burstThenRefusedThenOneMoreAfterTheRefillInterval() throws Exception {
        Duration interval = Duration.ofMillis(1500);
        try (SandboxEmulator sandbox = SandboxEmulator.start(twoNumbers().withPairLimit(PairLimit.of(45, interval)))) {
            // Warm up the connection and the JIT on another pair, so the burst is quick.
            for (int i = 0; i < 20; i++) {
                SandboxHttp.post(sandbox.baseUrl(), OTHER_PATH, OTHER_TOKEN, text(ALICE));
            }
            long burstStart = System.nanoTime();
            for (int i = 0; i < 45; i++) {
                assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(ALICE)).status()).as("send %d", i + 1).isEqualTo(200);
            }
            long lastOk = System.nanoTime();
            Response refused = SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(ALICE));
            assertThat(Duration.ofNanos(System.nanoTime() - burstStart)).as("the burst must beat one refill").isLessThan(interval);

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.code()).isEqualTo(131056);
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(BOB)).status()).as("other pairs go on").isEqualTo(200);
            assertThat(SandboxHttp.post(sandbox.baseUrl(), OTHER_PATH, OTHER_TOKEN, text(ALICE)).status()).isEqualTo(200);

            long acceptedAt;
            while (true) {
                Response r = SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(ALICE));
                if (r.status() == 200) {
                    acceptedAt = System.nanoTime();
                    break;
                }
                assertThat(r.code()).isEqualTo(131056);
                assertThat(Duration.ofNanos(System.nanoTime() - lastOk)).isLessThan(interval.multipliedBy(3));
                Thread.sleep(25);
            }
            // The bucket refills continuously from the burst's first send: one token back one
            // interval after it began (minus nothing the client could measure).
            Duration waited = Duration.ofNanos(acceptedAt - burstStart);
            assertThat(waited).as("one token back one refill interval after the burst began")
                    .isBetween(interval.minusMillis(50), interval.plusMillis(1000));
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(ALICE)).code())
                    .as("and only one").isEqualTo(131056);
            assertThat(sandbox.pairLimitedCount(NUMBER)).isGreaterThanOrEqualTo(2);
            assertThat(sandbox.pairLimitedCount()).isEqualTo(sandbox.pairLimitedCount(NUMBER));
            assertThat(sandbox.throttledCount()).isZero();
            assertThat(sandbox.received(NUMBER)).hasSize(47);
        }
    }

    @Test
    void pairLimit_treatsOneNumberWrittenTwoWaysAsOneUser() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(twoNumbers().withPairLimit(PairLimit.of(2, Duration.ofMinutes(1))))) {
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text("+1 (650) 555-0001")).status()).isEqualTo(200);
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text("16505550001")).status()).isEqualTo(200);
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(ALICE)).code()).isEqualTo(131056);
        }
    }

    @Test
    void defaults_enforceNoLimits() throws Exception {
        assertThat(SandboxOptions.defaults().limits()).isEqualTo(LimitOptions.OFF);
        try (SandboxEmulator sandbox = SandboxEmulator.start(twoNumbers())) {
            for (int i = 0; i < 120; i++) {
                assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
            }
            assertThat(sandbox.throttledCount() + sandbox.pairLimitedCount()).isZero();
        }
    }

    @Test
    void metaLimits_areEightyPerSecondAndPairFortyFiveEverySixSeconds() {
        LimitOptions meta = SandboxOptions.defaults().withMetaLimits().limits();
        assertThat(meta.throughput()).isEqualTo(80);
        assertThat(meta.pairLimit()).isEqualTo(new PairLimit(true, 45, Duration.ofSeconds(6)));
        assertThat(meta.throttleHttpStatus()).isEqualTo(400);
        assertThat(SandboxOptions.defaults().withThroughput(1000).withMetaLimits().limits().throughput()).isEqualTo(1000);
    }

    @Test
    void options_refuseOutOfRangeLimits_namingTheKey() {
        assertThatThrownBy(() -> SandboxOptions.defaults().withThroughput(1001))
                .hasMessageContaining("sandbox.throughput").hasMessageContaining("1001");
        assertThatThrownBy(() -> SandboxOptions.defaults().withThroughput(NUMBER, -1))
                .hasMessageContaining("sandbox.number_throughput." + NUMBER);
        assertThatThrownBy(() -> PairLimit.of(0, Duration.ofSeconds(6))).hasMessageContaining("sandbox.pair_limit.burst");
        assertThatThrownBy(() -> PairLimit.of(45, Duration.ZERO)).hasMessageContaining("sandbox.pair_limit.refill_interval");
        assertThatThrownBy(() -> SandboxOptions.defaults().withThrottleHttpStatus(503))
                .hasMessageContaining("sandbox.throttle_http_status");
    }

    @Test
    void javaApi_changesLimitsWhileRunning() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(twoNumbers())) {
            sandbox.limits().setThroughput(NUMBER, 1);
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(BOB)).code()).isEqualTo(130429);

            sandbox.limits().clearThroughput(NUMBER);
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(BOB)).status()).isEqualTo(200);

            sandbox.limits().reset();
            assertThat(sandbox.throttledCount()).isZero();
        }
    }

    @Test
    void controlApi_setsAndShowsLimits_andStatsCountRefusals() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(twoNumbers())) {
            Response set = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/limits", """
                    {"throughput": 80, "numbers": {"%s": 1}, "throttle_http_status": 429,
                     "pair_limit": {"enabled": true, "burst": 1, "refill_millis": 60000}}""".formatted(NUMBER));
            assertThat(set.status()).isEqualTo(200);
            assertThat(set.body().path("throughput").asInt()).isEqualTo(80);
            assertThat(set.body().at("/numbers/" + NUMBER).asInt()).isEqualTo(1);
            assertThat(set.body().at("/pair_limit/burst").asInt()).isEqualTo(1);

            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
            Response throttled = SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(BOB));
            assertThat(SandboxHttp.post(sandbox.baseUrl(), OTHER_PATH, OTHER_TOKEN, text(ALICE)).status()).isEqualTo(200);
            Response pair = SandboxHttp.post(sandbox.baseUrl(), OTHER_PATH, OTHER_TOKEN, text(ALICE));

            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.code()).isEqualTo(130429);
            assertThat(pair.status()).isEqualTo(429);
            assertThat(pair.code()).isEqualTo(131056);
            Response stats = SandboxHttp.get(sandbox.baseUrl(), "/_sandbox/stats");
            assertThat(stats.body().path("received").asInt()).isEqualTo(2);
            assertThat(stats.body().path("throttled").asInt()).isEqualTo(1);
            assertThat(stats.body().path("pair_limited").asInt()).isEqualTo(1);
            assertThat(stats.body().at("/numbers/" + NUMBER + "/throughput").asInt()).isEqualTo(1);
            assertThat(stats.body().at("/numbers/" + NUMBER + "/throttled").asInt()).isEqualTo(1);
            assertThat(stats.body().at("/numbers/" + OTHER_NUMBER + "/pair_limited").asInt()).isEqualTo(1);

            Response off = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/limits",
                    "{\"throughput\": 0, \"numbers\": {\"" + NUMBER + "\": null}, \"pair_limit\": false}");
            assertThat(off.body().path("numbers").size()).isZero();
            assertThat(SandboxHttp.get(sandbox.baseUrl(), "/_sandbox/limits").body().at("/pair_limit/enabled").asBoolean()).isFalse();
            assertThat(SandboxHttp.post(sandbox.baseUrl(), PATH, TOKEN, text(BOB)).status()).isEqualTo(200);
        }
    }

    @Test
    void controlApi_refusesBadLimits() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(twoNumbers())) {
            Response r = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/limits", "{\"throughput\": 5000}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().at("/error/message").asText()).contains("throughput");
            assertThat(SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/limits", "{\"speed\": 5}").status()).isEqualTo(400);
            assertThat(SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/limits", "not json").status()).isEqualTo(400);
            assertThat(sandbox.limits().defaultThroughput()).isZero();
        }
    }
}
