package io.wagate.cli.commands;

import io.wagate.api.v1.DeleteTemplateRequest;
import io.wagate.api.v1.DeleteTemplateResponse;
import io.wagate.api.v1.TemplatesGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wagatectl templates rm NAME [--language]}: delete at Meta, then from the catalogue. */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    description = "Delete a template at Meta and from the catalogue: every language of NAME, or only --language.")
public final class TemplatesRmCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "Template name.")
  private String name;

  @Option(names = "--language", paramLabel = "CODE", description = "Only this language.")
  private String language;

  @Option(names = "--number", paramLabel = "ALIAS", description = "The number whose business account holds it (needed when there are several).")
  private String number;

  /** An rm command using {@code context}. */
  public TemplatesRmCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    DeleteTemplateRequest.Builder r = DeleteTemplateRequest.newBuilder().setName(name);
    if (language != null) {
      r.setLanguage(language);
    }
    if (number != null) {
      r.setNumber(number);
    }
    try (Connection c = connect()) {
      DeleteTemplateResponse got = c.withDeadline(TemplatesGrpc.newBlockingStub(c.channel())).delete(r.build());
      if (json()) {
        out().println(Json.proto(got));
      } else {
        got.getDeletedList().forEach(k -> out().println("deleted " + k));
      }
      return ExitCodes.OK;
    }
  }
}
