package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.EventKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delivery state machine of one group, driven step by step. */
class GroupStateTest {

    /** A member stream that takes what it is given while it says it is ready. */
    private static final class Stream implements GroupMember {
        final List<Long> got = new ArrayList<>();
        int readyFor = Integer.MAX_VALUE;

        @Override
        public boolean isReady() {
            return readyFor > 0;
        }

        @Override
        public void send(Event event) {
            got.add(event.getOffset());
            readyFor--;
        }

        @Override
        public void rewound(long offset) {
        }

        @Override
        public void heartbeat(long head) {
        }

        @Override
        public void close(GroupClosedException reason) {
        }
    }

    private static List<Event> events(int users, int perUser) {
        List<Event> out = new ArrayList<>();
        long offset = 1;
        for (int i = 0; i < perUser; i++) {
            for (int u = 0; u < users; u++) {
                out.add(Event.newBuilder().setOffset(offset++).setId("e" + offset).setKind(EventKind.INBOUND_MESSAGE)
                        .setPhoneNumberId("1").setUser("u" + u).build());
            }
        }
        return out;
    }

    private static GroupState group(Stream... members) {
        GroupState g = new GroupState("g", EventFilter.getDefaultInstance(), 1, 0);
        for (Stream s : members) {
            g.members.add(new GroupState.MemberState("m", 100, 1_000, s));
        }
        return g;
    }

    @Test
    void aStreamThatStopsBeingReadyMidwayGetsTheRestWhenReadyAgain() {
        Stream s = new Stream();
        GroupState g = group(s);
        g.take(events(4, 5), 21);
        s.readyFor = 3;
        assertThat(g.deliver(0, 1_000)).isEqualTo(3);
        s.readyFor = Integer.MAX_VALUE;
        assertThat(g.deliver(0, 1_000)).isEqualTo(17);
        assertThat(s.got).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void aNackBringsBackTheLaterEventsOfItsConversationThatWereOut_inOrder() {
        Stream s = new Stream();
        GroupState g = group(s);
        g.take(events(1, 3), 4);
        g.deliver(0, 1_000);
        assertThat(s.got).containsExactly(1L, 2L, 3L);
        g.nack(2);
        g.deliver(0, 1_000);
        assertThat(s.got).containsExactly(1L, 2L, 3L, 2L, 3L);
        g.ack(1);
        g.ack(2);
        g.ack(3);
        assertThat(g.committed).isEqualTo(4);
        assertThat(g.inFlight()).isZero();
    }

    @Test
    void aConversationStaysWithOneMemberWhileItHasEventsOut_andMovesWhenThatMemberLeaves() {
        Stream a = new Stream();
        Stream b = new Stream();
        GroupState g = group(a, b);
        g.take(events(1, 4), 5);
        g.deliver(0, 1_000);
        assertThat(a.got.size() + b.got.size()).isEqualTo(4);
        assertThat(a.got.isEmpty() || b.got.isEmpty()).as("one conversation, one member").isTrue();
        Stream holder = a.got.isEmpty() ? b : a;
        Stream other = holder == a ? b : a;
        g.remove(g.members.get(holder == a ? 0 : 1));
        g.deliver(0, 1_000);
        assertThat(other.got).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void expiredDeliveriesComeAgain_andAcksAfterThatAreStillTaken() {
        Stream s = new Stream();
        GroupState g = group(s);
        g.take(events(2, 1), 3);
        g.deliver(0, 1_000);
        assertThat(g.expire(999)).isZero();
        assertThat(g.expire(1_000)).isEqualTo(2);
        g.deliver(1_000, 1_000);
        assertThat(s.got).containsExactly(1L, 2L, 1L, 2L);
        assertThat(g.redelivered).isEqualTo(2);
        g.ack(1);
        g.ack(2);
        assertThat(g.committed).isEqualTo(3);
    }

    @Test
    void acknowledgedDeliveriesAreNotHeldUntilTheirDeadline() {
        Stream s = new Stream();
        GroupState g = group(s);
        g.take(events(10, 10), 101);
        g.deliver(0, 1_000);
        assertThat(g.deadlinesHeld()).isEqualTo(100);
        for (long o = 1; o <= 100; o++) {
            g.ack(o);
        }
        assertThat(g.deadlinesHeld()).isZero();
        assertThat(g.expire(10_000)).isZero();
    }
}
