package io.wagate.cli.commands;

import io.wagate.api.v1.CancelMessageRequest;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.MessageView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wagatectl messages cancel ID}: cancels a message not yet handed to Meta. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancel a message not yet handed to Meta. Cancelling a cancelled message is a no-op.",
      "Exits 4 once it was handed to Meta or has ended, 3 if the id is unknown."
    })
public final class MessagesCancelCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "Message id as returned by send.")
  private String id;

  /** A cancel command using {@code context}. */
  public MessagesCancelCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    try (Connection c = connect()) {
      Message m =
          c.withDeadline(MessagesGrpc.newBlockingStub(c.channel()))
              .cancel(CancelMessageRequest.newBuilder().setId(id).build());
      if (json()) {
        out().println(Json.proto(m));
      } else {
        out().println("cancelled " + m.getId() + " (" + MessageView.state(m.getState()) + ")");
      }
      return ExitCodes.OK;
    }
  }
}
