package io.wagate.cli.commands;

import picocli.CommandLine.Command;

/** {@code wagatectl messages}: the noun; see {@link MessagesGetCommand}, {@link MessagesListCommand}, {@link MessagesCancelCommand}. */
@Command(name = "messages", mixinStandardHelpOptions = true, description = "Inspect and cancel outbound messages.")
public final class MessagesCommand extends GroupCommand {}
