package io.wagate.cli.commands;

import com.google.protobuf.util.Durations;
import io.wagate.api.v1.AdminGrpc;
import io.wagate.api.v1.CircuitState;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.NumberStatus;
import io.wagate.api.v1.Status;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.DurationParser;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.MessageView;
import io.wagate.cli.output.TextTable;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;

/**
 * {@code wagatectl numbers}: per sending number, whether it sends (circuit), at what rate, and
 * what waits for it, from Admin.GetStatus.
 */
@Command(
    name = "numbers",
    mixinStandardHelpOptions = true,
    description = {
      "Show each number's sending state: throughput, current paced rate, circuit (closed, open,",
      "half_open, paused and why), queue depth by lane, the oldest message's age, requests in flight."
    })
public final class NumbersCommand extends ApiCommand {

  /** A numbers command using {@code context}. */
  public NumbersCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    try (Connection c = connect()) {
      Status status =
          c.withDeadline(AdminGrpc.newBlockingStub(c.channel())).getStatus(GetStatusRequest.getDefaultInstance());
      if (json()) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < status.getNumbersCount(); i++) {
          b.append(i == 0 ? "" : ",").append(Json.proto(status.getNumbers(i)));
        }
        out().println(Json.render(new Json.Raw(b.append("]").toString())));
        return ExitCodes.OK;
      }
      TextTable t = new TextTable("NUMBER", "PHONE NUMBER ID", "THROUGHPUT", "RATE", "CIRCUIT",
          "PENDING (HIGH/NORMAL/BULK)", "OLDEST", "IN FLIGHT");
      for (NumberStatus n : status.getNumbersList()) {
        t.row(n.getAlias(), n.getPhoneNumberId(), n.getThroughput() + "/s",
            String.format(Locale.ROOT, "%.1f/s", n.getPacedRate()), circuit(n),
            n.getPendingMessages() + " (" + n.getPendingHigh() + "/" + n.getPendingNormal() + "/"
                + n.getPendingBulk() + ")",
            n.hasOldestAge() ? DurationParser.format(Duration.ofMillis(Durations.toMillis(n.getOldestAge()))) : "-",
            Long.toString(n.getInFlight()));
      }
      t.print(out());
      return ExitCodes.OK;
    }
  }

  private static String circuit(NumberStatus n) {
    String state = n.getCircuit() == CircuitState.CIRCUIT_STATE_UNSPECIFIED
        ? "-" : n.getCircuit().name().toLowerCase(Locale.ROOT);
    if (n.getCircuit() == CircuitState.PAUSED || n.getCircuit() == CircuitState.OPEN) {
      state += " until " + MessageView.time(n.getNextProbeAt());
      if (!n.getPausedReason().isEmpty()) {
        state += ": " + n.getPausedReason();
      }
    }
    return state;
  }
}
