package io.wagate.cli.commands;

import picocli.CommandLine.Command;

/** {@code wagatectl sandbox}: the noun; see {@link SandboxInboundCommand}. */
@Command(name = "sandbox", mixinStandardHelpOptions = true, description = "Play a WhatsApp user against 'wagate sandbox'.")
public final class SandboxCommand extends GroupCommand {}
