package io.wagate.cli.commands;

import picocli.CommandLine.Command;

/** {@code wagatectl consent}: the noun; see {@link ConsentSetCommand}, {@link ConsentGetCommand}, {@link ConsentLsCommand}. */
@Command(name = "consent", mixinStandardHelpOptions = true,
    description = "Opt-ins and opt-outs of users, per number (set by keywords, 131050 failures, Meta and operators).")
public final class ConsentCommand extends GroupCommand {}
