package io.wagate.cli.commands;

import io.wagate.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of noun commands that only hold subcommands ({@code messages}, {@code bench}): run alone,
 * they print their usage on stderr and exit 2.
 */
public abstract class GroupCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("error: missing subcommand");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
