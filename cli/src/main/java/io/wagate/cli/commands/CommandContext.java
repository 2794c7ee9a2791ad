package io.wagate.cli.commands;

import io.wagate.cli.connection.ChannelFactory;
import java.time.Clock;

/**
 * What commands receive from {@code Wagatectl} instead of reaching for globals: how to open
 * channels, the clock for relative times and uptimes, and whom to ask for confirmations. Tests
 * pass an in-process channel factory, a fixed clock and a scripted prompter.
 *
 * @param channels opens channels to Wagate
 * @param clock the current time
 * @param prompter asks the operator to confirm changes
 */
public record CommandContext(ChannelFactory channels, Clock clock, Prompter prompter) {

  /** Checks all are present. */
  public CommandContext {
    if (channels == null || clock == null || prompter == null) {
      throw new IllegalArgumentException("channels, clock and prompter are required");
    }
  }

  /** A context that asks on the process's terminal. */
  public CommandContext(ChannelFactory channels, Clock clock) {
    this(channels, clock, Prompter.console());
  }
}
