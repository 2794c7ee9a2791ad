package io.wagate.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void line_bytes_showsBarPercentAmountsAndRate() {
    assertThat(ProgressBar.line("upload a.mp4", ProgressBar.Unit.BYTES, 2_621_440, 10_485_760, 2 * SECOND))
        .isEqualTo("upload a.mp4  [######------------------]   25%  2.5 MiB / 10.0 MiB  1.3 MiB/s");
  }

  @Test
  void line_zeroTotal_isComplete_andNoTimeMeansNoRate() {
    assertThat(ProgressBar.line("upload e", ProgressBar.Unit.BYTES, 0, 0, 0))
        .isEqualTo("upload e  [########################]  100%  0 B / 0 B");
  }

  @Test
  void line_count_hasNoRate() {
    assertThat(ProgressBar.line("keys", ProgressBar.Unit.COUNT, 1, 3, SECOND))
        .isEqualTo("keys  [########----------------]   33%  1 / 3");
  }

  @Test
  void line_unknownTotal_showsOnlyTheAmount() {
    assertThat(ProgressBar.line("x", ProgressBar.Unit.COUNT, 7, -1, SECOND)).isEqualTo("x  7");
  }

  @Test
  void update_redrawsInPlace_atMostEvery100ms_andFinishEndsTheLine() {
    AtomicLong now = new AtomicLong();
    StringWriter err = new StringWriter();
    ProgressBar bar = new ProgressBar(true, new PrintWriter(err), "k", ProgressBar.Unit.COUNT, 100, now::get);

    bar.update(1);
    now.addAndGet(ProgressBar.REDRAW_NANOS / 2);
    bar.update(2);
    now.addAndGet(ProgressBar.REDRAW_NANOS);
    bar.update(10);
    bar.finish();

    assertThat(err.toString().split("\r", -1)).containsExactly("",
        "k  [------------------------]    1%  1 / 100",
        "k  [##----------------------]   10%  10 / 100",
        "k  [##----------------------]   10%  10 / 100" + System.lineSeparator());
  }

  @Test
  void shorterLine_padsOverTheLongerOne() {
    StringWriter err = new StringWriter();
    AtomicLong now = new AtomicLong();
    ProgressBar bar = new ProgressBar(true, new PrintWriter(err), "k", ProgressBar.Unit.COUNT, -1, now::get);
    bar.update(1000);
    now.addAndGet(ProgressBar.REDRAW_NANOS);
    bar.update(5);
    assertThat(err.toString()).endsWith("\rk  5   ");
  }

  @Test
  void disabled_printsNothing() {
    StringWriter err = new StringWriter();
    ProgressBar bar = new ProgressBar(false, new PrintWriter(err), "k", ProgressBar.Unit.BYTES, 10, System::nanoTime);
    bar.update(5);
    bar.abandon();
    bar.finish();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void abandon_endsTheLineOnlyIfSomethingWasDrawn() {
    StringWriter err = new StringWriter();
    ProgressBar bar = new ProgressBar(true, new PrintWriter(err), "k", ProgressBar.Unit.BYTES, 10, System::nanoTime);
    bar.abandon();
    assertThat(err.toString()).isEmpty();
    bar.update(5);
    bar.abandon();
    assertThat(err.toString()).endsWith(System.lineSeparator());
  }
}
