package io.wagate.cli.commands;

import picocli.CommandLine.Command;

/** {@code wagatectl contacts}: the noun; see {@link ContactsWindowCommand}. */
@Command(
    name = "contacts",
    mixinStandardHelpOptions = true,
    description = "What the appliance knows of users: their customer-service windows.")
public final class ContactsCommand extends GroupCommand {}
