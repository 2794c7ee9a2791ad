package io.wagate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreOptionsTest {
  @TempDir Path dir;

  @Test
  void defaults_useDocumentedValues_andProbeTheFileStore() throws Exception {
    StoreOptions options = StoreOptions.defaults(dir);
    assertThat(options.directory()).isEqualTo(dir);
    assertThat(options.minFreeBytes()).isEqualTo(64L << 20);
    assertThat(options.maxGroupSize()).isEqualTo(1024);
    assertThat(options.freeSpaceProbe().usableBytes(dir)).isPositive();
  }

  @Test
  void invalidValues_areRejected_withTheKeyNamed() {
    FreeSpaceProbe probe = d -> 1;
    assertThatThrownBy(() -> new StoreOptions(dir, -1, 1, probe))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store.min_free_bytes must be >= 0, got -1");
    assertThatThrownBy(() -> new StoreOptions(dir, 0, 0, probe))
        .hasMessage("store.max_group_size must be >= 1, got 0");
    assertThatThrownBy(() -> new StoreOptions(null, 0, 1, probe))
        .hasMessageContaining("store.directory");
    assertThatThrownBy(() -> new StoreOptions(dir, 0, 1, null))
        .hasMessageContaining("store.free_space_probe");
  }

  @Test
  void columnFamilyNames_areLowerCase() {
    assertThat(ColumnFamily.BY_RECIPIENT.cfName()).isEqualTo("by_recipient");
    assertThat(ColumnFamily.META.cfName()).isEqualTo("meta");
  }
}
