package io.wagate.cli.commands;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While open, turns the end of the process (Ctrl-C, SIGTERM) into an orderly stop of a
 * long-running command such as {@code events tail}.
 *
 * <p>The shutdown hook runs {@code stop}, waits up to {@code grace} for the command to call
 * {@link #finished} (its output flushed, its cleanup done), then halts the JVM with the command's
 * exit code: a JVM ended by a signal would otherwise exit 130 even when the command stopped
 * cleanly. If the command does not finish in time, or ends by an exception (closing this without
 * {@link #finished}), the JVM exits as it would have.
 *
 * <pre>{@code
 * try (ShutdownStop hook = new ShutdownStop(subscription::stop, Duration.ofSeconds(10))) {
 *   int exit = loop();
 *   hook.finished(exit);
 *   return exit;
 * }
 * }</pre>
 */
final class ShutdownStop implements AutoCloseable {

  private final Thread hook;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile int exitCode;
  private volatile boolean halt;

  ShutdownStop(Runnable stop, Duration grace) {
    this.hook = new Thread(() -> {
      stop.run();
      try {
        if (finished.await(grace.toNanos(), TimeUnit.NANOSECONDS) && halt) {
          Runtime.getRuntime().halt(exitCode);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "wagatectl-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The command is done and has flushed its output; a pending hook may end the process with {@code code}. */
  void finished(int code) {
    this.exitCode = code;
    this.halt = true;
    finished.countDown();
  }

  /** Unregisters the hook, unless the process is already ending; then lets it return at once. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it waits for finished()
    }
  }
}
