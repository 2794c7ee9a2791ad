package io.wagate.cli.commands;

import io.wagate.cli.connection.ChannelFactory;
import java.time.Clock;

/**
 * What commands receive from {@code Wagatectl} instead of reaching for globals: how to open
 * channels, and the clock for relative times and uptimes. Tests pass an in-process channel
 * factory and a fixed clock.
 *
 * @param channels opens channels to Wagate
 * @param clock the current time
 */
public record CommandContext(ChannelFactory channels, Clock clock) {

  /** Checks both are present. */
  public CommandContext {
    if (channels == null || clock == null) {
      throw new IllegalArgumentException("channels and clock are required");
    }
  }
}
