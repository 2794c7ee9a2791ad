package io.wagate.cli.commands;

import com.google.protobuf.Timestamp;
import io.wagate.api.v1.ListMessagesRequest;
import io.wagate.api.v1.ListMessagesResponse;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.State;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.StateConverter;
import io.wagate.cli.args.TimeParser;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.MessageView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wagatectl messages list}: messages newest first, filtered and paged. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "List messages, newest first.")
public final class MessagesListCommand extends ApiCommand {

  /** Largest page the server serves. */
  static final int MAX_LIMIT = 1000;

  @Option(
      names = "--state",
      paramLabel = "STATE",
      split = ",",
      converter = StateConverter.class,
      description = "Only these states; repeatable or comma-separated: accepted, queued, held, sending, uncertain, submitted, sent, delivered, read, failed, expired, cancelled.")
  private List<State> states = new ArrayList<>();

  @Option(names = "--to", paramLabel = "RECIPIENT", description = "Only to this recipient.")
  private String to;

  @Option(names = "--from", paramLabel = "ALIAS", description = "Only from this number alias or phone-number id.")
  private String from;

  @Option(names = "--since", paramLabel = "TIME", description = "Accepted at or after: ISO-8601 (2025-03-01T12:00:00Z, 2025-03-01) or ago (-1h).")
  private String since;

  @Option(names = "--until", paramLabel = "TIME", description = "Accepted before: same forms as --since.")
  private String until;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Page size, 1..1000 (default: ${DEFAULT-VALUE}).")
  private int limit;

  @Option(names = "--page-token", paramLabel = "TOKEN", description = "Continue from a previous page.")
  private String pageToken;

  /** A list command using {@code context}. */
  public MessagesListCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    ListMessagesRequest request = request();
    try (Connection c = connect()) {
      ListMessagesResponse response = c.withDeadline(MessagesGrpc.newBlockingStub(c.channel())).list(request);
      if (json()) {
        out().println(Json.proto(response));
        return ExitCodes.OK;
      }
      if (response.getMessagesCount() == 0) {
        out().println("no messages");
      } else {
        MessageView.table(response.getMessagesList()).print(out());
      }
      if (!response.getNextPageToken().isEmpty()) {
        out().println();
        out().println("more: --page-token " + response.getNextPageToken());
      }
      return ExitCodes.OK;
    }
  }

  /** The request the parsed options describe. */
  ListMessagesRequest request() {
    checkRange("--limit", limit, 1, MAX_LIMIT);
    ListMessagesRequest.Builder b = ListMessagesRequest.newBuilder().addAllStates(states).setPageSize(limit);
    if (to != null) {
      b.setTo(to);
    }
    if (from != null) {
      b.setFrom(from);
    }
    Instant now = context.clock().instant();
    if (since != null) {
      b.setAcceptedAfter(timestamp(parseTime("--since", since, now)));
    }
    if (until != null) {
      b.setAcceptedBefore(timestamp(parseTime("--until", until, now)));
    }
    if (pageToken != null) {
      b.setPageToken(pageToken);
    }
    return b.build();
  }

  private Instant parseTime(String option, String value, Instant now) {
    return parseOption(option, value, v -> TimeParser.parse(v, now));
  }

  private static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
