package io.wagate.cli.commands;

import io.wagate.api.v1.MediaStats;
import io.wagate.api.v1.MediaStatsRequest;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.MediaView;
import picocli.CommandLine.Command;

/** {@code wagatectl media stats}: objects and bytes per kind, quota, fetching, master key, rotation. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Show objects and bytes per kind, quota used, inbound media being fetched, the active master key"
        + " id and the progress of a key rotation.")
public final class MediaStatsCommand extends ApiCommand {

  /** A stats command using {@code context}. */
  public MediaStatsCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    try (Connection c = connect()) {
      MediaStats s = c.withDeadline(MediaStoreGrpc.newBlockingStub(c.channel())).stats(MediaStatsRequest.getDefaultInstance());
      if (json()) {
        out().println(Json.proto(s));
      } else {
        MediaView.printStats(s, out());
      }
      return ExitCodes.OK;
    }
  }
}
