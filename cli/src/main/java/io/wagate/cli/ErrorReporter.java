package io.wagate.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an exception that ended a command into lines on stderr and an exit code.
 *
 * <p>gRPC failures print {@code error: CODE: description} followed by the structured details the
 * server attached ({@code google.rpc.BadRequest} field violations one per line as
 * {@code   field: description}, {@code PreconditionFailure} violations, {@code ErrorInfo}). When
 * Wagate cannot be reached the message says so and names the target.
 */
public final class ErrorReporter {

  private ErrorReporter() {}

  /**
   * Reports {@code failure} on {@code err}.
   *
   * @param target the {@code host:port} the command talked to, or null if none
   * @return the exit code for this failure
   */
  public static int report(Throwable failure, String target, PrintWriter err) {
    if (failure instanceof StatusRuntimeException || failure instanceof StatusException) {
      return reportStatus(failure, target, err);
    }
    if (failure instanceof IllegalArgumentException) {
      err.println("error: " + failure.getMessage());
      return ExitCodes.USAGE;
    }
    err.println("error: " + failure);
    return ExitCodes.FAILURE;
  }

  private static int reportStatus(Throwable failure, String target, PrintWriter err) {
    Status status = Status.fromThrowable(failure);
    Status.Code code = status.getCode();
    if (ExitCodes.isUnreachable(code)) {
      err.println(
          "cannot reach Wagate at " + (target == null ? "?" : target) + ": " + describe(status));
    } else {
      err.println("error: " + code + ": " + describe(status));
    }
    com.google.rpc.Status rich = StatusProto.fromThrowable(failure);
    if (rich != null) {
      for (Any detail : rich.getDetailsList()) {
        printDetail(detail, err);
      }
    }
    return ExitCodes.forStatus(code);
  }

  private static String describe(Status status) {
    String text = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
    Throwable cause = status.getCause();
    if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
      text = text + " (" + cause.getMessage() + ")";
    }
    return text;
  }

  private static void printDetail(Any detail, PrintWriter err) {
    try {
      if (detail.is(BadRequest.class)) {
        for (BadRequest.FieldViolation v : detail.unpack(BadRequest.class).getFieldViolationsList()) {
          err.println("  " + v.getField() + ": " + v.getDescription());
        }
      } else if (detail.is(PreconditionFailure.class)) {
        for (PreconditionFailure.Violation v :
            detail.unpack(PreconditionFailure.class).getViolationsList()) {
          err.println("  " + v.getType() + " " + v.getSubject() + ": " + v.getDescription());
        }
      } else if (detail.is(ErrorInfo.class)) {
        ErrorInfo info = detail.unpack(ErrorInfo.class);
        err.println("  reason: " + info.getReason() + (info.getDomain().isEmpty() ? "" : " (" + info.getDomain() + ")"));
        for (Map.Entry<String, String> e : new TreeMap<>(info.getMetadataMap()).entrySet()) {
          err.println("  " + e.getKey() + ": " + e.getValue());
        }
      }
    } catch (InvalidProtocolBufferException e) {
      err.println("  (unreadable error detail " + detail.getTypeUrl() + ")");
    }
  }
}
