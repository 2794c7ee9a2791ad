package io.wagate.cli.commands;

import io.wagate.cli.connection.ChannelFactory;
import java.io.OutputStream;
import java.time.Clock;

/**
 * What commands receive from {@code Wagatectl} instead of reaching for globals: how to open
 * channels, the clock for relative times and uptimes, whom to ask for confirmations, and where
 * binary output goes ({@code media get -o -}). Tests pass an in-process channel factory, a fixed
 * clock, a scripted prompter and a byte buffer.
 *
 * @param channels opens channels to Wagate
 * @param clock the current time
 * @param prompter asks the operator to confirm changes; also tells whether wagatectl runs on a
 *     terminal (progress bars, refusing to write binary to one)
 * @param stdout the process's standard output as bytes, for binary output
 */
public record CommandContext(ChannelFactory channels, Clock clock, Prompter prompter, OutputStream stdout) {

  /** Checks all are present. */
  public CommandContext {
    if (channels == null || clock == null || prompter == null || stdout == null) {
      throw new IllegalArgumentException("channels, clock, prompter and stdout are required");
    }
  }

  /** A context whose binary output goes to {@link System#out}. */
  public CommandContext(ChannelFactory channels, Clock clock, Prompter prompter) {
    this(channels, clock, prompter, System.out);
  }

  /** A context that asks on the process's terminal. */
  public CommandContext(ChannelFactory channels, Clock clock) {
    this(channels, clock, Prompter.console());
  }
}
