package io.wagate.cli.commands;

import io.wagate.api.v1.CatalogueStatus;
import io.wagate.api.v1.ListTemplatesRequest;
import io.wagate.api.v1.ListTemplatesResponse;
import io.wagate.api.v1.TemplatesGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wagatectl templates ls}: the catalogue, filtered, and how fresh it is. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List the template catalogue: a table and each business account's sync state, or the",
      "Templates.List answer as JSON with --json."
    })
public final class TemplatesLsCommand extends ApiCommand {

  @Option(names = "--number", paramLabel = "ALIAS", description = "Only the business account of this number.")
  private String number;

  @Option(names = "--name", paramLabel = "NAME", description = "Only templates of this name.")
  private String name;

  @Option(names = "--status", paramLabel = "STATUS", description = "Only this status: approved, pending, rejected, paused, disabled...")
  private String status;

  @Option(names = "--category", paramLabel = "CATEGORY", description = "Only marketing, utility or authentication.")
  private String category;

  @Option(names = "--language", paramLabel = "CODE", description = "Only this language, for example en_US.")
  private String language;

  /** An ls command using {@code context}. */
  public TemplatesLsCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    ListTemplatesRequest.Builder r = ListTemplatesRequest.newBuilder();
    if (number != null) {
      r.setNumber(number);
    }
    if (name != null) {
      r.setName(name);
    }
    if (status != null) {
      r.setStatus(status);
    }
    if (category != null) {
      r.setCategory(category);
    }
    if (language != null) {
      r.setLanguage(language);
    }
    try (Connection c = connect()) {
      ListTemplatesResponse list = c.withDeadline(TemplatesGrpc.newBlockingStub(c.channel())).list(r.build());
      if (json()) {
        out().println(Json.proto(list));
        return ExitCodes.OK;
      }
      if (list.getTemplatesCount() == 0) {
        out().println("no templates");
      } else {
        TemplatesView.table(list.getTemplatesList(), out());
      }
      if (list.getCataloguesCount() > 0) {
        out().println();
      }
      for (CatalogueStatus s : list.getCataloguesList()) {
        TemplatesView.catalogue(s, out());
      }
      return ExitCodes.OK;
    }
  }
}
