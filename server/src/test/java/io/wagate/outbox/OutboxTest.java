package io.wagate.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendResponse;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Text;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.config.OutboxConfig;
import io.wagate.events.EventLog;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox on a real RocksDB with a clock the test moves. */
class OutboxTest {
    private static final Duration WINDOW = Duration.ofHours(24);
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    @TempDir
    Path dir;
    private Database db;
    private Outbox outbox;
    private SendRequestValidator validator;

    @BeforeEach
    void open() {
        db = Database.open(StoreOptions.defaults(dir.resolve("db")));
        outbox = new Outbox(new OutboxConfig(WINDOW, null, null, null), new OutboxStore(db), new EventLog(db, now::get), now::get);
        validator = new SendRequestValidator(new ApplianceConfig(ApplianceConfig.Mode.SANDBOX, dir, null, null,
                List.of(new NumberConfig("support", "111", null, null)), null, null, null, null));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private SendResponse send(String key, String body) {
        return outbox.accept(validator.validate(SendRequest.newBuilder().setFrom("support").setTo("+16505551234")
                .setIdempotencyKey(key).setText(Text.newBuilder().setBody(body)).build()), "").join();
    }

    @Test
    void idempotencyKeys_areForgottenAfterTheWindow_andCanThenBeUsedAgain() {
        SendResponse first = send("k1", "a");
        send("k2", "b");
        now.addAndGet(WINDOW.toMillis() - 1);
        assertThat(outbox.forgetExpiredKeys(100)).isZero();
        assertThat(send("k1", "again").getId()).isEqualTo(first.getId());

        now.addAndGet(2);
        // within the window the key is honoured; past it, the next send is a new message
        SendResponse reused = send("k1", "new");
        assertThat(reused.getDuplicate()).isFalse();
        assertThat(reused.getId()).isNotEqualTo(first.getId());

        assertThat(outbox.forgetExpiredKeys(100)).isEqualTo(2);
        assertThat(db.get(ColumnFamily.IDEMPOTENCY, OutboxStore.idempotencyKey("", "k2"))).isNull();
        // k1 was reused after it expired: its new entry stays
        SendResponse again = send("k1", "dup");
        assertThat(again.getId()).isEqualTo(reused.getId());
        assertThat(again.getDuplicate()).isTrue();
        // the old messages themselves are untouched
        assertThat(outbox.get(first.getId()).getRequest().getText().getBody()).isEqualTo("a");
    }

    @Test
    void forgetting_goesInBatches_andLeavesNoIndexBehind() {
        for (int i = 0; i < 25; i++) {
            send("key-" + i, "x");
            now.incrementAndGet();
        }
        now.addAndGet(WINDOW.toMillis() + 1000);
        assertThat(outbox.forgetExpiredKeys(10)).isEqualTo(10);
        assertThat(outbox.forgetExpiredKeys(10)).isEqualTo(10);
        assertThat(outbox.forgetExpiredKeys(10)).isEqualTo(5);
        assertThat(outbox.forgetExpiredKeys(10)).isZero();
        int[] left = {0};
        db.scan(ColumnFamily.IDEMPOTENCY_BY_TIME, Keys.MIN, Keys.MAX, false, (k, v) -> ++left[0] > 0);
        db.scan(ColumnFamily.IDEMPOTENCY, Keys.MIN, Keys.MAX, false, (k, v) -> ++left[0] > 0);
        assertThat(left[0]).isZero();
    }

    @Test
    void recovery_rebuildsTheScheduleFromPendingAlone() {
        SendResponse a = send("", "a");
        SendResponse b = send("", "b");
        db.close();
        db = Database.open(StoreOptions.defaults(dir.resolve("db")));
        Outbox reopened = new Outbox(new OutboxConfig(WINDOW, null, null, null), new OutboxStore(db), new EventLog(db, now::get), now::get);
        assertThat(reopened.recover(Duration.ofMinutes(2))).isEqualTo(new Outbox.Recovery(2, 0));
        assertThat(reopened.scheduler().size()).isEqualTo(2);
        assertThat(reopened.get(a.getId()).getState()).isEqualTo(State.ACCEPTED);
        // new ids keep growing past the stored ones
        SendResponse c = reopened.accept(validator.validate(SendRequest.newBuilder().setFrom("support")
                .setTo("+16505551234").setText(Text.newBuilder().setBody("c")).build()), "").join();
        assertThat(MessageIds.parse(c.getId())).isGreaterThan(MessageIds.parse(b.getId()));
    }
}
