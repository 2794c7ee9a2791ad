package io.wagate.cli.commands;

import picocli.CommandLine.Command;

/**
 * {@code wagatectl events}: the noun; see {@link EventsTailCommand}, {@link EventsGroupsCommand},
 * {@link EventsRewindCommand}, {@link EventsReadCommand}.
 */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = "Follow, page through and manage the durable event log and its consumer groups.")
public final class EventsCommand extends GroupCommand {}
