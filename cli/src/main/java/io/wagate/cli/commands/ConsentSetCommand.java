package io.wagate.cli.commands;

import io.wagate.api.v1.ConsentGrpc;
import io.wagate.api.v1.ConsentRecord;
import io.wagate.api.v1.ConsentState;
import io.wagate.api.v1.SetConsentRequest;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.ConsentView;
import io.wagate.cli.output.Json;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wagatectl consent set NUMBER USER in|out [--note TEXT]}: records an opt-in or opt-out (source api). */
@Command(name = "set", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Record that a user opted in or out of (marketing) messages from a number.")
public final class ConsentSetCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "NUMBER", description = "Number alias or phone-number id.")
  private String number;

  @Parameters(index = "1", paramLabel = "USER", description = "The user's phone number (E.164) or business-scoped user id.")
  private String user;

  @Parameters(index = "2", paramLabel = "in|out", description = "in: opted in; out: opted out.")
  private String state;

  @Option(names = "--note", paramLabel = "TEXT", description = "Why (kept with the change), e.g. 'web form 2026-11-25'.")
  private String note;

  /** A set command using {@code context}. */
  public ConsentSetCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    ConsentState s = parseOption("in|out", state, ConsentSetCommand::state);
    SetConsentRequest.Builder b = SetConsentRequest.newBuilder().setNumber(number).setUser(user).setState(s);
    if (note != null) {
      b.setNote(note);
    }
    try (Connection c = connect()) {
      ConsentRecord r = c.withDeadline(ConsentGrpc.newBlockingStub(c.channel())).set(b.build());
      if (json()) {
        out().println(Json.proto(r));
      } else {
        out().println("user " + r.getUser() + " " + ConsentView.state(r.getCurrent().getState()) + " with "
            + (r.getNumber().isEmpty() ? r.getPhoneNumberId() : r.getNumber()));
      }
      return ExitCodes.OK;
    }
  }

  static ConsentState state(String v) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "in":
      case "opted-in":
      case "opted_in":
        return ConsentState.OPTED_IN;
      case "out":
      case "opted-out":
      case "opted_out":
        return ConsentState.OPTED_OUT;
      default:
        throw new IllegalArgumentException("expected in or out, got '" + v + "'");
    }
  }
}
