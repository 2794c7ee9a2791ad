package io.wagate.cli.commands;

import picocli.CommandLine.Command;

/** {@code wagatectl media}: the noun; see {@link MediaPutCommand}, {@link MediaGetCommand}, {@link MediaLsCommand}, {@link MediaRmCommand}, {@link MediaStatsCommand}. */
@Command(
    name = "media",
    mixinStandardHelpOptions = true,
    description = "Upload, download, list and delete media kept encrypted in the appliance.")
public final class MediaCommand extends GroupCommand {}
