package io.wagate.cli;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.wagate.cli.bench.BenchCommand;
import io.wagate.cli.bench.BenchSendCommand;
import io.wagate.cli.commands.BillingCommand;
import io.wagate.cli.commands.BillingReportCommand;
import io.wagate.cli.commands.CommandContext;
import io.wagate.cli.commands.EventsCommand;
import io.wagate.cli.commands.EventsGroupsCommand;
import io.wagate.cli.commands.EventsReadCommand;
import io.wagate.cli.commands.EventsRewindCommand;
import io.wagate.cli.commands.EventsTailCommand;
import io.wagate.cli.commands.KeysCommand;
import io.wagate.cli.commands.KeysRotateCommand;
import io.wagate.cli.commands.ContactsCommand;
import io.wagate.cli.commands.ContactsWindowCommand;
import io.wagate.cli.commands.MediaCommand;
import io.wagate.cli.commands.TemplatesCommand;
import io.wagate.cli.commands.TemplatesCreateCommand;
import io.wagate.cli.commands.TemplatesLsCommand;
import io.wagate.cli.commands.TemplatesRmCommand;
import io.wagate.cli.commands.TemplatesShowCommand;
import io.wagate.cli.commands.TemplatesSyncCommand;
import io.wagate.cli.commands.MediaGetCommand;
import io.wagate.cli.commands.MediaLsCommand;
import io.wagate.cli.commands.MediaPutCommand;
import io.wagate.cli.commands.MediaRmCommand;
import io.wagate.cli.commands.MediaStatsCommand;
import io.wagate.cli.commands.MessagesCancelCommand;
import io.wagate.cli.commands.ConsentCommand;
import io.wagate.cli.commands.ConsentGetCommand;
import io.wagate.cli.commands.ConsentLsCommand;
import io.wagate.cli.commands.ConsentSetCommand;
import io.wagate.cli.commands.MessagesCommand;
import io.wagate.cli.commands.MessagesGetCommand;
import io.wagate.cli.commands.MessagesListCommand;
import io.wagate.cli.commands.SandboxCommand;
import io.wagate.cli.commands.SandboxInboundCommand;
import io.wagate.cli.commands.SandboxMarketingCommand;
import io.wagate.cli.commands.SandboxTemplateCommand;
import io.wagate.cli.commands.SendCommand;
import io.wagate.cli.commands.NumbersCommand;
import io.wagate.cli.commands.Prompter;
import io.wagate.cli.commands.StatusCommand;
import io.wagate.cli.connection.ChannelFactory;
import io.wagate.cli.connection.ConnectionOptions;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code wagatectl}: the command tree, wired explicitly so tests can inject a {@link ChannelFactory}
 * (in-process channels) and a clock.
 *
 * <pre>{@code
 * int exit = new Wagatectl(settings -> InProcessChannelBuilder.forName("t").build(), Clock.systemUTC())
 *     .run(new String[] {"messages", "get", "m1", "--target", "in-process:t"}, out, err);
 * }</pre>
 *
 * <p>Every failure of a command ends in {@link ErrorReporter} and {@link ExitCodes}; usage errors
 * print one line and a hint and exit 2. One instance may run several command lines, one at a time.
 */
@Command(
    name = "wagatectl",
    mixinStandardHelpOptions = true,
    versionProvider = Wagatectl.Version.class,
    description = "Operate and use a Wagate appliance over its gRPC API.",
    footer = ExitCodes.HELP_FOOTER)
public final class Wagatectl implements Callable<Integer> {

  private final CommandContext context;

  @Spec private CommandSpec spec;

  /** Production wiring: Netty channels, the system clock. */
  public Wagatectl() {
    this(ChannelFactory.netty(), Clock.systemUTC());
  }

  /** Custom wiring, for tests and embedding; confirmations are asked on the process's terminal. */
  public Wagatectl(ChannelFactory channels, Clock clock) {
    this(channels, clock, Prompter.console());
  }

  /** Custom wiring with another way of asking for confirmations. */
  public Wagatectl(ChannelFactory channels, Clock clock, Prompter prompter) {
    this.context = new CommandContext(channels, clock, prompter);
  }

  /** Custom wiring that also captures binary output ({@code media get -o -}). */
  public Wagatectl(ChannelFactory channels, Clock clock, Prompter prompter, OutputStream stdout) {
    this.context = new CommandContext(channels, clock, prompter, stdout);
  }

  /** Runs {@code wagatectl} and exits with its exit code. */
  public static void main(String[] args) {
    // Netty would log through SLF4J if it finds the API, and wagatectl ships no SLF4J provider
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    System.exit(new Wagatectl().run(args));
  }

  /** Runs one command line on stdout/stderr and returns its exit code. */
  public int run(String[] args) {
    Charset cs = Charset.defaultCharset();
    return run(args, new PrintWriter(new OutputStreamWriter(System.out, cs), true),
        new PrintWriter(new OutputStreamWriter(System.err, cs), true));
  }

