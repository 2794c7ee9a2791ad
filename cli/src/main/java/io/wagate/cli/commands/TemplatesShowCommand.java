package io.wagate.cli.commands;

import io.wagate.api.v1.GetTemplateRequest;
import io.wagate.api.v1.GetTemplateResponse;
import io.wagate.api.v1.MessageTemplate;
import io.wagate.api.v1.TemplatesGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wagatectl templates show NAME [--language]}: one template, every language unless told. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Show a template of the catalogue with its components (every language unless --language).")
public final class TemplatesShowCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "Template name.")
  private String name;

  @Option(names = "--language", paramLabel = "CODE", description = "Only this language, for example en_US.")
  private String language;

  @Option(names = "--number", paramLabel = "ALIAS", description = "The number whose business account to look in (needed when there are several).")
  private String number;

  /** A show command using {@code context}. */
  public TemplatesShowCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    GetTemplateRequest.Builder r = GetTemplateRequest.newBuilder().setName(name);
    if (language != null) {
      r.setLanguage(language);
    }
    if (number != null) {
      r.setNumber(number);
    }
    try (Connection c = connect()) {
      GetTemplateResponse got = c.withDeadline(TemplatesGrpc.newBlockingStub(c.channel())).get(r.build());
      if (json()) {
        out().println(Json.proto(got));
        return ExitCodes.OK;
      }
      boolean first = true;
      for (MessageTemplate m : got.getTemplatesList()) {
        if (!first) {
          out().println();
        }
        first = false;
        TemplatesView.show(m, out());
      }
      return ExitCodes.OK;
    }
  }
}
