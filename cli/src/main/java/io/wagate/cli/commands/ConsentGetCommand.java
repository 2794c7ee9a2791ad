package io.wagate.cli.commands;

import io.wagate.api.v1.ConsentGrpc;
import io.wagate.api.v1.ConsentRecord;
import io.wagate.api.v1.GetConsentRequest;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.ConsentView;
import io.wagate.cli.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wagatectl consent get NUMBER USER}: a user's consent with a number, and its history. */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Show a user's consent with a number and how it changed. Exits 3 if nothing was recorded.")
public final class ConsentGetCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "NUMBER", description = "Number alias or phone-number id.")
  private String number;

  @Parameters(index = "1", paramLabel = "USER", description = "The user's phone number (E.164) or business-scoped user id.")
  private String user;

  /** A get command using {@code context}. */
  public ConsentGetCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    try (Connection c = connect()) {
      ConsentRecord r = c.withDeadline(ConsentGrpc.newBlockingStub(c.channel()))
          .get(GetConsentRequest.newBuilder().setNumber(number).setUser(user).build());
      if (json()) {
        out().println(Json.proto(r));
      } else {
        ConsentView.printDetail(r, out());
      }
      return ExitCodes.OK;
    }
  }
}
