package io.wagate.cli.commands;

import picocli.CommandLine.Command;

/** {@code wagatectl billing}: the noun; see {@link BillingReportCommand}. */
@Command(
    name = "billing",
    mixinStandardHelpOptions = true,
    description = "What Meta will bill, as the appliance's billing meter counted it.")
public final class BillingCommand extends GroupCommand {}
