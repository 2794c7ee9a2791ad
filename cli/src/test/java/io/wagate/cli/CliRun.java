package io.wagate.cli;

import io.wagate.cli.commands.Prompter;
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

  /** Nobody to ask: like a script or a pipe, whatever terminal the test runs on. */
  public static final Prompter NO_TERMINAL =
      new Prompter() {
        @Override
        public boolean interactive() {
          return false;
        }

        @Override
        public boolean confirm(String question) {
          throw new AssertionError("nobody to ask: " + question);
        }
      };

  /** Runs {@code args} with the given wiring and {@link #NO_TERMINAL}. */
  public static CliRun run(ChannelFactory channels, Clock clock, String... args) {
    return run(channels, clock, NO_TERMINAL, args);
  }

  /** Runs {@code args} with the given wiring. */
  public static CliRun run(ChannelFactory channels, Clock clock, Prompter prompter, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new Wagatectl(channels, clock, prompter).run(args, new PrintWriter(out), new PrintWriter(err));
    return new CliRun(exit, out.toString(), err.toString());
  }
}
