package io.wagate.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConversationSchedulerTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ConversationScheduler s = new ConversationScheduler(now::get);

    private static ConversationScheduler.Entry entry(long id, String to, int lane) {
        return new ConversationScheduler.Entry(id, ConversationScheduler.conversationKey("1", to), lane, Long.MAX_VALUE, 0);
    }

    private ConversationScheduler.Entry lease() {
        return s.lease(0, TimeUnit.MILLISECONDS);
    }

    @Test
    void onlyTheHeadOfAConversationIsLeased_untilItFinishes() {
        s.add(entry(1, "a", 1));
        s.add(entry(2, "a", 1));
        s.add(entry(3, "b", 1));
        ConversationScheduler.Entry first = lease();
        ConversationScheduler.Entry second = lease();
        assertThat(List.of(first.id(), second.id())).containsExactly(1L, 3L);
        assertThat(lease()).isNull();
        s.finish(first);
        assertThat(lease().id()).isEqualTo(2L);
    }

    @Test
    void releasedHead_staysHead_andWaitsForItsBackoff() {
        s.add(entry(1, "a", 1));
        s.add(entry(2, "a", 1));
        ConversationScheduler.Entry head = lease();
        s.release(head, now.get() + 500);
        assertThat(lease()).isNull();
        now.addAndGet(499);
        assertThat(lease()).isNull();
        now.addAndGet(1);
        assertThat(lease().id()).isEqualTo(1L);
    }

    @Test
    void leaseBlocks_untilABackoffIsDue() {
        AtomicLong realClock = new AtomicLong(System.currentTimeMillis());
        ConversationScheduler timed = new ConversationScheduler(System::currentTimeMillis);
        timed.add(new ConversationScheduler.Entry(1, "1|a", 1, Long.MAX_VALUE, realClock.get() + 150));
        long start = System.nanoTime();
        ConversationScheduler.Entry e = timed.lease(5, TimeUnit.SECONDS);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(e.id()).isEqualTo(1L);
        assertThat(waitedMs).isBetween(100L, 4000L);
    }

    @Test
    void lanes_areWeighted_soBulkNeverStarvesHighButStillMoves() {
        for (int i = 0; i < 100; i++) {
            s.add(entry(1000 + i, "bulk" + i, 2));
        }
        for (int i = 0; i < 100; i++) {
            s.add(entry(2000 + i, "normal" + i, 1));
        }
        s.add(entry(1, "otp", 0));
        List<Long> order = new ArrayList<>();
        ConversationScheduler.Entry e;
        while ((e = lease()) != null) {
            order.add(e.id());
        }
        assertThat(order).hasSize(201);
        assertThat(order.indexOf(1L)).isLessThan(3);
        long bulkInFirst13 = order.subList(0, 13).stream().filter(id -> id >= 1000 && id < 2000).count();
        assertThat(bulkInFirst13).isBetween(1L, 3L);
    }

    @Test
    void claim_refusesLeasedEntries_andHidesClaimedOnes() {
        s.add(entry(1, "a", 1));
        s.add(entry(2, "a", 1));
        ConversationScheduler.Entry head = lease();
        assertThat(s.claim(1)).isEqualTo(ConversationScheduler.Claim.LEASED);
        assertThat(s.claim(2)).isEqualTo(ConversationScheduler.Claim.CLAIMED);
        assertThat(s.claim(2)).isEqualTo(ConversationScheduler.Claim.UNKNOWN);
        assertThat(s.claim(99)).isEqualTo(ConversationScheduler.Claim.UNKNOWN);
        s.finish(head);
        assertThat(lease()).isNull();
        ConversationScheduler.Entry claimed = s.entry(2);
        s.unclaim(claimed);
        assertThat(lease().id()).isEqualTo(2L);
    }

    @Test
    void claimExpired_takesWaitingEntriesPastValidity_notLeasedOnes() {
        s.add(new ConversationScheduler.Entry(1, "1|a", 1, now.get() + 100, 0));
        s.add(new ConversationScheduler.Entry(2, "1|a", 1, now.get() + 100, 0));
        s.add(new ConversationScheduler.Entry(3, "1|b", 1, now.get() + 100, 0));
        ConversationScheduler.Entry leased = lease();
        now.addAndGet(100);
        List<ConversationScheduler.Entry> expired = s.claimExpired();
        assertThat(expired).extracting(ConversationScheduler.Entry::id).containsExactlyInAnyOrder(2L, 3L);
        expired.forEach(s::finish);
        s.finish(leased);
        assertThat(s.size()).isZero();
    }

    @Test
    void misuse_isRefused() {
        ConversationScheduler.Entry e = entry(1, "a", 1);
        s.add(e);
        assertThatThrownBy(() -> s.release(e, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.finish(e)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> entry(2, "a", 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pendingByNumber_countsPerSender() {
        s.add(new ConversationScheduler.Entry(1, ConversationScheduler.conversationKey("111", "a"), 1, Long.MAX_VALUE, 0));
        s.add(new ConversationScheduler.Entry(2, ConversationScheduler.conversationKey("111", "b"), 1, Long.MAX_VALUE, 0));
        s.add(new ConversationScheduler.Entry(3, ConversationScheduler.conversationKey("222", "a"), 1, Long.MAX_VALUE, 0));
        assertThat(s.pendingByNumber()).containsEntry("111", 2L).containsEntry("222", 1L);
    }

    @Test
    void gateHoldingANumber_keepsItsConversationsInPlace_whileOtherNumbersGo() {
        java.util.Set<String> heldNumbers = new java.util.HashSet<>(List.of("111"));
        s.setGate((number, recipient, t) -> heldNumbers.contains(number)
                ? SendGate.Decision.waitNumber(1000) : SendGate.Decision.PASS);
        s.add(new ConversationScheduler.Entry(1, ConversationScheduler.conversationKey("111", "a"), 1, Long.MAX_VALUE, 0));
        s.add(new ConversationScheduler.Entry(2, ConversationScheduler.conversationKey("111", "b"), 1, Long.MAX_VALUE, 0));
        s.add(new ConversationScheduler.Entry(3, ConversationScheduler.conversationKey("222", "a"), 1, Long.MAX_VALUE, 0));
        assertThat(lease().id()).isEqualTo(3L);
        assertThat(lease()).isNull();
        heldNumbers.clear();
        assertThat(lease()).isNull(); // still held until its time
        now.addAndGet(1000);
        assertThat(lease().id()).isEqualTo(1L);
        assertThat(lease().id()).isEqualTo(2L);
    }

    @Test
    void gateHoldingAConversation_letsTheNumbersOtherConversationsGo() {
        s.setGate((number, recipient, t) -> recipient.equals("busy")
                ? SendGate.Decision.waitConversation(6000) : SendGate.Decision.PASS);
        s.add(new ConversationScheduler.Entry(1, ConversationScheduler.conversationKey("111", "busy"), 1, Long.MAX_VALUE, 0));
        s.add(new ConversationScheduler.Entry(2, ConversationScheduler.conversationKey("111", "free"), 1, Long.MAX_VALUE, 0));
        assertThat(lease().id()).isEqualTo(2L);
        assertThat(lease()).isNull();
        s.setGate(SendGate.OPEN);
        now.addAndGet(5999);
        assertThat(lease()).isNull();
        now.addAndGet(1);
        assertThat(lease().id()).isEqualTo(1L);
    }

    @Test
    void numbersTakeTurns() {
        for (int i = 0; i < 4; i++) {
            s.add(new ConversationScheduler.Entry(10 + i, ConversationScheduler.conversationKey("111", "r" + i), 1, Long.MAX_VALUE, 0));
            s.add(new ConversationScheduler.Entry(20 + i, ConversationScheduler.conversationKey("222", "r" + i), 1, Long.MAX_VALUE, 0));
        }
        List<Long> order = new ArrayList<>();
        ConversationScheduler.Entry e;
        while ((e = lease()) != null) {
            order.add(e.id());
        }
        assertThat(order).containsExactly(10L, 20L, 11L, 21L, 12L, 22L, 13L, 23L);
    }

    @Test
    void backlogByNumber_countsLanesAndTheOldest() {
        s.add(new ConversationScheduler.Entry(5, ConversationScheduler.conversationKey("111", "a"), 0, Long.MAX_VALUE, 0));
        s.add(new ConversationScheduler.Entry(7, ConversationScheduler.conversationKey("111", "a"), 2, Long.MAX_VALUE, 0));
        s.add(new ConversationScheduler.Entry(3, ConversationScheduler.conversationKey("111", "b"), 2, Long.MAX_VALUE, 0));
        ConversationScheduler.NumberBacklog b = s.backlogByNumber().get("111");
        assertThat(b.pending()).isEqualTo(3);
        assertThat(b.pendingByLane()).containsExactly(1, 0, 2);
        assertThat(b.oldestAcceptedId()).isEqualTo(3);
    }
}