  /** Runs one command line, printing to {@code out} and {@code err}, and returns its exit code. */
  public int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The configured command tree; exposed for tests that only parse. */
  public CommandLine commandLine() {
    CommandLine root = new CommandLine(this);
    root.addSubcommand(new CommandLine(new StatusCommand(context)));
    root.addSubcommand(new CommandLine(new NumbersCommand(context)));
    root.addSubcommand(new CommandLine(new SendCommand(context)));
    root.addSubcommand(
        new CommandLine(new MessagesCommand())
            .addSubcommand(new CommandLine(new MessagesGetCommand(context)))
            .addSubcommand(new CommandLine(new MessagesListCommand(context)))
            .addSubcommand(new CommandLine(new MessagesCancelCommand(context))));
    root.addSubcommand(
        new CommandLine(new SandboxCommand())
            .addSubcommand(new CommandLine(new SandboxInboundCommand(context)))
            .addSubcommand(new CommandLine(new SandboxTemplateCommand(context)))
            .addSubcommand(new CommandLine(new SandboxMarketingCommand(context))));
    root.addSubcommand(
        new CommandLine(new EventsCommand())
            .addSubcommand(new CommandLine(new EventsTailCommand(context)))
            .addSubcommand(new CommandLine(new EventsGroupsCommand(context)))
            .addSubcommand(new CommandLine(new EventsRewindCommand(context)))
            .addSubcommand(new CommandLine(new EventsReadCommand(context))));
    root.addSubcommand(
        new CommandLine(new MediaCommand())
            .addSubcommand(new CommandLine(new MediaPutCommand(context)))
            .addSubcommand(new CommandLine(new MediaGetCommand(context)))
            .addSubcommand(new CommandLine(new MediaLsCommand(context)))
            .addSubcommand(new CommandLine(new MediaRmCommand(context)))
            .addSubcommand(new CommandLine(new MediaStatsCommand(context))));
    root.addSubcommand(
        new CommandLine(new TemplatesCommand())
            .addSubcommand(new CommandLine(new TemplatesLsCommand(context)))
            .addSubcommand(new CommandLine(new TemplatesShowCommand(context)))
            .addSubcommand(new CommandLine(new TemplatesSyncCommand(context)))
            .addSubcommand(new CommandLine(new TemplatesCreateCommand(context)))
            .addSubcommand(new CommandLine(new TemplatesRmCommand(context))));
    root.addSubcommand(
        new CommandLine(new ContactsCommand()).addSubcommand(new CommandLine(new ContactsWindowCommand(context))));
    root.addSubcommand(
        new CommandLine(new KeysCommand()).addSubcommand(new CommandLine(new KeysRotateCommand(context))));
    root.addSubcommand(
        new CommandLine(new BenchCommand()).addSubcommand(new CommandLine(new BenchSendCommand(context))));
    root.addSubcommand(
        new CommandLine(new ConsentCommand())
            .addSubcommand(new CommandLine(new ConsentSetCommand(context)))
            .addSubcommand(new CommandLine(new ConsentGetCommand(context)))
            .addSubcommand(new CommandLine(new ConsentLsCommand(context))));
    root.addSubcommand(
        new CommandLine(new BillingCommand()).addSubcommand(new CommandLine(new BillingReportCommand(context))));
    configure(root);
    root.setParameterExceptionHandler(Wagatectl::usageError);
    root.setExecutionExceptionHandler(
        (e, cl, parseResult) -> ErrorReporter.report(e, targetOf(cl), cl.getErr()));
    return root;
  }

  /** Run without a subcommand: usage on stderr, exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("error: missing command");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  private static void configure(CommandLine cl) {
    // the exit-code table belongs in every command's help, not only the root's
    cl.getCommandSpec().usageMessage().footer(ExitCodes.HELP_FOOTER);
    cl.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
    cl.getCommandSpec().exitCodeOnExecutionException(ExitCodes.FAILURE);
    for (CommandLine sub : cl.getSubcommands().values()) {
      configure(sub);
    }
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String message = e.getMessage();
    // picocli starts some messages with "Error: " itself
    err.println("error: " + (message.startsWith("Error: ") ? message.substring("Error: ".length()) : message));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    return ExitCodes.USAGE;
  }

  private static String targetOf(CommandLine cl) {
    for (CommandSpec mixin : cl.getCommandSpec().mixins().values()) {
      if (mixin.userObject() instanceof ConnectionOptions options && options.target() != null) {
        return options.target().toString();
      }
    }
    return null;
  }

  /** {@code --version}: the jar's Implementation-Version, or {@code dev} when run from classes. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Wagatectl.class.getPackage().getImplementationVersion();
      return new String[] {"wagatectl " + (v == null ? "dev" : v)};
    }
  }
}
