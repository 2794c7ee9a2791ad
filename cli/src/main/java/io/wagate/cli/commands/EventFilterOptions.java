package io.wagate.cli.commands;

import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.EventKind;
import io.wagate.cli.args.EventKindConverter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --number} and {@code --kind} options of {@code events tail} and {@code events read}. */
public final class EventFilterOptions {

  @Option(
      names = "--number",
      paramLabel = "ALIAS",
      split = ",",
      description = "Only events of this number (alias or phone-number id); repeatable or comma-separated.")
  private List<String> numbers = new ArrayList<>();

  @Option(
      names = "--kind",
      paramLabel = "KIND",
      split = ",",
      converter = EventKindConverter.class,
      description = "Only these kinds; repeatable or comma-separated: " + EventKindConverter.NAMES + ".")
  private List<EventKind> kinds = new ArrayList<>();

  /** The filter these options describe; empty lists mean all numbers, all kinds. */
  public EventFilter filter() {
    return EventFilter.newBuilder().addAllNumbers(numbers).addAllKinds(kinds).build();
  }
}
