package io.wagate.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  private static final long MS = 1_000_000L;

  @Test
  void of_uniformOneToThousandMillis_givesExpectedPercentiles() {
    Histogram h = LatencySummary.newHistogram();
    for (long i = 1; i <= 1000; i++) {
      h.recordValue(i * MS);
    }
    LatencySummary s = LatencySummary.of(h);
    assertThat(s.count()).isEqualTo(1000);
    // 3 significant digits: each figure within 0.1 %
    assertThat(s.p50Ms()).isCloseTo(500, within(0.5));
    assertThat(s.p99Ms()).isCloseTo(990, within(1.0));
    assertThat(s.p999Ms()).isCloseTo(999, within(1.0));
    assertThat(s.maxMs()).isCloseTo(1000, within(1.0));
    assertThat(s.meanMs()).isCloseTo(500.5, within(0.5));
  }

  @Test
  void of_oneOutlier_showsInMaxAndP999NotP99() {
    Histogram h = LatencySummary.newHistogram();
    for (int i = 0; i < 999; i++) {
      h.recordValue(2 * MS);
    }
    h.recordValue(5_000 * MS);
    LatencySummary s = LatencySummary.of(h);
    assertThat(s.p50Ms()).isCloseTo(2, within(0.01));
    assertThat(s.p99Ms()).isCloseTo(2, within(0.01));
    assertThat(s.p999Ms()).isCloseTo(2, within(0.01));
    assertThat(s.maxMs()).isCloseTo(5000, within(5.0));
  }

  @Test
  void of_subMillisecondValuesKeepPrecision() {
    Histogram h = LatencySummary.newHistogram();
    h.recordValue(106_000);
    h.recordValue(196_000);
    assertThat(LatencySummary.of(h).p50Ms()).isCloseTo(0.106, within(0.001));
    assertThat(LatencySummary.of(h).maxMs()).isCloseTo(0.196, within(0.001));
  }

  @Test
  void of_empty_isAllZero() {
    assertThat(LatencySummary.of(LatencySummary.newHistogram())).isEqualTo(new LatencySummary(0, 0, 0, 0, 0, 0));
  }

  @Test
  void perSecond() {
    assertThat(LatencySummary.perSecond(5000, 2_000_000_000L)).isEqualTo(2500.0);
    assertThat(LatencySummary.perSecond(1, 0)).isZero();
  }
}
