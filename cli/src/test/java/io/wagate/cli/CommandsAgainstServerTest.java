package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.wagate.api.v1.MessageError;
import io.wagate.api.v1.State;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands against an in-process server: output, JSON, and exit codes from real gRPC statuses. */
class CommandsAgainstServerTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T14:03:04Z"), ZoneOffset.UTC);

  private FakeWagate wagate;

  @BeforeEach
  void start() throws Exception {
    wagate = new FakeWagate();
  }

  @AfterEach
  void stop() {
    wagate.close();
  }

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--target";
    all[args.length + 1] = wagate.target();
    return CliRun.run(FakeWagate.channels(), CLOCK, all);
  }

  @Test
  void send_text_printsAcceptedIdAndState() {
    CliRun r = run("send", "--from", "support", "--to", "+15550001111", "--text", "hello");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("accepted m1 (ACCEPTED)" + System.lineSeparator());
    assertThat(wagate.received).singleElement().satisfies(req -> assertThat(req.getText().getBody()).isEqualTo("hello"));
  }

  @Test
  void send_sameIdempotencyKey_printsDuplicate() {
    run("send", "--from", "support", "--to", "+15550001111", "--text", "a", "--idempotency-key", "k");
    CliRun r = run("send", "--from", "support", "--to", "+15550001111", "--text", "a", "--idempotency-key", "k");
    assertThat(r.out()).startsWith("duplicate of m1 (ACCEPTED)");
    assertThat(wagate.received).hasSize(1);
  }

  @Test
  void send_json_printsTheResponse() {
    CliRun r = run("send", "--from", "support", "--to", "+15550001111", "--text", "hi", "--json");
    assertThat(r.out()).contains("\"id\": \"m1\"", "\"state\": \"ACCEPTED\"");
  }

  @Test
  void send_invalidArgument_printsFieldViolationsAndExits2() {
    CliRun r = run("send", "--from", "support", "--to", "15550001111", "--text", "hi");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .isEqualTo(
            "error: INVALID_ARGUMENT: invalid SendRequest" + System.lineSeparator()
                + "  to: must be E.164 (+16505551234), got \"15550001111\"" + System.lineSeparator());
  }

  @Test
  void get_unknownId_exits3() {
    CliRun r = run("messages", "get", "nope");
    assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("error: NOT_FOUND: no message nope");
  }

  @Test
  void get_printsDetail() {
    run("send", "--from", "support", "--to", "+15550001111", "--text", "hello");
    wagate.messages.computeIfPresent(
        "m1",
        (id, m) ->
            m.toBuilder()
                .setState(State.FAILED)
                .setAttempts(2)
                .setLastError(MessageError.newBuilder().setCode(131047).setTitle("Re-engagement message").setHttpStatus(400))
                .build());
    CliRun r = run("messages", "get", "m1");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("id               m1")
        .contains("state            FAILED")
        .contains("content          \"hello\"")
        .contains("last error       131047 Re-engagement message (http 400)")
        .contains("accepted         2025-03-01T12:00:00Z");
  }

  @Test
  void list_printsTableAndNextPageHint() {
    run("send", "--from", "support", "--to", "+15550001111", "--text", "a");
    run("send", "--from", "support", "--to", "+15550002222", "--image", "https://x/y.png");
    CliRun r = run("messages", "list", "--limit", "1");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines().toList())
        .containsExactly(
            "ID  STATE     FROM     TO            TYPE   ATTEMPTS  ACCEPTED              WAMID/LAST ERROR",
            "m2  ACCEPTED  support  +15550002222  image  0         2025-03-01T12:00:00Z  -",
            "",
            "more: --page-token next");
  }

  @Test
  void list_empty_saysSo() {
    assertThat(run("messages", "list").out()).isEqualTo("no messages" + System.lineSeparator());
  }

  @Test
  void cancel_thenCancelAgainIsNoOp_andWrongStateExits4() {
    run("send", "--from", "support", "--to", "+15550001111", "--text", "a");
    assertThat(run("messages", "cancel", "m1").out()).startsWith("cancelled m1 (CANCELLED)");
    assertThat(run("messages", "cancel", "m1").exit()).isZero();
    wagate.messages.computeIfPresent("m1", (id, m) -> m.toBuilder().setState(State.SENT).build());
    CliRun r = run("messages", "cancel", "m1");
    assertThat(r.exit()).isEqualTo(ExitCodes.PRECONDITION);
    assertThat(r.err()).contains("FAILED_PRECONDITION", "is SENT");
  }

  @Test
  void status_printsFiguresAndUptime() {
    wagate.health.setStatus("", ServingStatus.SERVING);
    CliRun r = run("status");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("version    0.1.0-test")
        .contains("mode       sandbox")
        .contains("health     SERVING")
        .contains("uptime     2h 3m 4s (since 2025-03-01T12:00:00Z)")
        .contains("in flight  2")
        .contains("support  1000             3");
  }

  @Test
  void status_notServing_exits6() {
    wagate.health.setStatus("", ServingStatus.NOT_SERVING);
    CliRun r = run("status", "--json");
    assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.out()).contains("\"health\": \"NOT_SERVING\"", "\"version\": \"0.1.0-test\"");
  }

  @Test
  void unreachableServer_exits6AndNamesTarget() {
    wagate.close();
    CliRun r = run("messages", "get", "m1", "--timeout", "2s");
    assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err()).startsWith("cannot reach Wagate at " + wagate.target() + ": ");
  }

  @Test
  void benchSend_unaryCount_sendsAndReports() {
    CliRun r = run("bench", "send", "--count", "200", "--warmup", "0s", "--concurrency", "4", "--to-count", "10", "--size", "16");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("200 ok, 0 errors", "msg/s", "p99.9");
    assertThat(wagate.received).hasSize(201); // plus the unmeasured preflight message
    assertThat(wagate.received).extracting(m -> m.getTo()).contains("+15550000000", "+15550000009").doesNotContain("+15550000010");
    assertThat(wagate.received.get(0).getText().getBody()).hasSize(16);
    assertThat(wagate.received.get(0).getIdempotencyKey()).isEmpty();
  }

  @Test
  void benchSend_streamJson_withIdempotency() {
    CliRun r =
        run("bench", "send", "--mode", "stream", "--count", "300", "--warmup", "0s", "--concurrency", "3", "--window", "8",
            "--idempotency", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"mode\": \"stream\"", "\"ok\": 300", "\"p99_9\"").doesNotContain("\"baseline\"");
    assertThat(wagate.received).extracting(m -> m.getIdempotencyKey()).doesNotHaveDuplicates().allMatch(k -> !k.isEmpty());
  }

  @Test
  void benchSend_rateWithBaseline_printsTargetAndRatio(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    CliRun r =
        run("bench", "send", "--rate", "500", "--duration", "500ms", "--warmup", "100ms", "--concurrency", "2",
            "--baseline", "--baseline-dir", dir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("fixed rate", "baseline", "fsync", "ratio     send/baseline", "2 × fsync p99 + 2 ms");
    try (var left = java.nio.file.Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void benchSend_errors_exitWithTheirCode() {
    CliRun r = run("bench", "send", "--count", "5", "--warmup", "0s", "--from", "x");
    assertThat(r.exit()).isZero(); // sanity: the fake accepts any alias
    CliRun bad = CliRun.run(FakeWagate.channels(), CLOCK, "bench", "send", "--count", "5", "--target", "in-process:nobody-here", "--timeout", "1s");
    assertThat(bad.exit()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(bad.err()).contains("cannot reach Wagate at in-process:nobody-here");
  }
}
