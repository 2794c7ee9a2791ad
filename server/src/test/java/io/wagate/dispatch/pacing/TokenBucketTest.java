package io.wagate.dispatch.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenBucketTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private static int takeAll(TokenBucket b, long now) {
        int n = 0;
        while (b.tryTake(now)) {
            n++;
        }
        return n;
    }

    @ParameterizedTest(name = "capacity {0} -> {1} immediate takes")
    @CsvSource({"1, 1", "1.5, 1", "2, 2", "45, 45", "45.9, 45"})
    void newBucket_isFull_andGivesWholeTokensOnly(double capacity, int expected) {
        TokenBucket b = new TokenBucket(10, capacity, 0);
        assertThat(b.isFull(0)).isTrue();
        assertThat(takeAll(b, 0)).isEqualTo(expected);
    }

    @Test
    void emptyBucket_saysExactlyWhenTheNextTokenArrives() {
        TokenBucket b = TokenBucket.ofInterval(6 * S, 45, 0);
        assertThat(takeAll(b, 0)).isEqualTo(45);
        assertThat(b.nanosUntilAvailable(0)).isEqualTo(6 * S);
        assertThat(b.tryTake(6 * S - 1)).isFalse();
        assertThat(b.nanosUntilAvailable(6 * S - 1)).isEqualTo(1);
        assertThat(b.nanosUntilAvailable(6 * S)).isZero();
        assertThat(b.tryTake(6 * S)).isTrue();
        assertThat(b.nanosUntilAvailable(6 * S)).isEqualTo(6 * S);
    }

    @Test
    void refillIsContinuous_andFractional() {
        TokenBucket b = new TokenBucket(4, 4, 0);
        takeAll(b, 0);
        assertThat(b.tokens(0)).isZero();
        assertThat(b.tokens(125 * MS)).isCloseTo(0.5, within(1e-9));
        assertThat(b.tryTake(125 * MS)).isFalse();
        assertThat(b.tokens(625 * MS)).isCloseTo(2.5, within(1e-9));
        assertThat(takeAll(b, 625 * MS)).isEqualTo(2);
        assertThat(b.tokens(625 * MS)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void refillStopsAtCapacity_afterALongIdle() {
        TokenBucket b = new TokenBucket(100, 3, 0);
        takeAll(b, 0);
        assertThat(b.isFull(3600 * S)).isTrue();
        assertThat(b.tokens(3600 * S)).isEqualTo(3.0);
        assertThat(takeAll(b, 3600 * S)).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}/s for 60 s polled every {1} ns")
    @CsvSource({"80, 1000000", "1000, 100000", "64, 3000000", "0.16666666666666666, 1000000000"})
    void overALongRun_sendsExactlyRateTimesTimePlusTheInitialBurst(double rate, long step) {
        // capacity 2: a poll that comes late (by less than one interval) loses nothing
        TokenBucket b = new TokenBucket(rate, 2, 0);
        long sent = 0;
        for (long t = 0; t <= 60 * S; t += step) {
            sent += takeAll(b, t);
        }
        assertThat(sent).isEqualTo(2 + (long) Math.floor(rate * 60 + 1e-9));
    }

    @Test
    void setRate_keepsTheTokensAccruedSoFar() {
        TokenBucket b = new TokenBucket(10, 10, 0);
        takeAll(b, 0);
        // 0.5 s at 10/s: 5 tokens accrued
        b.setRate(2, 500 * MS);
        assertThat(b.tokens(500 * MS)).isCloseTo(5, within(1e-9));
        assertThat(b.rate()).isEqualTo(2);
        // one more second at the new rate: 2 more
        assertThat(b.tokens(1500 * MS)).isCloseTo(7, within(1e-9));
        b.setRate(100, 1500 * MS);
        assertThat(b.tokens(1500 * MS)).isCloseTo(7, within(1e-9));
        assertThat(b.tokens(1530 * MS)).isCloseTo(10, within(1e-9));
    }

    @Test
    void setRate_onAFullBucket_staysFull() {
        TokenBucket b = new TokenBucket(10, 5, 0);
        b.setRate(0.5, S);
        assertThat(b.isFull(S)).isTrue();
        assertThat(takeAll(b, S)).isEqualTo(5);
        assertThat(b.nanosUntilAvailable(S)).isEqualTo(2 * S);
    }

    @Test
    void drain_emptiesTheBucket() {
        TokenBucket b = TokenBucket.ofInterval(6 * S, 45, 0);
        b.drain(S);
        assertThat(b.tokens(S)).isZero();
        assertThat(b.nanosUntilAvailable(S)).isEqualTo(6 * S);
    }

    @Test
    void clockGoingBackwards_isNoRefund() {
        TokenBucket b = new TokenBucket(1, 2, 10 * S);
        assertThat(takeAll(b, 10 * S)).isEqualTo(2);
        assertThat(b.tryTake(9 * S)).isFalse();
        assertThat(b.nanosUntilAvailable(9 * S)).isEqualTo(2 * S);
    }

    @ParameterizedTest(name = "start at {0}")
    @ValueSource(longs = {Long.MAX_VALUE - 3_000_000_000L, -1_500_000_000L, Long.MIN_VALUE})
    void worksAcrossTheWrapOfTheNanoClock(long start) {
        TokenBucket b = new TokenBucket(1, 2, start);
        assertThat(takeAll(b, start)).isEqualTo(2);
        assertThat(b.nanosUntilAvailable(start)).isEqualTo(S);
        long later = start + 2 * S; // may overflow to negative: still two seconds later
        assertThat(b.isFull(later)).isTrue();
        assertThat(takeAll(b, later)).isEqualTo(2);
        assertThat(b.isFull(later + S - 1)).isFalse();
    }

    @ParameterizedTest(name = "rate {0} capacity {1}")
    @CsvSource({"0, 1", "-1, 1", "NaN, 1", "Infinity, 1", "2e9, 1", "1, 0.5", "1, NaN", "1, Infinity",
            "1e-9, 1e9"})
    void badArguments_areRefused(double rate, double capacity) {
        assertThatThrownBy(() -> new TokenBucket(rate, capacity, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badInterval_isRefused() {
        assertThatThrownBy(() -> TokenBucket.ofInterval(0, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        TokenBucket b = new TokenBucket(1, 1, 0);
        assertThatThrownBy(() -> b.setRate(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
