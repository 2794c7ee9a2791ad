package io.wagate.cli.output;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr, redrawn in place with a carriage return, for transfers
 * (bytes, with a rate) and counts (data keys re-wrapped). A disabled bar prints nothing, so
 * commands call it unconditionally; stdout is never touched.
 *
 * <pre>{@code
 * ProgressBar bar = ProgressBar.bytes(showProgress, err(), "upload", size);
 * ... bar.update(done);
 * bar.finish();   // or bar.abandon() on failure: ends the line so the error starts on its own
 * }</pre>
 *
 * <p>Redraws at most every {@link #REDRAW_NANOS}. Not thread-safe: one thread updates it.
 */
public final class ProgressBar {

  /** Shortest interval between two redraws. */
  public static final long REDRAW_NANOS = 100_000_000L;
  private static final int BAR_CELLS = 24;

  /** What the numbers count. */
  public enum Unit {
    /** Bytes: human-readable sizes and a rate. */
    BYTES,
    /** Things: plain counts, no rate. */
    COUNT
  }

  private final boolean enabled;
  private final PrintWriter err;
  private final String label;
  private final Unit unit;
  private final LongSupplier nanoTime;
  private final long started;
  private long total;
  private long done;
  private long lastDraw;
  private int lastLength;
  private boolean drawn;

  /** A bar; {@code nanoTime} is {@link System#nanoTime} except in tests. */
  public ProgressBar(boolean enabled, PrintWriter err, String label, Unit unit, long total, LongSupplier nanoTime) {
    this.enabled = enabled;
    this.err = err;
    this.label = label;
    this.unit = unit;
    this.total = total;
    this.nanoTime = nanoTime;
    this.started = nanoTime.getAsLong();
  }

  /** A bar counting bytes towards {@code total}. */
  public static ProgressBar bytes(boolean enabled, PrintWriter err, String label, long total) {
    return new ProgressBar(enabled, err, label, Unit.BYTES, total, System::nanoTime);
  }

  /** A bar counting things towards {@code total}. */
  public static ProgressBar count(boolean enabled, PrintWriter err, String label, long total) {
    return new ProgressBar(enabled, err, label, Unit.COUNT, total, System::nanoTime);
  }

  /** Sets the total, for counts only known later. */
  public void total(long total) {
    this.total = total;
  }

  /** Records {@code done} and redraws unless the last redraw was under {@link #REDRAW_NANOS} ago. */
  public void update(long done) {
    this.done = done;
    if (!enabled) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (drawn && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    draw(now);
  }

  /** Draws the final state and ends the line. */
  public void finish() {
    if (!enabled) {
      return;
    }
    draw(nanoTime.getAsLong());
    err.println();
    drawn = false;
  }

  /** Ends the line if anything was drawn, so what follows starts on its own line. */
  public void abandon() {
    if (enabled && drawn) {
      err.println();
      drawn = false;
    }
  }

  private void draw(long now) {
    String line = line(label, unit, done, total, now - started);
    // pad over the rest of a longer previous line
    String pad = " ".repeat(Math.max(0, lastLength - line.length()));
    err.print("\r" + line + pad);
    err.flush();
    lastLength = line.length();
    lastDraw = now;
    drawn = true;
  }

  /**
   * The text of the bar: {@code upload  [######------------------]  25%  2.5 MiB / 10.0 MiB  1.2 MiB/s}.
   * A total of 0 counts as complete; a negative total as unknown (no bar, no percent).
   */
  public static String line(String label, Unit unit, long done, long total, long elapsedNanos) {
    StringBuilder b = new StringBuilder(label).append("  ");
    if (total >= 0) {
      double fraction = total == 0 ? 1.0 : Math.min(1.0, (double) done / total);
      int full = (int) Math.floor(fraction * BAR_CELLS);
      b.append('[').append("#".repeat(full)).append("-".repeat(BAR_CELLS - full)).append("]  ");
      b.append(String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100))).append("  ");
    }
    b.append(amount(unit, done));
    if (total >= 0) {
      b.append(" / ").append(amount(unit, total));
    }
    if (unit == Unit.BYTES && elapsedNanos > 0) {
      double perSecond = done * 1e9 / elapsedNanos;
      b.append("  ").append(MediaView.size((long) perSecond)).append("/s");
    }
    return b.toString();
  }

  private static String amount(Unit unit, long n) {
    return unit == Unit.BYTES ? MediaView.size(n) : Long.toString(n);
  }
}
