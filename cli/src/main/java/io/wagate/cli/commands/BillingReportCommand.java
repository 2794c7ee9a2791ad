package io.wagate.cli.commands;

import io.wagate.api.v1.BillingDimension;
import io.wagate.api.v1.BillingGrpc;
import io.wagate.api.v1.BillingReport;
import io.wagate.api.v1.BillingReportRequest;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.BillingView;
import io.wagate.cli.output.Json;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wagatectl billing report}: billable and free messages and their estimated cost, grouped. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Billable and free messages and their estimated cost (billable x the price table, policy.billing) over a"
          + " range of UTC days, grouped by number, category, country, day or pricing type.",
      "Counts come from the pricing in Meta's status webhooks; a billable category without a price is counted and"
          + " named under NOTE, and left out of the cost."
    })
public final class BillingReportCommand extends ApiCommand {

  @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First UTC day (inclusive).")
  private String from;

  @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last UTC day (inclusive).")
  private String to;

  @Option(
      names = "--by",
      paramLabel = "DIMENSION",
      split = ",",
      description = "Group by; repeatable or comma-separated: number, category, country, day, type (pricing type)."
          + " Default: category.")
  private List<String> by = new ArrayList<>();

  @Option(
      names = "--number",
      paramLabel = "ALIAS",
      split = ",",
      description = "Only these numbers (alias or phone-number id); repeatable or comma-separated.")
  private List<String> numbers = new ArrayList<>();

  @Option(
      names = "--csv",
      description = "Print CSV (RFC 4180: a header row, then one row per group; no totals row) instead of a table.")
  private boolean csv;

  /** A report command using {@code context}. */
  public BillingReportCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    parseOption("--from", from, BillingReportCommand::day);
    parseOption("--to", to, BillingReportCommand::day);
    Set<BillingDimension> dims = EnumSet.noneOf(BillingDimension.class);
    for (String b : by.isEmpty() ? List.of("category") : by) {
      dims.add(parseOption("--by", b, BillingReportCommand::dimension));
    }
    if (csv && json()) {
      throw new picocli.CommandLine.ParameterException(spec().commandLine(), "--csv and --json exclude each other");
    }
    BillingReportRequest request = BillingReportRequest.newBuilder()
        .setFrom(from).setTo(to).addAllGroupBy(dims).addAllNumbers(numbers).build();
    try (Connection c = connect()) {
      BillingReport r = c.withDeadline(BillingGrpc.newBlockingStub(c.channel())).report(request);
      if (json()) {
        out().println(Json.proto(r));
      } else if (csv) {
        BillingView.printCsv(r, dims, out());
      } else {
        BillingView.printTable(r, dims, out());
      }
      return ExitCodes.OK;
    }
  }

  private static LocalDate day(String s) {
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expected a day as YYYY-MM-DD, got '" + s + "'");
    }
  }

  private static BillingDimension dimension(String s) {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "number":
        return BillingDimension.BY_NUMBER;
      case "category":
        return BillingDimension.BY_CATEGORY;
      case "country":
        return BillingDimension.BY_COUNTRY;
      case "day":
        return BillingDimension.BY_DAY;
      case "type":
      case "pricing-type":
        return BillingDimension.BY_PRICING_TYPE;
      default:
        throw new IllegalArgumentException("expected number, category, country, day or type, got '" + s + "'");
    }
  }
}
