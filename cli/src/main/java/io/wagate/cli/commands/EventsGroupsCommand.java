package io.wagate.cli.commands;

import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.ListGroupsRequest;
import io.wagate.api.v1.ListGroupsResponse;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.EventView;
import io.wagate.cli.output.Json;
import picocli.CommandLine.Command;

/** {@code wagatectl events groups}: the consumer groups with their offsets, lag and members. */
@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description = {
      "List consumer groups: filter, committed offset, head, lag, events in flight,",
      "connected members and redeliveries; then the log's first and newest offset."
    })
public final class EventsGroupsCommand extends ApiCommand {

  /** A groups command using {@code context}. */
  public EventsGroupsCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    try (Connection c = connect()) {
      ListGroupsResponse r =
          c.withDeadline(EventsGrpc.newBlockingStub(c.channel())).listGroups(ListGroupsRequest.getDefaultInstance());
      if (json()) {
        out().println(Json.proto(r));
        return ExitCodes.OK;
      }
      if (r.getGroupsCount() == 0) {
        out().println("no groups");
      } else {
        EventView.groupTable(r.getGroupsList()).print(out());
      }
      out().println();
      out().println("log: first offset " + Long.toUnsignedString(r.getFirstOffset())
          + ", head offset " + Long.toUnsignedString(r.getHeadOffset()));
      return ExitCodes.OK;
    }
  }
}
