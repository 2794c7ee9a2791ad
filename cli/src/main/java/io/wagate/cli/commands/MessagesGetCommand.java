package io.wagate.cli.commands;

import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.MessageView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wagatectl messages get ID}: one message with its state, attempts, wamid and last error. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show one message. Exits 3 if the id is unknown.")
public final class MessagesGetCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "Message id as returned by send.")
  private String id;

  /** A get command using {@code context}. */
  public MessagesGetCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    try (Connection c = connect()) {
      Message m =
          c.withDeadline(MessagesGrpc.newBlockingStub(c.channel())).get(GetMessageRequest.newBuilder().setId(id).build());
      if (json()) {
        out().println(Json.proto(m));
      } else {
        MessageView.printDetail(m, out());
      }
      return ExitCodes.OK;
    }
  }
}
