package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ExitCodesTest {

  @ParameterizedTest
  @CsvSource({
    "OK, 0",
    "INVALID_ARGUMENT, 2",
    "NOT_FOUND, 3",
    "FAILED_PRECONDITION, 4",
    "RESOURCE_EXHAUSTED, 5",
    "UNAVAILABLE, 6",
    "DEADLINE_EXCEEDED, 6",
    "UNAUTHENTICATED, 7",
    "PERMISSION_DENIED, 7",
    "INTERNAL, 1",
    "UNKNOWN, 1",
    "UNIMPLEMENTED, 1",
    "ALREADY_EXISTS, 1",
    "ABORTED, 1",
    "CANCELLED, 1",
    "DATA_LOSS, 1",
    "OUT_OF_RANGE, 1"
  })
  void forStatus_mapsTheDocumentedTable(Status.Code code, int exit) {
    assertThat(ExitCodes.forStatus(code)).isEqualTo(exit);
  }

  @ParameterizedTest
  @EnumSource(Status.Code.class)
  void forStatus_everyCodeHasAnExitCodeInTheFooter(Status.Code code) {
    int exit = ExitCodes.forStatus(code);
    assertThat(String.format(ExitCodes.HELP_FOOTER)).contains("  " + exit + "  ");
    if (exit > ExitCodes.FAILURE && exit != ExitCodes.USAGE) {
      assertThat(ExitCodes.HELP_FOOTER).contains(code.name());
    }
  }

  @org.junit.jupiter.api.Test
  void help_showsTheExitCodeTableOnRootAndSubcommands() {
    assertThat(CliRun.parseOnly("--help").out()).contains("Exit codes:", "6  UNAVAILABLE or DEADLINE_EXCEEDED");
    assertThat(CliRun.parseOnly("messages", "list", "--help").out()).contains("Exit codes:", "3  NOT_FOUND");
    assertThat(CliRun.parseOnly("bench", "send", "--help").out()).contains("Exit codes:", "--baseline-dir");
  }
}
