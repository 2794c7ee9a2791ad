package io.wagate.cli.commands;

import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.ReadEventsRequest;
import io.wagate.api.v1.ReadEventsResponse;
import io.wagate.api.v1.StartPosition;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.PositionParser;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.EventView;
import io.wagate.cli.output.Json;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wagatectl events read}: one page of the event log through Events.Read, without a group. */
@Command(
    name = "read",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Print one page of events without a consumer group (nothing is acknowledged),",
      "then the offset to continue from with --from."
    })
public final class EventsReadCommand extends ApiCommand {

  /** Largest page the server serves. */
  static final int MAX_LIMIT = 1000;

  @Option(
      names = "--from",
      paramLabel = "POSITION",
      defaultValue = "earliest",
      description = "Where to start: earliest (default), latest, an offset (1042) or a time (2025-03-01T12:00:00Z, -1h).")
  private String from;

  @Mixin private EventFilterOptions filter;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Page size, 1..1000 (default: ${DEFAULT-VALUE}).")
  private int limit;

  /** A read command using {@code context}. */
  public EventsReadCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    ReadEventsRequest request = request();
    try (Connection c = connect()) {
      ReadEventsResponse r = c.withDeadline(EventsGrpc.newBlockingStub(c.channel())).read(request);
      if (json()) {
        out().println(Json.proto(r));
        return ExitCodes.OK;
      }
      if (r.getEventsCount() == 0) {
        out().println("no events");
      } else {
        EventView.table(r.getEventsList()).print(out());
      }
      out().println();
      out().println("next: --from " + Long.toUnsignedString(r.getNextOffset()));
      return ExitCodes.OK;
    }
  }

  /** The request the parsed options describe. */
  ReadEventsRequest request() {
    checkRange("--limit", limit, 1, MAX_LIMIT);
    Instant now = context.clock().instant();
    StartPosition start = parseOption("--from", from, v -> PositionParser.parse(v, now));
    return ReadEventsRequest.newBuilder()
        .setFrom(start)
        .setFilter(filter.filter())
        .setLimit(limit)
        .build();
  }
}
