package io.wagate.cli.commands;

import picocli.CommandLine.Command;

/** {@code wagatectl keys}: the noun; see {@link KeysRotateCommand}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the master key of the media store.")
public final class KeysCommand extends GroupCommand {}
