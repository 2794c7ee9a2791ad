package io.wagate.cli.bench;

import io.grpc.Status;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.DurationConverter;
import io.wagate.cli.args.DurationParser;
import io.wagate.cli.commands.ApiCommand;
import io.wagate.cli.commands.CommandContext;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code wagatectl bench send}: a load generator against Messages.Send / SendStream with an
 * optional same-run RocksDB baseline. See {@link SendLoadGenerator} for how load is shaped and
 * measured, {@link RocksDbBaseline} for the baseline.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Load Wagate with text messages and print throughput and latency (p50/p99/p99.9/max).",
      "",
      "Closed loop by default (--concurrency callers, or streams with --mode stream). With --rate the",
      "load is open loop: latency is measured from each message's intended send time, so stalls are",
      "not hidden (no coordinated omission).",
      "",
      "--baseline first runs a raw RocksDB loop in this process: --concurrency threads writing",
      "1 KiB records with sync=true for the same count or duration, then one thread timing synced",
      "writes (fsync p50/p99; at most 10s or 20000 writes). It prints the ratio send/baseline and,",
      "with --rate, the target 2 × fsync p99 + 2 ms beside the Send p99. Put --baseline-dir on the",
      "disk that holds Wagate's data directory (for example under /var/lib/wagate): the system temp",
      "dir is often tmpfs, where sync is free and the baseline meaningless. The scratch directory is",
      "deleted afterwards. Run the benchmark on the appliance host so both share the machine.",
      "",
      "One extra message is sent before the run to check the target; it is not measured.",
      "Exit code: 0 when every message was accepted, else the code of the most frequent error."
    })
public final class BenchSendCommand extends ApiCommand {

  @Option(names = "--mode", paramLabel = "unary|stream", defaultValue = "unary", converter = ModeConverter.class,
      description = "Send calls, or SendStream streams (default: ${DEFAULT-VALUE}).")
  private LoadPlan.Mode mode;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "64",
      description = "Callers or streams; with --rate, the most unary calls in flight, or the number of streams; also the baseline's threads (default: ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(names = "--rate", paramLabel = "MSG_PER_S", description = "Fixed rate, open loop.")
  private Double rate;

  @ArgGroup(exclusive = true)
  private Amount amount;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "Unmeasured time first (default: ${DEFAULT-VALUE}).")
  private Duration warmup;

  @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1024", description = "Text body size, 1..4096 (default: ${DEFAULT-VALUE}).")
  private int size;

  @Option(names = "--window", paramLabel = "N", defaultValue = "32", description = "Stream mode: requests in flight per stream (default: ${DEFAULT-VALUE}).")
  private int window;

  @Option(names = "--from", paramLabel = "ALIAS", defaultValue = "sandbox", description = "Sender alias (default: ${DEFAULT-VALUE}).")
  private String from;

  @Option(names = "--to-count", paramLabel = "N", defaultValue = "1000",
      description = "Distinct +1555… recipients, so per-conversation order does not serialise the run (default: ${DEFAULT-VALUE}).")
  private int toCount;

  @Option(names = "--idempotency", description = "Give every message a unique idempotency key (default: none).")
  private boolean idempotency;

  @ArgGroup(exclusive = false)
  private BaselineOptions baseline;

  /** A bench command using {@code context}. */
  public BenchSendCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() throws InterruptedException {
    LoadPlan plan = plan();
    RequestSource requests = requests();
    RocksDbBaseline.Result base = null;
    LoadResult result;
    String target;
    try (Connection c = connect()) {
      target = c.settings().target().toString();
      // before the baseline, so a wrong target, alias or credentials fails in a second, with its exit code
      c.withDeadline(MessagesGrpc.newBlockingStub(c.channel())).send(requests.next());
      if (baseline != null) {
        Path dir = baseline.dir != null ? baseline.dir : Path.of(System.getProperty("java.io.tmpdir"));
        err().printf(Locale.ROOT, "baseline: %d RocksDB writers with sync=true under %s ...%n", plan.concurrency(), dir);
        err().flush();
        base = RocksDbBaseline.run(dir,
            new RocksDbBaseline.Plan(plan.concurrency(), plan.count(), plan.duration(), plan.warmup(), 1024));
      }
      err().printf(Locale.ROOT, "send: %s ...%n", plan.count() > 0
          ? plan.count() + " messages after " + DurationParser.format(plan.warmup()) + " warmup"
          : DurationParser.format(plan.duration()) + " after " + DurationParser.format(plan.warmup()) + " warmup");
      err().flush();
      result = new SendLoadGenerator(c.channel(), plan, requests).run();
    }
    BenchReport report = new BenchReport(target, plan, size, toCount, result, base);
    if (json()) {
      out().println(Json.render(report.toJson()));
    } else {
      report.print(out());
    }
    if (result.abort() != null) {
      return ExitCodes.forStatus(result.abort().getCode());
    }
    Status.Code worst = result.mostFrequentError();
    return worst == null ? ExitCodes.OK : ExitCodes.forStatus(worst);
  }

  /** The plan the options describe. */
  LoadPlan plan() {
    long count = amount != null && amount.count != null ? amount.count : 0;
    Duration duration = amount != null && amount.duration != null ? amount.duration : Duration.ofSeconds(30);
    if (amount != null && amount.count != null && amount.count < 1) {
      throw usage("--count must be > 0, got " + amount.count);
    }
    if (rate != null && !(rate > 0)) {
      throw usage("--rate must be > 0, got " + rate);
    }
    try {
      return new LoadPlan(mode, concurrency, rate == null ? 0 : rate, window, count, duration, warmup,
          connectionOptions().settings().timeout());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private RequestSource requests() {
    try {
      String prefix = idempotency ? "bench-" + UUID.randomUUID() + "-" : null;
      return new RequestSource(from, toCount, size, prefix);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec().commandLine(), message);
  }

  static final class Amount {
    @Option(names = "--count", paramLabel = "N", description = "Measured messages.")
    Long count;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Measured time (default: 30s).")
    Duration duration;
  }

  static final class BaselineOptions {
    @Option(names = "--baseline", required = true, description = "Also run the raw RocksDB baseline in this process.")
    boolean enabled;

    @Option(names = "--baseline-dir", paramLabel = "DIR",
        description = "Parent of the baseline's scratch directory: Wagate's data disk (default: the system temp dir).")
    Path dir;
  }

  /** {@code unary} or {@code stream}, any case. */
  static final class ModeConverter implements ITypeConverter<LoadPlan.Mode> {
    @Override
    public LoadPlan.Mode convert(String value) {
      try {
        return LoadPlan.Mode.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected unary or stream, got '" + value + "'");
      }
    }
  }
}
