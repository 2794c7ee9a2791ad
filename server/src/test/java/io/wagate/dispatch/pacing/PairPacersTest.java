package io.wagate.dispatch.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PairPacersTest {
    private static final long S = 1_000_000_000L;
    private final PairPacers pacers = new PairPacers(PairPacer.Settings.meta());

    @Test
    void a131056ForOneRecipient_doesNotSlowTheOthers() {
        for (int i = 0; i < 45; i++) {
            assertThat(pacers.tryAcquire("a", 0)).isTrue();
        }
        pacers.onPairThrottled("b", 0);
        pacers.onPairThrottled("b", 0);
        assertThat(pacers.tryAcquire("a", 0)).isFalse();
        assertThat(pacers.tryAcquire("b", 0)).isFalse();
        assertThat(pacers.nanosUntilAllowed("b", 0)).isEqualTo(6 * S);
        assertThat(pacers.tryAcquire("c", 0)).isTrue();
        assertThat(pacers.nanosUntilAllowed("never-seen", 0)).isZero();
        assertThat(pacers.get("never-seen")).isNull();
    }

    @Test
    void onSuccess_forAnEvictedRecipient_createsNothing() {
        pacers.onSuccess("x", 0);
        assertThat(pacers.size()).isZero();
        pacers.onPairThrottled("x", 0);
        pacers.onSuccess("x", 0);
        assertThat(pacers.get("x").consecutiveThrottles()).isZero();
    }

    @Test
    void evictIdle_dropsOnlyPacersThatEqualANewOne() {
        pacers.tryAcquire("sent-once", 0);
        for (int i = 0; i < 45; i++) {
            pacers.tryAcquire("burst", 0);
        }
        pacers.onPairThrottled("throttled", 0);
        pacers.onPairThrottled("throttled", 0);
        pacers.onPairThrottled("throttled", 0);
        assertThat(pacers.size()).isEqualTo(3);

        assertThat(pacers.evictIdle(6 * S - 1)).isZero();
        assertThat(pacers.evictIdle(6 * S)).isEqualTo(1);
        assertThat(pacers.get("sent-once")).isNull();
        // both need the full 270 s refill; the throttled one's 16 s back-off ended long before
        assertThat(pacers.evictIdle(270 * S - 1)).isZero();
        assertThat(pacers.evictIdle(270 * S)).isEqualTo(2);
        assertThat(pacers.size()).isZero();
    }

    @Test
    void anEvictedRecipient_startsAgainWithAFullBucket_whichIsWhatMetaHasForIt() {
        pacers.tryAcquire("a", 0);
        pacers.evictIdle(6 * S);
        int sent = 0;
        while (pacers.tryAcquire("a", 6 * S)) {
            sent++;
        }
        assertThat(sent).isEqualTo(45);
    }

    @Test
    void aCampaignToAMillionRecipients_doesNotKeepAMillionPacers() {
        int recipients = 1_000_000;
        long now = 0;
        long step = 1_000_000; // 1,000 msg/s
        int peak = 0;
        int afterSweep = 0;
        for (int i = 0; i < recipients; i++) {
            assertThat(pacers.tryAcquire(Integer.toString(i), now)).isTrue();
            now += step;
            if (i % 60_000 == 59_999) { // a sweep every virtual minute
                peak = Math.max(peak, pacers.size());
                pacers.evictIdle(now);
                afterSweep = Math.max(afterSweep, pacers.size());
            }
        }
        // one send each, idle 6 s later: a sweep keeps the last 6 s of recipients, so at most
        // the last 66 s are ever held
        assertThat(afterSweep).isLessThanOrEqualTo(6_000);
        assertThat(peak).isLessThanOrEqualTo(66_000);
        pacers.evictIdle(now + 6 * S);
        assertThat(pacers.size()).isZero();
    }
}
