package io.wagate.cli.commands;

import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.wagate.api.v1.AdminGrpc;
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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code wagatectl status}: Admin.GetStatus plus the standard health check. Exits 0 when Wagate is
 * SERVING (or has no health service), 6 when its health says otherwise.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show Wagate's version, mode, health, uptime, numbers and queue depth.",
      "Exits 6 if the health check does not say SERVING."
    })
public final class StatusCommand extends ApiCommand {

  private static final String NO_HEALTH = "unknown (no health service)";

  /** A status command using {@code context}. */
  public StatusCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    try (Connection c = connect()) {
      Status status =
          c.withDeadline(AdminGrpc.newBlockingStub(c.channel())).getStatus(GetStatusRequest.getDefaultInstance());
      String health = health(c);
      if (json()) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("health", health.equals(NO_HEALTH) ? null : health);
        result.put("status", new Json.Raw(Json.proto(status)));
        out().println(Json.render(result));
      } else {
        print(status, health);
      }
      boolean serving = health.equals(NO_HEALTH) || health.equals(HealthCheckResponse.ServingStatus.SERVING.name());
      return serving ? ExitCodes.OK : ExitCodes.UNREACHABLE;
    }
  }

  private String health(Connection c) {
    try {
      HealthCheckResponse r =
          c.withDeadline(HealthGrpc.newBlockingStub(c.channel())).check(HealthCheckRequest.getDefaultInstance());
      return r.getStatus().name();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Code.UNIMPLEMENTED) {
        return NO_HEALTH;
      }
      throw e;
    }
  }

  private void print(Status s, String health) {
    TextTable t = TextTable.keyValue();
    t.row("version", s.getVersion());
    t.row("mode", s.getMode());
    t.row("health", health);
    t.row("uptime", uptime(s));
    t.row("data dir", s.getDataDir());
    t.row("cloud api", s.getCloudApiBaseUrl());
    t.row("pending", Long.toString(s.getPendingMessages()));
    t.row("in flight", Long.toString(s.getInFlight()));
    t.row("resent", s.getPossibleDuplicateResends()
        + " (sent again though Meta may have them; marked possible_duplicate)");
    t.print(out());
    out().println();
    if (s.getNumbersCount() == 0) {
      out().println("no numbers configured");
      return;
    }
    TextTable numbers = new TextTable("NUMBER", "PHONE NUMBER ID", "PENDING");
    for (NumberStatus n : s.getNumbersList()) {
      numbers.row(n.getAlias(), n.getPhoneNumberId(), Long.toString(n.getPendingMessages()));
    }
    numbers.print(out());
  }

  private String uptime(Status s) {
    if (!s.hasStartedAt()) {
      return "-";
    }
    Instant started = Instant.ofEpochSecond(s.getStartedAt().getSeconds(), s.getStartedAt().getNanos());
    Duration up = Duration.between(started, context.clock().instant());
    return DurationParser.format(up.withNanos(0)) + " (since " + MessageView.time(s.getStartedAt()) + ")";
  }
}
