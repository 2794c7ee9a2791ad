package io.wagate.cli.commands;

import io.wagate.api.v1.ConsentGrpc;
import io.wagate.api.v1.ConsentState;
import io.wagate.api.v1.ListConsentRequest;
import io.wagate.api.v1.ListConsentResponse;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.ConsentView;
import io.wagate.cli.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wagatectl consent ls [--number N] [--state in|out]}: consent records by number and user, paged. */
@Command(name = "ls", mixinStandardHelpOptions = true, sortOptions = false,
    description = "List consent records by number and user.")
public final class ConsentLsCommand extends ApiCommand {

  @Option(names = "--number", paramLabel = "NUMBER", description = "Only this number (alias or phone-number id).")
  private String number;

  @Option(names = "--state", paramLabel = "in|out", description = "Only users opted in, or only users opted out.")
  private String state;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Page size, 1..1000 (default: ${DEFAULT-VALUE}).")
  private int limit;

  @Option(names = "--page-token", paramLabel = "TOKEN", description = "Continue from a previous page.")
  private String pageToken;

  /** An ls command using {@code context}. */
  public ConsentLsCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    checkRange("--limit", limit, 1, 1000);
    ListConsentRequest.Builder b = ListConsentRequest.newBuilder().setPageSize(limit);
    if (number != null) {
      b.setNumber(number);
    }
    if (state != null) {
      ConsentState s = parseOption("--state", state, ConsentSetCommand::state);
      b.setState(s);
    }
    if (pageToken != null) {
      b.setPageToken(pageToken);
    }
    try (Connection c = connect()) {
      ListConsentResponse r = c.withDeadline(ConsentGrpc.newBlockingStub(c.channel())).list(b.build());
      if (json()) {
        out().println(Json.proto(r));
        return ExitCodes.OK;
      }
      if (r.getRecordsCount() == 0) {
        out().println("no consent records");
      } else {
        ConsentView.table(r.getRecordsList()).print(out());
      }
      if (!r.getNextPageToken().isEmpty()) {
        out().println();
        out().println("more: --page-token " + r.getNextPageToken());
      }
      return ExitCodes.OK;
    }
  }
}
