package io.wagate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {

  @Test
  void u64_roundTrips_edgeValues() {
    for (long v : new long[] {0, 1, 255, 256, 65_535, 65_536, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
      byte[] encoded = Keys.u64(v);
      assertThat(encoded).hasSize(8);
      assertThat(Keys.u64(encoded, 0)).as("value %d", v).isEqualTo(v);
    }
  }

  @Test
  void u64_isBigEndian() {
    assertThat(Keys.u64(256)).containsExactly(0, 0, 0, 0, 0, 0, 1, 0);
    assertThat(Keys.u64(255)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0xFF);
    assertThat(Keys.u64(-1)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
  }

  @Test
  void u64_decodesAtOffset() {
    byte[] composite = Keys.concat(Keys.utf8("ab"), Keys.u64(256), Keys.u64(Long.MAX_VALUE));
    assertThat(Keys.u64(composite, 2)).isEqualTo(256);
    assertThat(Keys.u64(composite, 10)).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> Keys.u64(composite, 11)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void u64_ordersNumerically_forNonNegativeValues() {
    List<Long> values = List.of(0L, 1L, 127L, 128L, 255L, 256L, 257L, 65_535L, 65_536L,
        1L << 32, (1L << 32) + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE);
    for (int i = 1; i < values.size(); i++) {
      byte[] smaller = Keys.u64(values.get(i - 1));
      byte[] larger = Keys.u64(values.get(i));
      assertThat(Arrays.compareUnsigned(smaller, larger))
          .as("%d < %d", values.get(i - 1), values.get(i))
          .isNegative();
    }
  }

  @Test
  void utf8_andConcat() {
    assertThat(Keys.utf8("é")).containsExactly(0xC3, 0xA9);
    assertThat(Keys.concat()).isEmpty();
    assertThat(Keys.concat(new byte[] {1}, new byte[0], new byte[] {2, 3}))
        .containsExactly(1, 2, 3);
  }

  @Test
  void prefixUpperBound_incrementsLastByte() {
    assertThat(Keys.prefixUpperBound(new byte[] {1, 2, 3})).containsExactly(1, 2, 4);
    assertThat(Keys.prefixUpperBound(new byte[] {0x7F})).containsExactly(0x80);
  }

  @Test
  void prefixUpperBound_dropsTrailingFfBytes() {
    assertThat(Keys.prefixUpperBound(new byte[] {1, (byte) 0xFF})).containsExactly(2);
    assertThat(Keys.prefixUpperBound(new byte[] {1, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF}))
        .containsExactly(1, 0xFF);
  }

  @Test
  void prefixUpperBound_emptyOrAllFf_isMax() {
    assertThat(Keys.prefixUpperBound(new byte[0])).isSameAs(Keys.MAX);
    assertThat(Keys.prefixUpperBound(new byte[] {(byte) 0xFF, (byte) 0xFF})).isSameAs(Keys.MAX);
  }

  @Test
  void prefixUpperBound_isAboveEveryKeyWithPrefix_andBelowTheNextPrefix() {
    byte[] prefix = {5, (byte) 0xFF};
    byte[] bound = Keys.prefixUpperBound(prefix);
    byte[] highestWithPrefix = Keys.concat(prefix, Keys.u64(-1), Keys.u64(-1));
    assertThat(Arrays.compareUnsigned(highestWithPrefix, bound)).isNegative();
    assertThat(Arrays.compareUnsigned(bound, new byte[] {6})).isLessThanOrEqualTo(0);
  }

  @Test
  void minAndMax_boundEveryU64Key() {
    assertThat(Keys.MIN).isEmpty();
    // MAX is documented as 16 bytes of 0xFF: it bounds keys of two u64 fields unless both are -1
    for (byte[] key : List.of(
        Keys.u64(0),
        Keys.u64(-1),
        Keys.concat(Keys.u64(-1), Keys.u64(0)),
        Keys.concat(Keys.u64(Long.MAX_VALUE), Keys.u64(-1)),
        Keys.concat(Keys.u64(-2), Keys.u64(-1), Keys.u64(-1)))) {
      assertThat(Arrays.compareUnsigned(Keys.MIN, key)).isNegative();
      assertThat(Arrays.compareUnsigned(key, Keys.MAX)).isNegative();
    }
  }
}
