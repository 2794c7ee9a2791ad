package io.wagate.cli.commands;

import io.wagate.api.v1.SyncResult;
import io.wagate.api.v1.SyncTemplatesRequest;
import io.wagate.api.v1.SyncTemplatesResponse;
import io.wagate.api.v1.TemplatesGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wagatectl templates sync}: fetch the templates from Meta now and say what changed. */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch every business account's templates from Meta now and print what changed.",
      "Exits 1 when a business account could not be synced (its catalogue is kept as it was)."
    })
public final class TemplatesSyncCommand extends ApiCommand {

  @Option(names = "--number", paramLabel = "ALIAS", description = "Only the business account of this number.")
  private String number;

  /** A sync command using {@code context}. */
  public TemplatesSyncCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    SyncTemplatesRequest.Builder r = SyncTemplatesRequest.newBuilder();
    if (number != null) {
      r.setNumber(number);
    }
    try (Connection c = connect()) {
      SyncTemplatesResponse got = c.withDeadline(TemplatesGrpc.newBlockingStub(c.channel())).sync(r.build());
      boolean ok = got.getResultsList().stream().allMatch(SyncResult::getOk);
      if (json()) {
        out().println(Json.proto(got));
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
      }
      for (SyncResult s : got.getResultsList()) {
        if (!s.getOk()) {
          out().println("WABA " + s.getWabaId() + ": sync failed, " + s.getTemplates() + " templates kept: "
              + s.getError());
          continue;
        }
        int changes = s.getAddedCount() + s.getRemovedCount() + s.getChangedCount();
        out().println("WABA " + s.getWabaId() + ": " + s.getTemplates() + " templates, "
            + (changes == 0 ? "no changes" : s.getAddedCount() + " added, " + s.getRemovedCount() + " removed, "
                + s.getChangedCount() + " changed"));
        s.getAddedList().forEach(k -> out().println("  added    " + k));
        s.getRemovedList().forEach(k -> out().println("  removed  " + k));
        s.getChangedList().forEach(k -> out().println("  changed  " + k));
      }
      return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }
}
