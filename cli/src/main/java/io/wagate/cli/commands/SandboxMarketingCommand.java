package io.wagate.cli.commands;

import io.wagate.api.v1.SandboxGrpc;
import io.wagate.api.v1.SetMarketingPreferenceRequest;
import io.wagate.api.v1.SetMarketingPreferenceResponse;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wagatectl sandbox marketing USER --stop|--resume}: Sandbox.SetMarketingPreference, a user
 * stopping or resuming marketing messages. Wagate receives Meta's {@code user_preferences} webhook;
 * marketing templates to a stopped user then fail with 131050.
 */
@Command(
    name = "marketing",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A user stops or resumes marketing messages from a business number (sandbox only).",
      "Meta's user_preferences webhook follows."
    })
public final class SandboxMarketingCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "USER", description = "The user's phone number (wa_id) or user id.")
  private String user;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Choice choice;

  @Option(names = "--number", paramLabel = "PHONE_NUMBER_ID", description = "The business number (default: the sandbox's).")
  private String number;

  static final class Choice {
    @Option(names = "--stop", required = true, description = "The user stops marketing messages.")
    boolean stop;

    @Option(names = "--resume", required = true, description = "The user resumes marketing messages.")
    boolean resume;
  }

  /** A marketing command using {@code context}. */
  public SandboxMarketingCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    SetMarketingPreferenceRequest request = request();
    try (Connection c = connect()) {
      SetMarketingPreferenceResponse r =
          c.withDeadline(SandboxGrpc.newBlockingStub(c.channel())).setMarketingPreference(request);
      out().println(json() ? Json.proto(r) : r.getUser() + " " + r.getValue());
      return ExitCodes.OK;
    }
  }

  /** The request the parsed options describe. */
  SetMarketingPreferenceRequest request() {
    SetMarketingPreferenceRequest.Builder b =
        SetMarketingPreferenceRequest.newBuilder().setUser(user).setValue(choice.stop ? "stop" : "resume");
    if (number != null) {
      b.setPhoneNumberId(number);
    }
    return b.build();
  }
}
