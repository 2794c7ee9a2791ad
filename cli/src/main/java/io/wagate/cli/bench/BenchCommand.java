package io.wagate.cli.bench;

import io.wagate.cli.commands.GroupCommand;
import picocli.CommandLine.Command;

/** {@code wagatectl bench}: the noun; see {@link BenchSendCommand}. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks against a running Wagate.")
public final class BenchCommand extends GroupCommand {}
