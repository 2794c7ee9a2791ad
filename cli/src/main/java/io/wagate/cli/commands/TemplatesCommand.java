package io.wagate.cli.commands;

import picocli.CommandLine.Command;

/** {@code wagatectl templates}: the noun; see {@link TemplatesLsCommand}, {@link TemplatesShowCommand}, {@link TemplatesSyncCommand}, {@link TemplatesCreateCommand}, {@link TemplatesRmCommand}. */
@Command(
    name = "templates",
    mixinStandardHelpOptions = true,
    description = "The template catalogue: list, show, sync from Meta, create and delete templates.")
public final class TemplatesCommand extends GroupCommand {}
