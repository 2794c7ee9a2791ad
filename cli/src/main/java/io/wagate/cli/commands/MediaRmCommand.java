package io.wagate.cli.commands;

import io.wagate.api.v1.DeleteMediaRequest;
import io.wagate.api.v1.DeleteMediaResponse;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wagatectl media rm ID...}: deletes media; an id already gone is not an error. */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    description = {
      "Delete media. Idempotent: prints 'deleted ID' or 'ID already gone' per id (one JSON object per line"
          + " with --json).",
      "Stops at the first id Wagate refuses; the ids before it are deleted."
    })
public final class MediaRmCommand extends ApiCommand {

  @Parameters(index = "0..*", arity = "1..*", paramLabel = "ID", description = "Media ids.")
  private List<String> ids;

  /** An rm command using {@code context}. */
  public MediaRmCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    try (Connection c = connect()) {
      for (String id : ids) {
        DeleteMediaResponse r = c.withDeadline(MediaStoreGrpc.newBlockingStub(c.channel()))
            .delete(DeleteMediaRequest.newBuilder().setId(id).build());
        if (json()) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("id", id);
          line.put("deleted", r.getDeleted());
          out().println(Json.renderLine(line));
        } else {
          out().println(r.getDeleted() ? "deleted " + id : id + " already gone");
        }
        out().flush();
      }
      return ExitCodes.OK;
    }
  }
}
