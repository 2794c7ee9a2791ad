package io.wagate.cli.output;

import picocli.CommandLine.Option;

/** {@code --progress/--no-progress}, mixed into the commands that draw a {@link ProgressBar}. */
public final class ProgressOptions {

  @Option(
      names = "--progress",
      negatable = true,
      description = "Draw a progress bar on stderr. Default: on when wagatectl runs on a terminal (stdin and"
          + " stdout); --progress draws it when stdout is a pipe.")
  private Boolean progress;

  /** Whether to draw: as asked, else when {@code terminal}. */
  public boolean enabled(boolean terminal) {
    return progress != null ? progress : terminal;
  }
}
