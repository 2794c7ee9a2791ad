package io.wagate.cli.output;

import picocli.CommandLine.Option;

/** The {@code --json} option every command mixes in. */
public final class OutputOptions {

  @Option(names = "--json", description = "Print JSON (protobuf JSON mapping for API objects) instead of text.")
  private boolean json;

  /** True when the user asked for JSON. */
  public boolean json() {
    return json;
  }
}
