package io.wagate.cli.commands;

import io.wagate.api.v1.SandboxGrpc;
import io.wagate.api.v1.SetTemplateStatusRequest;
import io.wagate.api.v1.SetTemplateStatusResponse;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code wagatectl sandbox template NAME --language L [--status S] [--category C]}:
 * Sandbox.SetTemplateStatus, Meta's review as the emulator plays it. Wagate receives the
 * {@code message_template_status_update} (or {@code template_category_update}) webhook.
 */
@Command(
    name = "template",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Approve, reject, pause, disable or recategorise a template in the emulator (sandbox only).",
      "Meta's template webhook follows. Prints the template as it now is."
    })
public final class SandboxTemplateCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "The template's name.")
  private String name;

  @Option(names = "--language", required = true, paramLabel = "LANG", description = "Its language, for example en_US.")
  private String language;

  @Option(names = "--status", paramLabel = "STATUS",
      description = "APPROVED, REJECTED, PAUSED, DISABLED, PENDING, IN_APPEAL, ...")
  private String status;

  @Option(names = "--category", paramLabel = "CATEGORY", description = "MARKETING, UTILITY or AUTHENTICATION.")
  private String category;

  @Option(names = "--reason", paramLabel = "REASON", description = "The webhook's reason, for example INVALID_FORMAT.")
  private String reason;

  @Option(names = "--waba", paramLabel = "WABA_ID", description = "The WABA (default: the one that has the template).")
  private String waba;

  /** A template command using {@code context}. */
  public SandboxTemplateCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    SetTemplateStatusRequest request = request();
    try (Connection c = connect()) {
      SetTemplateStatusResponse r =
          c.withDeadline(SandboxGrpc.newBlockingStub(c.channel())).setTemplateStatus(request);
      out().println(json() ? Json.proto(r)
          : r.getName() + " " + r.getLanguage() + " " + r.getStatus() + " " + r.getCategory() + " id " + r.getId());
      return ExitCodes.OK;
    }
  }

  /** The request the parsed options describe. */
  SetTemplateStatusRequest request() {
    if (status == null && category == null) {
      throw new ParameterException(spec().commandLine(), "--status or --category is required");
    }
    SetTemplateStatusRequest.Builder b =
        SetTemplateStatusRequest.newBuilder().setName(name).setLanguage(language);
    if (status != null) {
      b.setStatus(status);
    }
    if (category != null) {
      b.setCategory(category);
    }
    if (reason != null) {
      b.setReason(reason);
    }
    if (waba != null) {
      b.setWabaId(waba);
    }
    return b.build();
  }
}
