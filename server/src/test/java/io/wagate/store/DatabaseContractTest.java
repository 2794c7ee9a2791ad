package io.wagate.store;

import static io.wagate.store.ColumnFamily.BY_RECIPIENT;
import static io.wagate.store.ColumnFamily.MESSAGES;
import static io.wagate.store.ColumnFamily.PENDING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseContractTest {
  @TempDir Path dir;
  private Database db;

  @BeforeEach
  void open() {
    db = Database.open(StoreOptions.defaults(dir.resolve("db")));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void open_createsMissingDirectory_andWritesSchemaVersion() {
    assertThat(db.directory()).isEqualTo(dir.resolve("db"));
    assertThat(db.directory().resolve("CURRENT")).exists();
    assertThat(db.get(ColumnFamily.META, Keys.utf8("schema_version")))
        .containsExactly(0, 0, 0, Database.SCHEMA_VERSION);
  }

  @Test
  void get_absentKey_isNull() {
    assertThat(db.get(MESSAGES, Keys.u64(1))).isNull();
  }

  @Test
  void writeSet_appliesPutsAndDeletes_acrossFamilies_atomically() {
    db.writer().write(new WriteSet()
        .put(MESSAGES, Keys.u64(1), bytes("m1"))
        .put(PENDING, Keys.u64(1), bytes("p1"))
        .put(BY_RECIPIENT, Keys.utf8("+1555"), bytes("r1")));
    assertThat(db.get(MESSAGES, Keys.u64(1))).isEqualTo(bytes("m1"));
    assertThat(db.get(PENDING, Keys.u64(1))).isEqualTo(bytes("p1"));
    // same key, other family: independent
    assertThat(db.get(BY_RECIPIENT, Keys.u64(1))).isNull();

    db.writer().write(new WriteSet()
        .delete(PENDING, Keys.u64(1))
        .put(MESSAGES, Keys.u64(1), bytes("m1-sent"))
        .delete(MESSAGES, Keys.u64(99)));
    assertThat(db.get(PENDING, Keys.u64(1))).isNull();
    assertThat(db.get(MESSAGES, Keys.u64(1))).isEqualTo(bytes("m1-sent"));
  }

  @Test
  void writeSet_laterOperationOnSameKeyWins() {
    db.writer().write(new WriteSet()
        .put(MESSAGES, Keys.u64(7), bytes("a"))
        .delete(MESSAGES, Keys.u64(7))
        .put(MESSAGES, Keys.u64(8), bytes("b"))
        .put(MESSAGES, Keys.u64(8), bytes("c")));
    assertThat(db.get(MESSAGES, Keys.u64(7))).isNull();
    assertThat(db.get(MESSAGES, Keys.u64(8))).isEqualTo(bytes("c"));
  }

  @Test
  void writeSet_reportsSizeAndEstimate() {
    WriteSet set = new WriteSet();
    assertThat(set.isEmpty()).isTrue();
    set.put(MESSAGES, Keys.u64(1), new byte[100]).delete(PENDING, Keys.u64(1));
    assertThat(set.isEmpty()).isFalse();
    assertThat(set.size()).isEqualTo(2);
    assertThat(set.estimatedBytes()).isBetween(116L, 200L);
  }

  @Test
  void multiGet_returnsValuesInOrder_withNullsForAbsent() {
    db.writer().write(new WriteSet()
        .put(MESSAGES, Keys.u64(1), bytes("one"))
        .put(MESSAGES, Keys.u64(3), bytes("three")));
    List<byte[]> values =
        db.multiGet(MESSAGES, List.of(Keys.u64(3), Keys.u64(2), Keys.u64(1), Keys.u64(3)));
    assertThat(values).hasSize(4);
    assertThat(values.get(0)).isEqualTo(bytes("three"));
    assertThat(values.get(1)).isNull();
    assertThat(values.get(2)).isEqualTo(bytes("one"));
    assertThat(values.get(3)).isEqualTo(bytes("three"));
    assertThat(db.multiGet(MESSAGES, List.of())).isEmpty();
  }

  @Test
  void scan_forward_includesLowerBound_excludesUpperBound() {
    writeNumbers(0, 300);
    assertThat(scan(Keys.u64(10), Keys.u64(20), false)).containsExactly(
        10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
    // 255 and 256 straddle a byte boundary: numeric order must hold
    assertThat(scan(Keys.u64(254), Keys.u64(258), false)).containsExactly(254L, 255L, 256L, 257L);
  }

  @Test
  void scan_reverse_visitsSameRangeBackwards() {
    writeNumbers(0, 300);
    assertThat(scan(Keys.u64(254), Keys.u64(258), true)).containsExactly(257L, 256L, 255L, 254L);
    assertThat(scan(Keys.u64(295), Keys.MAX, true)).containsExactly(299L, 298L, 297L, 296L, 295L);
  }

  @Test
  void scan_fullRange_andEmptyOrInvertedRange() {
    writeNumbers(0, 50);
    assertThat(scan(Keys.MIN, Keys.MAX, false)).hasSize(50).startsWith(0L).endsWith(49L);
    assertThat(scan(Keys.u64(5), Keys.u64(5), false)).isEmpty();
    assertThat(scan(Keys.u64(6), Keys.u64(5), true)).isEmpty();
    assertThat(scan(Keys.u64(1000), Keys.MAX, true)).isEmpty();
  }

  @Test
  void scan_staysInsideItsFamily_andPrefix() {
    db.writer().write(new WriteSet()
        .put(BY_RECIPIENT, Keys.concat(Keys.utf8("a"), Keys.u64(1)), bytes("a1"))
        .put(BY_RECIPIENT, Keys.concat(Keys.utf8("a"), Keys.u64(2)), bytes("a2"))
        .put(BY_RECIPIENT, Keys.concat(Keys.utf8("b"), Keys.u64(1)), bytes("b1"))
        .put(PENDING, Keys.concat(Keys.utf8("a"), Keys.u64(3)), bytes("other family")));
    byte[] prefix = Keys.utf8("a");
    List<String> values = new ArrayList<>();
    db.scan(BY_RECIPIENT, prefix, Keys.prefixUpperBound(prefix), false, (k, v) -> {
      values.add(new String(v, java.nio.charset.StandardCharsets.UTF_8));
      return true;
    });
    assertThat(values).containsExactly("a1", "a2");
  }

  @Test
  void scan_visitorReturningFalse_stops() {
    writeNumbers(0, 100);
    List<Long> seen = new ArrayList<>();
    db.scan(MESSAGES, Keys.MIN, Keys.MAX, false, (k, v) -> {
      seen.add(Keys.u64(k, 0));
      return seen.size() < 3;
    });
    assertThat(seen).containsExactly(0L, 1L, 2L);
  }

  @Test
  void scan_visitorException_propagatesUnchanged() {
    writeNumbers(0, 3);
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> db.scan(MESSAGES, Keys.MIN, Keys.MAX, false, (k, v) -> {
      throw boom;
    })).isSameAs(boom);
    // the database is still usable afterwards
    assertThat(scan(Keys.MIN, Keys.MAX, false)).hasSize(3);
  }

  @Test
  void writeUnsynced_isVisibleImmediately() {
    db.writeUnsynced(new WriteSet().put(PENDING, Keys.utf8("cursor"), Keys.u64(42)));
    assertThat(Keys.u64(db.get(PENDING, Keys.utf8("cursor")), 0)).isEqualTo(42);
  }

  @Test
  void closeAndReopen_keepsAcknowledgedWrites() {
    for (int i = 0; i < 100; i++) {
      db.writer().write(new WriteSet().put(MESSAGES, Keys.u64(i), Keys.u64(i * 10L)));
    }
    db.writeUnsynced(new WriteSet().put(PENDING, Keys.utf8("cursor"), Keys.u64(99)));
    db.close();
    db.close(); // idempotent

    db = Database.open(StoreOptions.defaults(dir.resolve("db")));
    for (int i = 0; i < 100; i++) {
      assertThat(Keys.u64(db.get(MESSAGES, Keys.u64(i)), 0)).isEqualTo(i * 10L);
    }
    assertThat(db.get(PENDING, Keys.utf8("cursor"))).isEqualTo(Keys.u64(99));
  }

  @Test
  void afterClose_everyOperationFailsWithStoreClosed() {
    db.close();
    assertThatThrownBy(() -> db.get(MESSAGES, Keys.u64(1)))
        .isInstanceOf(StoreClosedException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> db.scan(MESSAGES, Keys.MIN, Keys.MAX, false, (k, v) -> true))
        .isInstanceOf(StoreClosedException.class);
    WriteSet writes = new WriteSet().put(MESSAGES, Keys.u64(1), Keys.u64(1));
    assertThatThrownBy(() -> db.writeUnsynced(writes)).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> db.writer().write(writes)).isInstanceOf(StoreClosedException.class);
  }

  private void writeNumbers(int from, int to) {
    WriteSet set = new WriteSet();
    for (long i = from; i < to; i++) {
      set.put(MESSAGES, Keys.u64(i), Keys.u64(i));
    }
    db.writer().write(set);
  }

  private List<Long> scan(byte[] from, byte[] to, boolean reverse) {
    List<Long> keys = new ArrayList<>();
    db.scan(MESSAGES, from, to, reverse, (k, v) -> {
      assertThat(Arrays.equals(k, v)).isTrue();
      keys.add(Keys.u64(k, 0));
      return true;
    });
    return keys;
  }

  private static byte[] bytes(String s) {
    return Keys.utf8(s);
  }
}
