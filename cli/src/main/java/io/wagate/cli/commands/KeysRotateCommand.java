package io.wagate.cli.commands;

import io.grpc.StatusRuntimeException;
import io.wagate.api.v1.AdminGrpc;
import io.wagate.api.v1.KeyRotation;
import io.wagate.api.v1.MediaStats;
import io.wagate.api.v1.MediaStatsRequest;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.api.v1.RotateMasterKeyRequest;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.DurationConverter;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.ProgressBar;
import io.wagate.cli.output.ProgressOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wagatectl keys rotate}: starts a rotation of the media master key with
 * {@code Admin.RotateMasterKey}, then follows it through {@code MediaStore.Stats} until the target
 * key is the active one. Stopping the wait (Ctrl-C) leaves the rotation running in the appliance.
 */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Rotate the master key of the media store: every data key is re-wrapped under a new master key"
          + " (the media bytes are not re-encrypted).",
      "Starts the rotation (or resumes an interrupted one), shows its progress and prints the old and the new"
          + " key id when the new key is active.",
      "Ctrl-C only stops waiting (exit 130): the rotation goes on in the appliance; follow it with"
          + " 'wagatectl media stats'.",
      "Exits 4 when the master key comes from a passphrase (re-key offline) or no media store is configured."
    })
public final class KeysRotateCommand extends ApiCommand {

  /** Exit code when the wait is stopped by Ctrl-C or SIGTERM, as a shell reports SIGINT. */
  static final int STOPPED_WAITING = 130;

  @Option(names = "--no-wait", description = "Return once the rotation has started.")
  private boolean noWait;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "500ms",
      hidden = true,
      converter = DurationConverter.class,
      description = "How often to ask for progress (default: ${DEFAULT-VALUE}).")
  private Duration pollInterval;

  @Mixin private ProgressOptions progress;

  private volatile boolean stopped;
  private volatile Thread waiter;

  /** A rotate command using {@code context}. */
  public KeysRotateCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    checkPositive("--poll-interval", pollInterval);
    try (Connection c = connect()) {
      String oldKey = stats(c).getMasterKeyId();
      KeyRotation started = c.withDeadline(AdminGrpc.newBlockingStub(c.channel()))
          .rotateMasterKey(RotateMasterKeyRequest.getDefaultInstance());
      String target = started.getTargetKeyId();
      if (noWait) {
        report(oldKey, started, false);
        return ExitCodes.OK;
      }
      err().println("rotating master key " + oldKey + " -> " + target + " (Ctrl-C stops waiting, not the rotation)");
      try (ShutdownStop hook = new ShutdownStop(this::stopWaiting, c.settings().timeout().plusSeconds(5))) {
        KeyRotation last = await(c, target, started);
        int exit = last == null ? STOPPED_WAITING : last.getFinished() ? ExitCodes.OK : ExitCodes.FAILURE;
        if (exit == ExitCodes.FAILURE) {
          err().println("error: the rotation to " + target + " is not reported by MediaStore.Stats, yet the active"
              + " key is still " + last.getTargetKeyId() + "; it may have failed: see the Wagate log");
        } else if (last == null) {
          err().println("stopped waiting; the rotation to " + target
              + " goes on in the appliance: follow it with 'wagatectl media stats'");
        } else {
          report(oldKey, last, true);
        }
        out().flush();
        err().flush();
        hook.finished(exit);
        return exit;
      }
    }
  }

  /**
   * Polls Stats until {@code target} is the active key. Returns the finished rotation; an
   * unfinished one whose target is the key then active if the rotation vanished without switching
   * (or never showed up within {@code --timeout}); null if the wait was stopped.
   */
  private KeyRotation await(Connection c, String target, KeyRotation started) {
    waiter = Thread.currentThread();
    ProgressBar bar = ProgressBar.count(progress.enabled(context.prompter().interactive()), err(),
        "re-wrapping data keys", started.getTotal());
    KeyRotation last = started;
    boolean seen = false;
    // the appliance answers before its background thread records the rotation: until Stats shows
    // it, the old key and no rotation are expected, for a while
    long showUpBy = System.nanoTime() + connectionOptions().settings().timeout().toNanos();
    try {
      while (!stopped) {
        MediaStats s;
        try {
          s = stats(c);
        } catch (StatusRuntimeException e) {
          if (stopped) {
            break;   // the interrupt of a stop cancelled the call
          }
          throw e;
        }
        if (s.hasRotation()) {
          seen = true;
          last = s.getRotation();
          bar.total(last.getTotal());
          bar.update(last.getDone());
        } else if (s.getMasterKeyId().equals(target)) {
          bar.update(last.getTotal());
          bar.finish();
          return last.toBuilder().setDone(last.getTotal()).setFinished(true).build();
        } else if (seen || System.nanoTime() - showUpBy > 0) {
          return KeyRotation.newBuilder().setTargetKeyId(s.getMasterKeyId()).build();
        }
        Thread.sleep(pollInterval.toMillis());
      }
    } catch (InterruptedException e) {
      // the shutdown hook interrupts the sleep
    } finally {
      bar.abandon();
    }
    return null;
  }

  private void stopWaiting() {
    stopped = true;
    Thread w = waiter;
    if (w != null) {
      w.interrupt();
    }
  }

  private MediaStats stats(Connection c) {
    return c.withDeadline(MediaStoreGrpc.newBlockingStub(c.channel())).stats(MediaStatsRequest.getDefaultInstance());
  }

  private void report(String oldKey, KeyRotation r, boolean finished) {
    if (json()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("old_key_id", oldKey);
      result.put("new_key_id", r.getTargetKeyId());
      result.put("finished", finished);
      result.put("rotation", new Json.Raw(Json.proto(r)));
      out().println(Json.render(result));
    } else if (finished) {
      out().println("rotated master key " + oldKey + " -> " + r.getTargetKeyId() + " (" + r.getTotal()
          + " data keys re-wrapped)");
    } else {
      out().println("rotation started: master key " + oldKey + " -> " + r.getTargetKeyId()
          + "; follow it with 'wagatectl media stats'");
    }
  }
}
