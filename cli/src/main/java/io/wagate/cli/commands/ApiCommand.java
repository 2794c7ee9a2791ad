package io.wagate.cli.commands;

import io.wagate.cli.args.DurationParser;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.connection.ConnectionOptions;
import io.wagate.cli.output.OutputOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that call Wagate: the connection and output mixins, the injected
 * {@link CommandContext}, and the command's stdout/stderr. A gRPC failure simply propagates;
 * {@code Wagatectl} maps it to a message and an exit code in one place.
 */
public abstract class ApiCommand implements Callable<Integer> {

  /** The injected context. */
  protected final CommandContext context;

  @Mixin private ConnectionOptions connection;
  @Mixin private OutputOptions output;
  @Spec private CommandSpec spec;

  /** A command using {@code context}. */
  protected ApiCommand(CommandContext context) {
    this.context = context;
  }

  /** Opens a connection from the command's options; close it with try-with-resources. */
  protected final Connection connect() {
    return Connection.open(context.channels(), connection.settings(), connection.client());
  }

  /** The connection options, for commands that need more than {@link #connect()}. */
  protected final ConnectionOptions connectionOptions() {
    return connection;
  }

  /** True if {@code --json} was given. */
  protected final boolean json() {
    return output.json();
  }

  /** The command's picocli model. */
  protected final CommandSpec spec() {
    return spec;
  }

  /** Where results go. */
  protected final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Where diagnostics go. */
  protected final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * Parses {@code value} of {@code option} with {@code parser}; its IllegalArgumentException becomes
   * a usage error (exit 2) naming the option and carrying the parser's message.
   */
  protected final <T> T parseOption(String option, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + e.getMessage(), e);
    }
  }

  /** A usage error (exit 2) unless {@code value} is longer than zero: {@code --transfer-timeout must be > 0, got 0s}. */
  protected final void checkPositive(String option, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ParameterException(spec.commandLine(), option + " must be > 0, got "
          + DurationParser.format(value));
    }
  }

  /** A usage error (exit 2) unless {@code min <= value <= max}: {@code --limit must be within 1..1000, got 0}. */
  protected final void checkRange(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ParameterException(spec.commandLine(), option + " must be within " + min + ".." + max + ", got " + value);
    }
  }
}
