package io.wagate.dispatch.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.dispatch.pacing.Circuit.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CircuitTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    /** No jitter: u = 0 takes nothing off. */
    private final Circuit circuit = new Circuit(Circuit.Settings.defaults(), () -> 0.0);

    @Test
    void closed_sends() {
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
        assertThat(circuit.tryAcquire(0)).isTrue();
        assertThat(circuit.tryAcquireProbe(0)).isFalse();
        assertThat(circuit.nanosUntilAllowed(0)).isZero();
        assertThat(circuit.reason()).isNull();
    }

    @Test
    void aFailureBeforeSending_opens_andNothingGoesUntilTheProbeTime() {
        circuit.onTransportFailure(true, 10 * S);
        assertThat(circuit.state()).isEqualTo(State.OPEN);
        assertThat(circuit.nextProbeAt()).isEqualTo(11 * S);
        assertThat(circuit.tryAcquire(10 * S)).isFalse();
        assertThat(circuit.nanosUntilAllowed(10 * S + 400 * MS)).isEqualTo(600 * MS);
        assertThat(circuit.tryAcquireProbe(11 * S - 1)).isFalse();
        assertThat(circuit.tryAcquireProbe(11 * S)).isTrue();
        assertThat(circuit.state()).isEqualTo(State.HALF_OPEN);
        // exactly one probe; ordinary sends still wait
        assertThat(circuit.tryAcquireProbe(11 * S)).isFalse();
        assertThat(circuit.tryAcquireProbe(20 * S)).isFalse();
        assertThat(circuit.tryAcquire(20 * S)).isFalse();
        assertThat(circuit.nanosUntilAllowed(20 * S)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aFailureAfterSending_doesNotOpen() {
        for (int i = 0; i < 10; i++) {
            circuit.onTransportFailure(false, i);
        }
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void anAnswerToTheProbe_closes_andResetsTheBackOff() {
        circuit.onTransportFailure(true, 0);
        circuit.tryAcquireProbe(S);
        circuit.onTransportFailure(true, S);
        circuit.tryAcquireProbe(3 * S);
        circuit.onSuccess(3 * S);
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
        assertThat(circuit.openings()).isZero();
        assertThat(circuit.tryAcquire(3 * S)).isTrue();
        circuit.onTransportFailure(true, 4 * S);
        assertThat(circuit.nextProbeAt()).isEqualTo(5 * S);
    }

    @ParameterizedTest(name = "opening {0}: probe after {1} ms")
    @CsvSource({"1, 1000", "2, 2000", "3, 4000", "4, 8000", "5, 16000", "6, 30000", "7, 30000", "40, 30000"})
    void aFailedProbe_reopensWithDoubleTheDelay_upToTheCap(int openings, long delayMs) {
        long now = 0;
        circuit.onTransportFailure(true, now);
        for (int i = 1; i < openings; i++) {
            now = circuit.nextProbeAt();
            assertThat(circuit.tryAcquireProbe(now)).isTrue();
            circuit.onTransportFailure(i % 2 == 0, now); // a probe with no answer, sent or not
        }
        assertThat(circuit.openings()).isEqualTo(openings);
        assertThat(circuit.nextProbeAt() - now).isEqualTo(delayMs * MS);
    }

    @ParameterizedTest(name = "u = {0} -> {1} ms")
    @CsvSource({"0, 8000", "0.5, 6000", "0.999, 4004"})
    void jitter_takesARandomShareOff(double u, long delayMs) {
        Circuit c = new Circuit(Circuit.Settings.defaults(), () -> u);
        long now = 0;
        c.onTransportFailure(true, now);
        for (int i = 1; i < 4; i++) {
            now = c.nextProbeAt();
            c.tryAcquireProbe(now);
            c.onTransportFailure(true, now);
        }
        assertThat(c.nextProbeAt() - now).isEqualTo(delayMs * MS);
    }

    @Test
    void failuresWhileOpen_comeFromEarlierRequests_andChangeNothing() {
        circuit.onTransportFailure(true, 0);
        for (int i = 0; i < 100; i++) {
            circuit.onTransportFailure(true, i * MS);
        }
        assertThat(circuit.openings()).isEqualTo(1);
        assertThat(circuit.nextProbeAt()).isEqualTo(S);
    }

    @Test
    void anAnswerWhileOpen_provesTheUplink_andCloses() {
        circuit.onTransportFailure(true, 0);
        circuit.onSuccess(100 * MS);
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
    }

    @ParameterizedTest(name = "threshold {0}")
    @CsvSource({"1", "3", "5"})
    void theThreshold_countsConsecutiveNotSentFailures(int threshold) {
        Circuit c = new Circuit(new Circuit.Settings(threshold, Duration.ofSeconds(1), Duration.ofSeconds(30), 0.5),
                () -> 0.0);
        for (int i = 1; i < threshold; i++) {
            c.onTransportFailure(true, 0);
            c.onTransportFailure(false, 0); // does not count, does not reset
        }
        c.onSuccess(0);
        for (int i = 1; i < threshold; i++) {
            c.onTransportFailure(true, 0);
        }
        assertThat(c.state()).isEqualTo(State.CLOSED);
        c.onTransportFailure(true, 0);
        assertThat(c.state()).isEqualTo(State.OPEN);
    }

    @Test
    void aPause_stopsEverything_untilItEnds_withItsReason() {
        circuit.pause(60 * S, "quota: code 80007");
        assertThat(circuit.tryAcquire(59 * S)).isFalse();
        assertThat(circuit.reason()).isEqualTo("quota: code 80007");
        assertThat(circuit.nanosUntilAllowed(59 * S)).isEqualTo(S);
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
        assertThat(circuit.tryAcquire(60 * S)).isTrue();
        assertThat(circuit.reason()).isNull();
    }

    @Test
    void aPause_blocksProbes_andKeepsTheCircuitState() {
        circuit.onTransportFailure(true, 0);
        circuit.pause(10 * S, "maintenance 131057");
        assertThat(circuit.tryAcquireProbe(5 * S)).isFalse();
        assertThat(circuit.nanosUntilAllowed(5 * S)).isEqualTo(5 * S);
        assertThat(circuit.state()).isEqualTo(State.OPEN);
        assertThat(circuit.tryAcquireProbe(10 * S)).isTrue();
    }

    @Test
    void ofTwoPauses_theLaterEndingWins() {
        circuit.pause(100 * S, "long");
        circuit.pause(50 * S, "short");
        assertThat(circuit.reason()).isEqualTo("long");
        assertThat(circuit.isPaused(99 * S)).isTrue();
        circuit.pause(200 * S, "longer");
        assertThat(circuit.reason()).isEqualTo("longer");
        assertThat(circuit.isPaused(150 * S)).isTrue();
    }

    @Test
    void anIndefinitePause_lastsUntilResumed_andOutranksTimedOnes() {
        circuit.pauseUntilResumed("auth: code 190, token expired");
        circuit.pause(10 * S, "quota");
        assertThat(circuit.tryAcquire(1_000_000 * S)).isFalse();
        assertThat(circuit.nanosUntilAllowed(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(circuit.reason()).isEqualTo("auth: code 190, token expired");
        circuit.resume();
        assertThat(circuit.tryAcquire(1_000_000 * S)).isTrue();
        assertThat(circuit.reason()).isNull();
    }

    @Test
    void aPauseNeedsAReason() {
        assertThatThrownBy(() -> circuit.pause(S, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> circuit.pauseUntilResumed(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void worksAcrossTheWrapOfTheNanoClock() {
        long start = Long.MAX_VALUE - S / 2;
        circuit.onTransportFailure(true, start);
        assertThat(circuit.tryAcquireProbe(start + S - 1)).isFalse();
        assertThat(circuit.tryAcquireProbe(start + S)).isTrue();
        circuit.pause(start + 3 * S, "x");
        assertThat(circuit.isPaused(start + 2 * S)).isTrue();
        assertThat(circuit.isPaused(start + 3 * S)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"circuit.failure_threshold, 0, 1000, 30000, 0.5", "circuit.failure_threshold, 101, 1000, 30000, 0.5",
            "circuit.initial_probe_delay, 1, 0, 30000, 0.5", "circuit.max_probe_delay, 1, 1000, 999, 0.5",
            "circuit.jitter, 1, 1000, 30000, -0.1", "circuit.jitter, 1, 1000, 30000, 1.5"})
    void badSettings_areRefused_namingTheKey(String key, int threshold, long initialMs, long maxMs, double jitter) {
        assertThatThrownBy(() -> new Circuit.Settings(threshold, Duration.ofMillis(initialMs), Duration.ofMillis(maxMs),
                jitter)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(key);
    }
}
