package io.wagate.cli.bench;

import java.time.Duration;

/**
 * What {@link SendLoadGenerator} does.
 *
 * @param mode unary Send calls or SendStream streams
 * @param concurrency closed loop: callers (unary) or streams; open loop: the bound on in-flight
 *     unary calls, or the number of streams
 * @param rate open loop: messages per second on a fixed schedule; 0 for a closed loop
 * @param window stream mode: in-flight requests per stream
 * @param count measured messages, or 0 to run for {@code duration}
 * @param duration measured time when {@code count} is 0
 * @param warmup time before measuring starts
 * @param timeout deadline of a unary call; for streams, the longest wait for a response
 */
public record LoadPlan(
    Mode mode, int concurrency, double rate, int window, long count, Duration duration, Duration warmup, Duration timeout) {

  /** How messages are sent. */
  public enum Mode {
    /** One Messages.Send per message. */
    UNARY,
    /** Messages.SendStream, several streams, a bounded window each. */
    STREAM
  }

  /** Validates; messages name the option. */
  public LoadPlan {
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be >= 1, got " + concurrency);
    }
    if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be > 0, got " + rate);
    }
    if (window < 1) {
      throw new IllegalArgumentException("--window must be >= 1, got " + window);
    }
    if (count < 0) {
      throw new IllegalArgumentException("--count must be > 0, got " + count);
    }
    if (count == 0 && (duration == null || duration.isZero() || duration.isNegative())) {
      throw new IllegalArgumentException("--duration must be > 0, got " + duration);
    }
    if (warmup == null || warmup.isNegative()) {
      throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
    }
  }

  /** True for a fixed-rate (open-loop) run. */
  public boolean openLoop() {
    return rate > 0;
  }
}
