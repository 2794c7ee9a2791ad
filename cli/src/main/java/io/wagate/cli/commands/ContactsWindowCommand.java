package io.wagate.cli.commands;

import io.wagate.api.v1.ContactBookGrpc;
import io.wagate.api.v1.GetWindowRequest;
import io.wagate.api.v1.WindowInfo;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wagatectl contacts window USER [--from NUMBER]}: may a free-form message go now, and until when. */
@Command(
    name = "window",
    mixinStandardHelpOptions = true,
    description = {
      "Show whether a free-form (non-template) message to USER is possible now and until when:",
      "the 24-hour customer-service window and the 72-hour free entry point window. Templates are always allowed."
    })
public final class ContactsWindowCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "USER", description = "E.164 number (+16505551234), wa_id or business-scoped user id.")
  private String user;

  @Option(names = "--from", paramLabel = "ALIAS", description = "Our number: alias or phone-number id (default: the only one, 'sandbox' in the sandbox).")
  private String from;

  /** A window command using {@code context}. */
  public ContactsWindowCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    try (Connection c = connect()) {
      String number = from;
      if (number == null) {
        var numbers = c.withDeadline(io.wagate.api.v1.AdminGrpc.newBlockingStub(c.channel()))
            .getStatus(io.wagate.api.v1.GetStatusRequest.getDefaultInstance()).getNumbersList();
        if (numbers.size() != 1) {
          err().println("error: --from is required: the appliance has " + numbers.size() + " numbers");
          return ExitCodes.USAGE;
        }
        number = numbers.get(0).getAlias();
      }
      WindowInfo w = c.withDeadline(ContactBookGrpc.newBlockingStub(c.channel()))
          .getWindow(GetWindowRequest.newBuilder().setFrom(number).setUser(user).build());
      if (json()) {
        out().println(Json.proto(w));
        return ExitCodes.OK;
      }
      TextTable t = TextTable.keyValue();
      t.row("free-form", w.getFreeFormAllowed() ? "allowed until " + TemplatesView.time(w.getFreeFormUntil())
          : "not allowed: " + w.getReason());
      t.row("last message", w.hasLastInboundAt() ? TemplatesView.time(w.getLastInboundAt()) : "never");
      t.row("window closes", w.hasWindowClosesAt() ? TemplatesView.time(w.getWindowClosesAt()) : "");
      t.row("free entry point until", w.hasFreeEntryPointUntil() ? TemplatesView.time(w.getFreeEntryPointUntil()) : "");
      t.print(out());
      return ExitCodes.OK;
    }
  }
}
