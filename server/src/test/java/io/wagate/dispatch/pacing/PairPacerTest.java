package io.wagate.dispatch.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PairPacerTest {
    private static final long S = 1_000_000_000L;

    private static int sendAll(PairPacer p, long now) {
        int n = 0;
        while (p.tryAcquire(now)) {
            n++;
        }
        return n;
    }

    @Test
    void aBurstOf45_thenOneEverySixSeconds() {
        PairPacer p = new PairPacer(PairPacer.Settings.meta(), 0);
        assertThat(sendAll(p, 0)).isEqualTo(45);
        assertThat(p.nanosUntilAllowed(0)).isEqualTo(6 * S);
        assertThat(sendAll(p, 6 * S - 1)).isZero();
        assertThat(sendAll(p, 6 * S)).isEqualTo(1);
        // a burst of 20 borrows 2 minutes (reference §3.2): 20 tokens back after 120 s
        assertThat(sendAll(p, 126 * S)).isEqualTo(20);
    }

    @ParameterizedTest(name = "131056 number {0} -> wait {1} s")
    @CsvSource({"1, 1", "2, 4", "3, 16", "4, 64", "5, 256", "6, 1024", "7, 1024", "12, 1024"})
    void consecutive131056_waitFourToTheX_capped(int nth, long seconds) {
        PairPacer p = new PairPacer(PairPacer.Settings.meta(), 0);
        long wait = 0;
        for (int i = 0; i < nth; i++) {
            wait = p.onPairThrottled(i * 10_000 * S);
        }
        assertThat(wait).isEqualTo(seconds * S);
        assertThat(p.consecutiveThrottles()).isEqualTo(nth);
    }

    @Test
    void aBackOff_blocksTheRecipient_untilItEnds_andTheBucketIsEmptied() {
        PairPacer p = new PairPacer(PairPacer.Settings.meta(), 0);
        p.onPairThrottled(0);
        p.onPairThrottled(10 * S);
        p.onPairThrottled(20 * S); // 16 s: until 36 s
        assertThat(p.nanosUntilAllowed(20 * S)).isEqualTo(16 * S);
        assertThat(p.tryAcquire(35 * S)).isFalse();
        // emptied at 20 s: two tokens back by 36 s, the third at 38 s
        assertThat(sendAll(p, 36 * S)).isEqualTo(2);
        assertThat(p.nanosUntilAllowed(36 * S)).isEqualTo(2 * S);
    }

    @Test
    void aShortBackOff_stillWaitsForMetasEmptyBucket() {
        PairPacer p = new PairPacer(PairPacer.Settings.meta(), 0);
        assertThat(p.onPairThrottled(0)).isEqualTo(S);
        assertThat(p.nanosUntilAllowed(0)).isEqualTo(6 * S);
    }

    @Test
    void aSuccess_resetsTheCount() {
        PairPacer p = new PairPacer(PairPacer.Settings.meta(), 0);
        p.onPairThrottled(0);
        p.onPairThrottled(100 * S);
        p.onSuccess(200 * S);
        assertThat(p.consecutiveThrottles()).isZero();
        assertThat(p.onPairThrottled(300 * S)).isEqualTo(S);
    }

    @Test
    void idle_onlyWhenFullAndNoBackOffPending() {
        PairPacer p = new PairPacer(PairPacer.Settings.meta(), 0);
        assertThat(p.isIdle(0)).isTrue();
        p.tryAcquire(0);
        assertThat(p.isIdle(6 * S - 1)).isFalse();
        assertThat(p.isIdle(6 * S)).isTrue();
        p.onPairThrottled(10 * S);
        p.onPairThrottled(10 * S);
        p.onPairThrottled(10 * S);
        p.onPairThrottled(10 * S); // 64 s back-off; bucket refilled after 270 s
        assertThat(p.isIdle(10 * S + 270 * S - 1)).isFalse();
        assertThat(p.isIdle(10 * S + 270 * S)).isTrue();
        PairPacer blocked = new PairPacer(PairPacer.Settings.meta(), 0);
        for (int i = 0; i < 6; i++) {
            blocked.onPairThrottled(0); // 1024 s back-off outlasts the 270 s refill
        }
        assertThat(blocked.isIdle(1023 * S)).isFalse();
        assertThat(blocked.isIdle(1024 * S)).isTrue();
    }

    @Test
    void customSettings() {
        PairPacer.Settings s = new PairPacer.Settings(2, Duration.ofSeconds(1), Duration.ofMillis(500), 1);
        PairPacer p = new PairPacer(s, 0);
        assertThat(sendAll(p, 0)).isEqualTo(2);
        assertThat(p.onPairThrottled(0)).isEqualTo(S / 2);
        assertThat(p.onPairThrottled(0)).isEqualTo(2 * S);
        assertThat(p.onPairThrottled(0)).isEqualTo(2 * S);
        assertThat(s.fullRefill()).isEqualTo(Duration.ofSeconds(2));
        assertThat(PairPacer.Settings.meta().fullRefill()).isEqualTo(Duration.ofSeconds(270));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pacing.pair.burst, 0, 6, 1, 5", "pacing.pair.burst, 1001, 6, 1, 5",
            "pacing.pair.refill_interval, 45, 0, 1, 5", "pacing.pair.back_off_unit, 45, 6, 0, 5",
            "pacing.pair.max_exponent, 45, 6, 1, -1", "pacing.pair.max_exponent, 45, 6, 1, 21",
            "pacing.pair.back_off_unit, 45, 6, 100000000, 20"})
    void badSettings_areRefused_namingTheKey(String key, double burst, long refillS, long unitS, int maxExp) {
        assertThatThrownBy(() -> new PairPacer.Settings(burst, Duration.ofSeconds(refillS), Duration.ofSeconds(unitS),
                maxExp)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(key);
    }
}
