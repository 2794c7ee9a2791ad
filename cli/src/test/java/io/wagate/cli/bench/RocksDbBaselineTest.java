package io.wagate.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbBaselineTest {

  @Test
  void run_tinyCount_writesThatManyAndDeletesItsDirectory(@TempDir Path parent) throws Exception {
    RocksDbBaseline.Result r =
        RocksDbBaseline.run(parent, new RocksDbBaseline.Plan(4, 200, Duration.ofSeconds(30), Duration.ZERO, 1024));
    assertThat(r.writes()).isEqualTo(200);
    assertThat(r.threads()).isEqualTo(4);
    assertThat(r.measuredNanos()).isPositive();
    assertThat(r.throughput()).isPositive();
    assertThat(r.fsync().count()).isEqualTo(200);
    assertThat(r.fsync().p99Ms()).isPositive().isGreaterThanOrEqualTo(r.fsync().p50Ms());
    assertThat(r.directory().getParent()).isEqualTo(parent);
    assertThat(r.fileSystem()).isNotEmpty();
    assertThat(r.directory()).doesNotExist();
    try (Stream<Path> left = Files.list(parent)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void run_shortDuration_stopsAndCountsOnlyAfterWarmup(@TempDir Path parent) throws Exception {
    long start = System.nanoTime();
    RocksDbBaseline.Result r =
        RocksDbBaseline.run(parent, new RocksDbBaseline.Plan(2, 0, Duration.ofMillis(300), Duration.ofMillis(100), 64));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.writes()).isPositive();
    assertThat(r.measuredNanos()).isBetween(200_000_000L, 5_000_000_000L);
    assertThat(elapsedMs).isLessThan(10_000);
    try (Stream<Path> left = Files.list(parent)) {
      assertThat(left).isEmpty();
    }
  }
}
