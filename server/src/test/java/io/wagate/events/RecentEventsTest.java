package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.InboundMessage;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory tail of the log: bounded, never wrong, and invisible to readers of the log. */
class RecentEventsTest {
    @TempDir
    Path dir;

    private static Event event(long offset, int textBytes) {
        return Event.newBuilder().setOffset(offset).setId("e" + offset).setKind(EventKind.INBOUND_MESSAGE)
                .setInbound(InboundMessage.newBuilder().setRawJson("x".repeat(textBytes))).build();
    }

    @Test
    void keepsTheNewestEntriesUpToItsCapacity() {
        RecentEvents ring = new RecentEvents(8, 1 << 20);
        for (long o = 1; o <= 20; o++) {
            ring.add(event(o, 10), event(o, 10).toByteArray());
        }
        for (long o = 1; o <= 12; o++) {
            assertThat(ring.get(o)).as("offset %d", o).isNull();
        }
        for (long o = 13; o <= 20; o++) {
            assertThat(ring.get(o).getId()).isEqualTo("e" + o);
        }
        assertThat(ring.get(21)).isNull();
    }

    @Test
    void evictsTheOldestWhenTheByteBudgetIsReached() {
        int size = event(1, 1_000).getSerializedSize();
        RecentEvents ring = new RecentEvents(64, 3L * size + 8); // sizes grow by a byte with the offset
        for (long o = 1; o <= 10; o++) {
            ring.add(event(o, 1_000), event(o, 1_000).toByteArray());
        }
        assertThat(ring.get(7)).isNull();
        assertThat(ring.get(8)).isNotNull();
        assertThat(ring.get(10)).isNotNull();
    }

    @Test
    void doesNotKeepEventsOverTheSizeLimitNorOlderOnesAddedLate() {
        RecentEvents ring = new RecentEvents(16, 1L << 30);
        ring.add(event(1, RecentEvents.MAX_EVENT_BYTES + 1), event(1, RecentEvents.MAX_EVENT_BYTES + 1).toByteArray());
        ring.add(event(3, 10), event(3, 10).toByteArray());
        ring.add(event(2, 10), event(2, 10).toByteArray()); // out of order: ignored, read from the database instead
        assertThat(ring.get(1)).isNull();
        assertThat(ring.get(2)).isNull();
        assertThat(ring.get(3)).isNotNull();
    }

    @Test
    void aGapLargerThanTheRingLeavesNoStaleEntry() {
        RecentEvents ring = new RecentEvents(8, 1 << 20);
        ring.add(event(5, 10), event(5, 10).toByteArray());
        ring.add(event(1_000_005, 10), event(1_000_005, 10).toByteArray()); // the same slot, a million offsets later
        assertThat(ring.get(5)).isNull();
        assertThat(ring.get(1_000_005)).isNotNull();
    }

    @Test
    void readsAcrossMemoryAndDatabaseGiveTheSameEventsAsTheDatabaseAlone() {
        try (Database db = Database.open(StoreOptions.defaults(dir.resolve("db")))) {
            EventLog log = new EventLog(db, () -> 1_750_000_000_000L);
            for (int batch = 0; batch < 30; batch++) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    events.add(Event.newBuilder().setId("b" + batch + "-" + i).setKind(EventKind.INBOUND_MESSAGE)
                            .setPhoneNumberId(i % 3 == 0 ? "1" : "2").build());
                }
                log.append(events).join();
            }
            assertThat(log.head()).isEqualTo(30_000);
            // the ring holds the newest 16,384; a reader from the start crosses from disk to memory
            List<Long> seen = new ArrayList<>();
            long next = 1;
            while (next <= log.head()) {
                EventLog.Page page = log.read(next, 700, 4_096, e -> e.getPhoneNumberId().equals("1"));
                page.events().forEach(e -> seen.add(e.getOffset()));
                assertThat(page.nextOffset()).isGreaterThan(next);
                next = page.nextOffset();
            }
            assertThat(next).isEqualTo(30_001);
            assertThat(seen).hasSize(30 * 334).isSorted().doesNotHaveDuplicates();
            assertThat(seen).allMatch(o -> (o - 1) % 1_000 % 3 == 0);
            // a fresh log over the same database (nothing in memory) reads the same
            EventLog reopened = new EventLog(db, () -> 1_750_000_000_000L);
            assertThat(reopened.read(29_990, 100, 100, e -> true).events())
                    .isEqualTo(log.read(29_990, 100, 100, e -> true).events());
            assertThat(reopened.get(30_000)).isEqualTo(log.get(30_000));
        }
    }
}
