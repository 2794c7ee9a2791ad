package io.wagate.cli;

import io.grpc.Status;

/**
 * The exit codes of {@code wagatectl}, and the one place where a gRPC status code becomes one.
 *
 * <p>Scripts may rely on these values; they are printed in every command's {@code --help}.
 */
public final class ExitCodes {

  /** The command did what was asked. */
  public static final int OK = 0;
  /** Anything not listed below: an unexpected server or client error. */
  public static final int FAILURE = 1;
  /** Bad command line (picocli usage error) or INVALID_ARGUMENT from the server. */
  public static final int USAGE = 2;
  /** NOT_FOUND: unknown message id or other name. */
  public static final int NOT_FOUND = 3;
  /** FAILED_PRECONDITION: wrong state, outside the 24-hour window, template not approved. */
  public static final int PRECONDITION = 4;
  /** RESOURCE_EXHAUSTED: queue or disk full, rate limited. */
  public static final int EXHAUSTED = 5;
  /** UNAVAILABLE or DEADLINE_EXCEEDED: Wagate could not be reached or did not answer in time. */
  public static final int UNREACHABLE = 6;
  /** UNAUTHENTICATED or PERMISSION_DENIED. */
  public static final int DENIED = 7;

  /** The table above as a picocli help footer (a constant so annotations may use it too). */
  public static final String HELP_FOOTER =
      "%nExit codes:%n"
          + "  0  ok%n"
          + "  1  other error%n"
          + "  2  usage error or INVALID_ARGUMENT%n"
          + "  3  NOT_FOUND%n"
          + "  4  FAILED_PRECONDITION%n"
          + "  5  RESOURCE_EXHAUSTED%n"
          + "  6  UNAVAILABLE or DEADLINE_EXCEEDED (cannot reach Wagate)%n"
          + "  7  UNAUTHENTICATED or PERMISSION_DENIED%n";

  private ExitCodes() {}

  /** Returns the exit code for a gRPC status code. */
  public static int forStatus(Status.Code code) {
    switch (code) {
      case OK:
        return OK;
      case INVALID_ARGUMENT:
        return USAGE;
      case NOT_FOUND:
        return NOT_FOUND;
      case FAILED_PRECONDITION:
        return PRECONDITION;
      case RESOURCE_EXHAUSTED:
        return EXHAUSTED;
      case UNAVAILABLE:
      case DEADLINE_EXCEEDED:
        return UNREACHABLE;
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        return DENIED;
      default:
        return FAILURE;
    }
  }

  /** True for the codes that mean "could not talk to Wagate" rather than "Wagate said no". */
  public static boolean isUnreachable(Status.Code code) {
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
  }
}
