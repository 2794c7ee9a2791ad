package io.wagate.cli;

import io.wagate.cli.connection.ChannelFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;

/** Runs wagatectl in-process and captures what it printed. */
public record CliRun(int exit, String out, String err) {

  /** A channel factory for tests that must not connect anywhere. */
  public static final ChannelFactory NO_CHANNELS =
      settings -> {
        throw new AssertionError("this test must not open a channel");
      };

  /** Runs with {@link #NO_CHANNELS}: for parse-only tests. */
  public static CliRun parseOnly(String... args) {
    return run(NO_CHANNELS, Clock.systemUTC(), args);
  }

  /** Runs {@code args} with the given wiring. */
  public static CliRun run(ChannelFactory channels, Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new Wagatectl(channels, clock).run(args, new PrintWriter(out), new PrintWriter(err));
    return new CliRun(exit, out.toString(), err.toString());
  }
}
