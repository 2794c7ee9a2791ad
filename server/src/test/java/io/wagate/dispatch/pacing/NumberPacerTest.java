package io.wagate.dispatch.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumberPacerTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    /** 80 msg/s, no headroom, +1 msg/s per second, no fast recovery: simple numbers. */
    private static NumberPacer.Settings plain80() {
        return NumberPacer.Settings.forThroughput(80).withInboundHeadroomPercent(0).withIncrease(1, 0, 1);
    }

    /** Calls onSuccess every {@code step} from {@code from} to {@code to} inclusive. */
    private static void successes(NumberPacer p, long from, long to, long step) {
        for (long t = from; t <= to; t += step) {
            p.onSuccess(t);
        }
    }

    @ParameterizedTest(name = "{0} msg/s with {1} % headroom -> {2}")
    @CsvSource({"80, 10, 72", "1000, 10, 900", "20, 0, 20", "1, 0, 1", "80, 90, 8"})
    void startsAtThroughputMinusInboundHeadroom(double throughput, double headroom, double expected) {
        NumberPacer p = new NumberPacer(NumberPacer.Settings.forThroughput(throughput)
                .withInboundHeadroomPercent(headroom), 0);
        assertThat(p.currentRate()).isCloseTo(expected, within(1e-9));
        assertThat(p.maxRate()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void defaults_forThroughput() {
        NumberPacer.Settings s = NumberPacer.Settings.forThroughput(1000);
        assertThat(s.maxRate()).isEqualTo(900);
        assertThat(s.increasePerSecond()).isEqualTo(10);
        assertThat(s.burstTokens()).isCloseTo(9, within(1e-9));
        assertThat(NumberPacer.Settings.forThroughput(80).increasePerSecond()).isCloseTo(0.8, within(1e-9));
        assertThat(NumberPacer.Settings.forThroughput(80).burstTokens()).isEqualTo(1);
        assertThat(NumberPacer.Settings.forThroughput(1).floorMps()).isCloseTo(0.9, within(1e-9));
    }

    @Test
    void pacesAtTheCurrentRate() {
        NumberPacer p = new NumberPacer(plain80(), 0);
        assertThat(p.tryAcquire(0)).isTrue();
        assertThat(p.tryAcquire(0)).isFalse();
        assertThat(p.nanosUntilNext(0)).isEqualTo(12_500_000);
        assertThat(p.tryAcquire(12_500_000)).isTrue();
    }

    @Test
    void aBurstOf130429_cutsTheRateOnce_perCoolDown() {
        NumberPacer p = new NumberPacer(plain80(), 0);
        int cuts = 0;
        for (long t = 10 * S; t < 12 * S; t += 40 * MS) {
            cuts += p.onThrottled(t) ? 1 : 0;
        }
        assertThat(cuts).isEqualTo(1);
        assertThat(p.currentRate()).isEqualTo(40);
        assertThat(p.onThrottled(12 * S)).isTrue();
        assertThat(p.currentRate()).isEqualTo(20);
        assertThat(p.decreases()).isEqualTo(2);
        // the bucket follows the rate: one message per 50 ms now
        p.tryAcquire(12 * S);
        assertThat(p.nanosUntilNext(12 * S)).isEqualTo(50 * MS);
    }

    @Test
    void a130429ForARequestSentBeforeTheLastCut_isStale_howeverLateItArrives() {
        NumberPacer p = new NumberPacer(plain80(), 0);
        assertThat(p.onThrottled(9 * S, 10 * S)).isTrue();
        // sent before the cut, answered long after the cool-down
        assertThat(p.onThrottled(9 * S + 500 * MS, 15 * S)).isFalse();
        assertThat(p.currentRate()).isEqualTo(40);
        // sent after the cut: the new rate is still too high
        assertThat(p.onThrottled(10 * S, 15 * S)).isTrue();
        assertThat(p.currentRate()).isEqualTo(20);
        // sent after the cut but answered within the cool-down
        assertThat(p.onThrottled(15 * S, 16 * S)).isFalse();
    }

    @Test
    void theRateNeverDropsBelowTheFloor() {
        NumberPacer p = new NumberPacer(plain80().withFloorMps(3), 0);
        for (int i = 0; i < 20; i++) {
            p.onThrottled(i * 10 * S);
        }
        assertThat(p.currentRate()).isEqualTo(3);
    }

    @Test
    void increase_isPerSecondOfSuccessTime() {
        NumberPacer p = new NumberPacer(plain80(), 0);
        p.onThrottled(0);
        assertThat(p.currentRate()).isEqualTo(40);
        // successes every 100 ms for 10 s (the first one only starts the clock): +1 msg/s per second
        successes(p, 0, 10 * S, 100 * MS);
        assertThat(p.currentRate()).isCloseTo(50, within(1e-6));
    }

    @Test
    void increase_goesOnDuringTheCoolDown_whichOnlyGatesCuts() {
        NumberPacer p = new NumberPacer(plain80(), 0);
        p.onThrottled(0);
        successes(p, 0, S, 100 * MS);
        assertThat(p.currentRate()).isCloseTo(41, within(1e-6));
        assertThat(p.onThrottled(S)).isFalse();
    }

    @Test
    void anIdleGap_isCreditedAtMostOneSecond() {
        NumberPacer p = new NumberPacer(plain80(), 0);
        p.onThrottled(0);
        p.onSuccess(S);
        p.onSuccess(3600 * S);
        assertThat(p.currentRate()).isCloseTo(41, within(1e-9));
    }

    @Test
    void theTimeBeforeA130429_isNotSuccessTime() {
        NumberPacer p = new NumberPacer(plain80(), 0);
        p.onSuccess(0);
        p.onThrottled(S / 2);
        p.onSuccess(S);
        assertThat(p.currentRate()).isEqualTo(40);
        p.onSuccess(2 * S);
        assertThat(p.currentRate()).isCloseTo(41, within(1e-9));
    }

    @Test
    void successesOutOfOrder_addNothing() {
        NumberPacer p = new NumberPacer(plain80(), 0);
        p.onThrottled(0);
        p.onSuccess(5 * S);
        p.onSuccess(4 * S);
        assertThat(p.currentRate()).isEqualTo(40);
    }

    @Test
    void theRateNeverExceedsTheMax() {
        NumberPacer p = new NumberPacer(NumberPacer.Settings.forThroughput(80), 0);
        p.onThrottled(0);
        successes(p, 0, 600 * S, 250 * MS);
        assertThat(p.currentRate()).isEqualTo(72);
    }

    @ParameterizedTest(name = "after {0} ms of success: {1} msg/s")
    @CsvSource({"0, 40", "1000, 50", "3000, 70", "3200, 72", "4200, 73", "11200, 80", "20000, 80"})
    void fastRecovery_upToNinetyPercentOfTheThrottledRate_thenSlow(long millis, double expected) {
        NumberPacer p = new NumberPacer(plain80().withIncrease(1, 0.9, 10), 0);
        p.onThrottled(0);
        successes(p, 0, millis * MS, 100 * MS);
        assertThat(p.currentRate()).isCloseTo(expected, within(1e-6));
    }

    @Test
    void withinAStep_fastRecoveryHandsOverToTheSlowIncrease() {
        NumberPacer p = new NumberPacer(plain80().withIncrease(1, 0.9, 10), 0);
        p.onThrottled(0);
        p.onSuccess(0);
        p.onSuccess(S); // +10 fast to 50
        p.onSuccess(2 * S); // +10 fast to 60
        p.onSuccess(3 * S); // +10 fast to 70
        p.onSuccess(4 * S); // 0.2 s fast to 72, then 0.8 s slow: 72.8
        assertThat(p.currentRate()).isCloseTo(72.8, within(1e-9));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "throughput_mps; 0, 10, 1, 0.5, 2, 1, 0.9, 10, 10",
            "throughput_mps; 1001, 10, 1, 0.5, 2, 1, 0.9, 10, 10",
            "throughput_mps; NaN, 10, 1, 0.5, 2, 1, 0.9, 10, 10",
            "inbound_headroom_percent; 80, -1, 1, 0.5, 2, 1, 0.9, 10, 10",
            "inbound_headroom_percent; 80, 91, 1, 0.5, 2, 1, 0.9, 10, 10",
            "floor_mps; 80, 10, 0, 0.5, 2, 1, 0.9, 10, 10",
            "floor_mps; 80, 10, 73, 0.5, 2, 1, 0.9, 10, 10",
            "decrease_factor; 80, 10, 1, 0, 2, 1, 0.9, 10, 10",
            "decrease_factor; 80, 10, 1, 1, 2, 1, 0.9, 10, 10",
            "cool_down; 80, 10, 1, 0.5, 0, 1, 0.9, 10, 10",
            "increase_mps_per_second; 80, 10, 1, 0.5, 2, 0, 0.9, 10, 10",
            "recovery_fraction; 80, 10, 1, 0.5, 2, 1, 1.1, 10, 10",
            "recovery_speedup; 80, 10, 1, 0.5, 2, 1, 0.9, 0.5, 10",
            "burst; 80, 10, 1, 0.5, 2, 1, 0.9, 10, 0"})
    void badSettings_areRefused_namingTheKey(String key, String values) {
        String[] v = values.split(",\\s*");
        Supplier<NumberPacer.Settings> make = () -> new NumberPacer.Settings(Double.parseDouble(v[0]),
                Double.parseDouble(v[1]), Double.parseDouble(v[2]), Double.parseDouble(v[3]),
                Duration.ofSeconds(Long.parseLong(v[4])), Double.parseDouble(v[5]), Double.parseDouble(v[6]),
                Double.parseDouble(v[7]), Duration.ofMillis(Long.parseLong(v[8])));
        assertThatThrownBy(make::get).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pacing." + key);
    }
}
