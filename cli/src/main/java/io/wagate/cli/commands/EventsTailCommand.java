package io.wagate.cli.commands;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.wagate.api.v1.DeleteGroupRequest;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.StartPosition;
import io.wagate.api.v1.SubscribeRequest;
import io.wagate.api.v1.SubscribeResponse;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.DurationConverter;
import io.wagate.cli.args.DurationParser;
import io.wagate.cli.args.PositionParser;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.EventView;
import io.wagate.cli.output.Json;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code wagatectl events tail}: follows the event log through an Events.Subscribe stream, prints
 * each event and then acknowledges it. Without {@code --group} it reads through a throwaway group
 * ({@code wagatectl-tail-HOST-PID-RANDOM}) that it deletes on the way out, so an operator's tail
 * leaves nothing behind. Ends after {@code --count} events or on Ctrl-C, exit 0.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Print events as they are stored, one line per event (one JSON object with --json).",
      "Each event is acknowledged once printed; a rewind of the group is noted on stderr.",
      "Stops after --count events or on Ctrl-C, exit 0.",
      "Without --group, a throwaway group is used and deleted when the tail ends."
    })
public final class EventsTailCommand extends ApiCommand {

  /** Most unacknowledged events the server allows a member. */
  static final int MAX_IN_FLIGHT = 10_000;
  static final Duration MIN_ACK_DEADLINE = Duration.ofSeconds(1);
  static final Duration MAX_ACK_DEADLINE = Duration.ofMinutes(10);
  /** Longest wait for the server to let go after the half-close. */
  private static final Duration MAX_FINISH_WAIT = Duration.ofSeconds(2);

  @Option(
      names = "--group",
      paramLabel = "NAME",
      description = "Consumer group to read as ([A-Za-z0-9._-], 1..128); it is kept, with its committed offset."
          + " Default: a throwaway group, deleted on exit.")
  private String group;

  @Mixin private EventFilterOptions filter;

  @Option(
      names = "--from",
      paramLabel = "POSITION",
      defaultValue = "latest",
      description = "Where a new group starts: latest (default), earliest, an offset (1042) or a time"
          + " (2025-03-01T12:00:00Z, -1h). An existing group resumes at its committed offset.")
  private String from;

  @Option(names = "--max-in-flight", paramLabel = "N", description = "Unacknowledged events at a time, 1..10000 (server default 100).")
  private Integer maxInFlight;

  @Option(
      names = "--ack-deadline",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Redeliver an event not acknowledged within this, 1s..10m (server default 30s).")
  private Duration ackDeadline;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
  private Integer count;

  /** A tail command using {@code context}. */
  public EventsTailCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() throws InterruptedException {
    SubscribeRequest.Open open = open();
    boolean throwaway = group == null;
    try (Connection c = connect()) {
      EventSubscription subscription = EventSubscription.open(EventsGrpc.newStub(c.channel()), open);
      try (ShutdownStop hook = new ShutdownStop(subscription::stop, c.settings().timeout().plusSeconds(5))) {
        int exit;
        boolean delete = throwaway;
        boolean failed = true;
        try {
          exit = follow(subscription, open.getGroup(), throwaway);
          failed = false;
        } catch (StatusRuntimeException e) {
          // when Wagate cannot be reached, deleting cannot reach it either
          delete &= !ExitCodes.isUnreachable(e.getStatus().getCode());
          subscription.cancel();
          throw e;
        } catch (RuntimeException | InterruptedException e) {
          subscription.cancel();
          throw e;
        } finally {
          if (delete) {
            // after a failure, the failure is what the operator needs to read, not this
            deleteGroup(c, open.getGroup(), !failed);
          }
        }
        out().flush();
        err().flush();
        hook.finished(exit);
        return exit;
      }
    }
  }

  /** The Open request the parsed options describe; a throwaway group gets a fresh name. */
  SubscribeRequest.Open open() {
    SubscribeRequest.Open.Builder b = SubscribeRequest.Open.newBuilder()
        .setGroup(group != null ? group : throwawayGroupName())
        .setFilter(filter.filter())
        .setMember(memberName());
    Instant now = context.clock().instant();
    StartPosition start = parseOption("--from", from, v -> PositionParser.parse(v, now));
    b.setStart(start);
    if (maxInFlight != null) {
      checkRange("--max-in-flight", maxInFlight, 1, MAX_IN_FLIGHT);
      b.setMaxInFlight(maxInFlight);
    }
    if (ackDeadline != null) {
      if (ackDeadline.compareTo(MIN_ACK_DEADLINE) < 0 || ackDeadline.compareTo(MAX_ACK_DEADLINE) > 0) {
        throw new ParameterException(spec().commandLine(),
            "--ack-deadline must be within 1s..10m, got " + DurationParser.format(ackDeadline));
      }
      b.setAckDeadline(DurationParser.toProto(ackDeadline));
    }
    if (count != null) {
      checkRange("--count", count, 1, Integer.MAX_VALUE);
    }
    return b.build();
  }

  /** Prints and acknowledges until --count events, a stop, or the end of the call. */
  private int follow(EventSubscription subscription, String groupName, boolean throwaway) throws InterruptedException {
    List<Long> printed = new ArrayList<>();
    long total = 0;
    while (count == null || total < count) {
      SubscribeResponse r = subscription.take();
      if (r == null) {
        break;
      }
      if (r.hasEvent()) {
        print(r.getEvent());
        printed.add(r.getEvent().getOffset());
        total++;
      } else if (r.hasRewound()) {
        err().println("note: group " + groupName + " was rewound; events come again from offset "
            + Long.toUnsignedString(r.getRewound().getOffset()));
      }
      // acks go out once the batch that arrived together is printed
      if (!printed.isEmpty() && (!subscription.hasWaiting() || (count != null && total >= count))) {
        out().flush();
        subscription.ack(printed, List.of());
        printed.clear();
      }
    }
    if (subscription.endedByServer()) {
      err().println("error: Wagate ended the subscription of group " + groupName + " (was the group deleted?)");
      return ExitCodes.FAILURE;
    }
    // events received but not printed go back to the group at once, not after the ack deadline
    List<Long> unprinted = subscription.drainEvents();
    if (!throwaway) {
      subscription.ack(List.of(), unprinted);
    }
    subscription.finish(min(connectionOptions().settings().timeout(), MAX_FINISH_WAIT));
    return ExitCodes.OK;
  }

  private void print(Event e) {
    out().println(json() ? Json.protoLine(e) : EventView.line(e));
  }

  private void deleteGroup(Connection c, String name, boolean warn) {
    try {
      c.withDeadline(EventsGrpc.newBlockingStub(c.channel())).deleteGroup(DeleteGroupRequest.newBuilder().setGroup(name).build());
    } catch (StatusRuntimeException e) {
      if (warn && e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        err().println("warning: could not delete the throwaway group " + name + ": " + e.getStatus().getCode()
            + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()));
      }
    }
  }

  /** {@code wagatectl-tail-HOST-PID-RANDOM}, within the server's 128 characters of [A-Za-z0-9._-]. */
  static String throwawayGroupName() {
    return "wagatectl-tail-" + host() + "-" + ProcessHandle.current().pid() + "-"
        + String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());
  }

  private static String memberName() {
    return "wagatectl@" + host() + ":" + ProcessHandle.current().pid();
  }

  private static String host() {
    String h;
    try {
      h = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      h = "localhost";
    }
    h = h.replaceAll("[^A-Za-z0-9._-]", "-");
    return h.length() <= 64 ? h : h.substring(0, 64);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
