package io.wagate.cli.commands;

import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.Group;
import io.wagate.api.v1.RewindRequest;
import io.wagate.api.v1.StartPosition;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.PositionParser;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.EventView;
import io.wagate.cli.output.Json;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code wagatectl events rewind GROUP --to POSITION}: moves a group's committed offset. It changes
 * what every member of the group receives, so it asks first on a terminal, and needs {@code --yes}
 * when there is no terminal to ask on.
 */
@Command(
    name = "rewind",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Move a consumer group's committed offset back or forward; its connected members",
      "receive events from there. Asks for confirmation on a terminal; without one,",
      "--yes is required. Exits 3 if the group is unknown."
    })
public final class EventsRewindCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "GROUP", description = "The consumer group.")
  private String group;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "POSITION",
      description = "earliest, latest, an offset (1042) or a time (2025-03-01T12:00:00Z, -1h).")
  private String to;

  @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
  private boolean yes;

  /** A rewind command using {@code context}. */
  public EventsRewindCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    RewindRequest request = request();
    if (!yes && !confirmed()) {
      err().println("not rewound: group " + group + " is unchanged");
      return ExitCodes.FAILURE;
    }
    try (Connection c = connect()) {
      Group g = c.withDeadline(EventsGrpc.newBlockingStub(c.channel())).rewind(request);
      if (json()) {
        out().println(Json.proto(g));
      } else {
        EventView.printGroup(g, out());
      }
      return ExitCodes.OK;
    }
  }

  /** The request the parsed options describe. */
  RewindRequest request() {
    Instant now = context.clock().instant();
    StartPosition position = parseOption("--to", to, v -> PositionParser.parse(v, now));
    return RewindRequest.newBuilder()
        .setGroup(group)
        .setTo(position)
        .build();
  }

  private boolean confirmed() {
    Prompter prompter = context.prompter();
    if (!prompter.interactive()) {
      throw new ParameterException(spec().commandLine(),
          "rewinding changes what every member of group " + group + " receives; add --yes to confirm"
              + " (there is no terminal to ask on)");
    }
    return prompter.confirm("Move group " + group + " to " + to + "? Its members will receive events from there.");
  }
}
