package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.StartPosition;
import io.wagate.api.v1.SubscribeRequest;
import io.wagate.config.EventsConfig;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer groups over a real log in a temp dir, with a clock the test moves. */
class ConsumerGroupsTest {
    private static final long T0 = 1_750_000_000_000L;
    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong(T0);
    private Database db;
    private EventLog log;
    private ConsumerGroups groups;

    /** A member stream that takes everything it is given. */
    private static class Member implements GroupMember {
        final ConcurrentLinkedQueue<Event> got = new ConcurrentLinkedQueue<>();

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void send(Event event) {
            got.add(event);
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

    @BeforeEach
    void open() {
        db = Database.open(StoreOptions.defaults(dir.resolve("db")));
        log = new EventLog(db, now::get);
        groups = new ConsumerGroups(db, log, EventsConfig.defaults(), now::get);
        groups.start();
    }

    @AfterEach
    void close() {
        groups.close();
        db.close();
    }

    /** One inbound event per simulated second, from 60 users in turn. */
    private void anHourOfEvents(int from, int count) {
        for (int i = from; i < from + count; i++) {
            now.addAndGet(1_000);
            log.append(List.of(Event.newBuilder().setId("in:" + i).setKind(EventKind.INBOUND_MESSAGE)
                    .setPhoneNumberId("1").setUser("u" + (i % 60)).build())).join();
        }
    }

    private static SubscribeRequest.Open open(String group) {
        return SubscribeRequest.Open.newBuilder().setGroup(group).setMaxInFlight(10_000)
                .setStart(StartPosition.newBuilder().setEarliest(true)).build();
    }

    private static List<Long> offsets(Member m) {
        List<Long> out = new ArrayList<>();
        m.got.forEach(e -> out.add(e.getOffset()));
        return out;
    }

    @Test
    void aMemberAwayForAnHourOfEventsComesBackWithoutAGap_andWithoutWhatItAcknowledged() {
        anHourOfEvents(0, 600);
        Member first = new Member();
        ConsumerGroups.Subscription s = groups.join(open("crm"), first);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> first.got.size() == 600);
        s.ack(offsets(first), List.of());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> groups.list().get(0).getCommittedOffset() == 601);
        s.leave();

        anHourOfEvents(600, 3_600); // the hour it is away
        Member back = new Member();
        ConsumerGroups.Subscription again = groups.join(open("crm"), back);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> back.got.size() >= 3_600);
        List<Long> got = offsets(back);
        got.sort(Long::compare);
        List<Long> expected = new ArrayList<>();
        for (long o = 601; o <= 4_200; o++) {
            expected.add(o);
        }
        assertThat(got).containsExactlyElementsOf(expected);
        EventsServiceTest.assertInOrderPerConversation(new ArrayList<>(back.got));
        again.leave();
    }

    @Test
    void retentionDeletesOldEventsAndTheirIds_andAGroupBehindItMovesOnToTheOldestKept() {
        anHourOfEvents(0, 100);
        now.addAndGet(Duration.ofDays(8).toMillis());
        anHourOfEvents(100, 10);
        assertThat(log.deleteOlderThan(now.get() - Duration.ofDays(7).toMillis(), 1_000)).isEqualTo(100);
        assertThat(log.first()).isEqualTo(101);
        // an id whose event was deleted may be stored again (Meta stopped redelivering after 7 days)
        assertThat(log.append(List.of(Event.newBuilder().setId("in:5").setKind(EventKind.INBOUND_MESSAGE)
                .setPhoneNumberId("1").setUser("u5").build())).join().stored()).isEqualTo(1);
        Member m = new Member();
        groups.join(open("late"), m);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> m.got.size() == 11);
        assertThat(offsets(m).get(0)).isEqualTo(101);
    }

    @Test
    void aGroupsCommittedOffsetSurvivesARestart() {
        anHourOfEvents(0, 50);
        Member m = new Member();
        ConsumerGroups.Subscription s = groups.join(open("keep"), m);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> m.got.size() == 50);
        s.ack(offsets(m).subList(0, 30), List.of());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> groups.list().get(0).getCommittedOffset() == 31);
        groups.close();
        db.close();
        open();
        assertThat(groups.list()).singleElement().satisfies(g -> {
            assertThat(g.getCommittedOffset()).isEqualTo(31);
            assertThat(g.getLag()).isEqualTo(20);
        });
    }

    @Test
    void aGroupStuckInsideItsSubscriberDoesNotHoldUpTheOthers() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Member stuck = new Member() {
            @Override
            public void send(Event event) {
                super.send(event);
                try {
                    release.await(); // a member that blocks, against the contract: only its group waits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        groups.join(open("stuck"), stuck);
        Member a = new Member();
        Member b = new Member();
        groups.join(open("a"), a);
        groups.join(open("b"), b);
        anHourOfEvents(0, 200);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.got.size() == 200 && b.got.size() == 200);
            assertThat(stuck.got).hasSize(1);
        } finally {
            release.countDown();
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stuck.got.size() == 200);
    }
}
