package io.wagate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.Message;
import io.wagate.events.EventLog;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import io.wagate.store.WriteSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reach set of {@link MessagingLimits} on a real RocksDB: counting, undo, expiry, reopening, the warning. */
class MessagingLimitsStoreTest {
    private static final String NUMBER = "100000000000001";
    private static final long HOUR = Duration.ofHours(1).toMillis();
    @TempDir
    Path dir;
    private Database db;
    private EventLog log;
    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);

    @BeforeEach
    void open() {
        db = Database.open(StoreOptions.defaults(dir.resolve("db")));
        log = new EventLog(db, clock::get);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private MessagingLimits limits(long limit) {
        return new MessagingLimits(limit, db, new ContactWindows(db), log, new MetricRegistry(), clock::get);
    }

    private static Message marketing(String to) {
        return Message.newBuilder().setId("m-" + to).setFrom(NUMBER).setTo(to).setTemplateCategory("MARKETING").build();
    }

    @Test
    void counts_holds_undoes_expires_andSurvivesReopening() {
        MessagingLimits l = limits(3);
        long t0 = clock.get();
        assertThat(l.admit(marketing("+111111"), t0).held()).isFalse();
        clock.addAndGet(HOUR);
        MessagingLimits.Admission second = l.admit(marketing("222222"), clock.get());
        assertThat(l.admit(marketing("333333"), clock.get()).held()).isFalse();
        assertThat(l.reached()).isEqualTo(3);
        MessagingLimits.Admission full = l.admit(marketing("444444"), clock.get());
        assertThat(full.held()).isTrue();
        assertThat(full.heldUntil()).isEqualTo(t0 + Duration.ofHours(24).toMillis());
        // same user in another form is not new
        assertThat(l.admit(marketing("111111"), clock.get()).held()).isFalse();
        // utility to a new user is never held, and counts
        assertThat(l.admit(marketing("555555").toBuilder().setTemplateCategory("UTILITY").build(), clock.get())
                .held()).isFalse();
        assertThat(l.reached()).isEqualTo(4);
        // Meta refused the second one: it does not count
        l.undo(second.reserved());
        assertThat(l.reached()).isEqualTo(3);

        MessagingLimits reopened = limits(3);
        assertThat(reopened.reached()).isEqualTo(3);
        assertThat(reopened.admit(marketing("666666"), clock.get()).held()).isTrue();
        // 111111 was reached again an hour in: it leaves 24 h after that, not after t0
        clock.set(t0 + Duration.ofHours(25).toMillis() + 1);
        assertThat(reopened.reached()).isZero();
        assertThat(limits(3).reached()).isZero();
    }

    @Test
    void anOpenWindow_doesNotCount() {
        ContactWindows windows = new ContactWindows(db);
        Event inbound = Event.newBuilder().setKind(EventKind.INBOUND_MESSAGE).setPhoneNumberId(NUMBER).setUser("777777")
                .setInbound(InboundMessage.newBuilder().setFrom("777777").setWamid("wamid.1")
                        .setSentAt(Timestamps.fromMillis(clock.get())))
                .build();
        WriteSet w = new WriteSet();
        windows.onInbound(inbound, new HashMap<>(), w);
        db.writeUnsynced(w);
        MessagingLimits l = limits(1);
        assertThat(l.admit(marketing("+777777"), clock.get()).reserved()).isNull();
        assertThat(l.reached()).isZero();
        // after the window closes it counts
        clock.addAndGet(Duration.ofHours(24).toMillis() + 1);
        assertThat(l.admit(marketing("+777777"), clock.get()).reserved()).isNotNull();
        assertThat(l.reached()).isEqualTo(1);
    }

    @Test
    void warnsOncePerCrossingOf80Percent() throws InterruptedException {
        MessagingLimits l = limits(5);
        for (int i = 0; i < 5; i++) {
            l.admit(marketing("90000" + i), clock.get());
        }
        assertThat(alerts(1)).isEqualTo(1);
        assertThat(limits(5).admit(marketing("900009"), clock.get()).held()).isTrue();
        assertThat(alerts(1)).isEqualTo(1); // reopened: still above, no second warning
        clock.addAndGet(Duration.ofHours(25).toMillis());
        MessagingLimits again = limits(5);
        for (int i = 0; i < 4; i++) {
            again.admit(marketing("80000" + i), clock.get());
        }
        assertThat(alerts(2)).isEqualTo(2);
    }

    @Test
    void aLimitMustBePositive() {
        assertThatThrownBy(() -> limits(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be > 0, got 0");
    }

    /** The ALERT events stored, waiting a moment for {@code expected} (they are appended asynchronously). */
    private long alerts(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long n;
        do {
            Thread.sleep(20);
            n = log.read(0, 1000, 1000, e -> e.getKind() == EventKind.ALERT).events().size();
        } while (System.nanoTime() < deadline && n < expected);
        return n;
    }
}
