package io.wagate.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import io.wagate.TestAppliance;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Text;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per retry class of the error-code table (reference §2.4), each against the emulator:
 * Meta answers the first attempt with the code, and the message must end or wait as the policy
 * says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryTableTest {
    @TempDir
    static Path dir;
    private TestAppliance t;
    private int recipient;

    @BeforeAll
    void start() {
        t = TestAppliance.start(dir);
    }

    @AfterAll
    void stop() {
        t.close();
    }

    /** What the message must look like once Meta answered the first attempt with {@code code}. */
    private record Row(int code, int httpStatus, State settlesIn, Predicate<Message> check, String why) {
        @Override
        public String toString() {
            return code + " (" + why + ")";
        }
    }

    private static long waitMillis(Message m) {
        return Timestamps.toMillis(m.getNextAttemptAt()) - Timestamps.toMillis(m.getUpdatedAt());
    }

    static Stream<Arguments> rows() {
        Predicate<Message> retriedAndSent = m -> m.getAttempts() == 2 && m.getLastError().getRetryable();
        Predicate<Message> failedAtOnce = m -> m.getAttempts() == 1 && !m.getLastError().getRetryable();
        return Stream.of(
                new Row(2, 503, State.SUBMITTED, retriedAndSent, "transient"),
                new Row(131000, 500, State.SUBMITTED, retriedAndSent, "transient"),
                new Row(131016, 503, State.SUBMITTED, retriedAndSent, "transient"),
                new Row(133004, 503, State.SUBMITTED, retriedAndSent, "transient"),
                new Row(1, 400, State.SUBMITTED, retriedAndSent, "unknown API error, bounded retry"),
                new Row(999_001, 502, State.SUBMITTED, retriedAndSent, "code missing from the table, HTTP 5xx"),
                new Row(130429, 400, State.SUBMITTED, m -> m.getAttempts() == 1, "number throttled: attempt not spent"),
                new Row(131056, 400, State.SUBMITTED, m -> m.getAttempts() == 1, "pair throttled: attempt not spent"),
                new Row(131049, 400, State.QUEUED, m -> waitMillis(m) >= 24 * 3600_000L, "not before 24 h"),
                new Row(131026, 400, State.FAILED, failedAtOnce, "undeliverable: permanent"),
                new Row(131047, 400, State.FAILED, failedAtOnce, "outside the 24 h window: permanent"),
                new Row(132001, 404, State.FAILED, failedAtOnce, "template missing: permanent"),
                new Row(100, 400, State.FAILED, failedAtOnce, "invalid parameter: permanent"),
                new Row(131053, 400, State.FAILED, failedAtOnce, "media upload error: permanent"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void metaAnswersTheFirstAttemptWith(Row row) {
        String to = "+1650559" + String.format("%04d", recipient++);
        t.meta.faults().failNext(1, to, row.code(), row.httpStatus());
        String id = t.messages().send(SendRequest.newBuilder().setFrom("support").setTo(to)
                .setText(Text.newBuilder().setBody("row " + row.code())).build()).getId();
        Message m = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> t.messages().get(GetMessageRequest.newBuilder().setId(id).build()),
                x -> x.getState() == row.settlesIn() && x.getLastError().getCode() == row.code());
        assertThat(row.check()).as("%s: %s", row, m).accepts(m);
        assertThat(m.getLastError().getFbtraceId()).isNotEmpty();
    }

    @ParameterizedTest(name = "unknown 4xx code {0} is retried a few times, then FAILED with Meta's details")
    @MethodSource("unknownCodes")
    void unknownCode_boundedRetryThenFailed(int code) {
        String to = "+1650558" + String.format("%04d", code % 10000);
        t.meta.faults().failNext(10, to, code, 400);
        String id = t.messages().send(SendRequest.newBuilder().setFrom("support").setTo(to)
                .setText(Text.newBuilder().setBody("unknown")).build()).getId();
        Message m = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> t.messages().get(GetMessageRequest.newBuilder().setId(id).build()),
                x -> x.getState() == State.FAILED);
        assertThat(m.getAttempts()).isEqualTo(RetryPolicy.MAX_ATTEMPTS_UNKNOWN);
        assertThat(m.getLastError().getCode()).isEqualTo(code);
        assertThat(m.getLastError().getTitle()).isNotEmpty();
    }

    static Stream<Integer> unknownCodes() {
        return Stream.of(999_002, 4_242_424);
    }

    /** Codes that stop the whole number rather than one message: each on an appliance of its own. */
    static Stream<Arguments> numberPauses() {
        return Stream.of(
                Arguments.of(131057, 500, 60_000L, "maintenance: about a minute"),
                Arguments.of(4, 400, 300_000L, "app Graph quota: minutes"),
                Arguments.of(80007, 400, 300_000L, "WABA Graph quota: minutes"),
                Arguments.of(190, 401, 300_000L, "access token expired: pause and alert, not fail"),
                Arguments.of(0, 401, 300_000L, "auth exception"),
                Arguments.of(10, 403, 300_000L, "permission not granted"),
                Arguments.of(200, 403, 300_000L, "permission error range"),
                Arguments.of(368, 403, 300_000L, "policy block"),
                Arguments.of(131031, 403, 300_000L, "account locked"));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("numberPauses")
    void codeThatStopsTheNumber_pausesIt_withOneAlert_andFailsNothing(int code, int http, long pauseMillis,
                                                                      String why, @TempDir Path own) {
        try (TestAppliance a = TestAppliance.start(own)) {
            String to = "+16505557001";
            a.meta.faults().failNext(1, to, code, http);
            String first = a.messages().send(SendRequest.newBuilder().setFrom("support").setTo(to)
                    .setText(Text.newBuilder().setBody("first")).build()).getId();
            Message m = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                    () -> a.messages().get(GetMessageRequest.newBuilder().setId(first).build()),
                    x -> x.getState() == State.QUEUED && x.getLastError().getCode() == code);
            assertThat(m.getAttempts()).as("a pause spends no attempt").isZero();
            assertThat(waitMillis(m)).isEqualTo(pauseMillis);
            // the whole number waits; the other number goes on
            String other = a.messages().send(SendRequest.newBuilder().setFrom("support").setTo("+16505557002")
                    .setText(Text.newBuilder().setBody("waits")).build()).getId();
            String sales = a.messages().send(SendRequest.newBuilder().setFrom("sales").setTo("+16505557003")
                    .setText(Text.newBuilder().setBody("goes")).build()).getId();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.messages().get(
                    GetMessageRequest.newBuilder().setId(sales).build()).getState() == State.SUBMITTED);
            assertThat(a.messages().get(GetMessageRequest.newBuilder().setId(other).build()).getState())
                    .isEqualTo(State.ACCEPTED);
            io.wagate.api.v1.NumberStatus support = a.admin().getStatus(io.wagate.api.v1.GetStatusRequest
                    .getDefaultInstance()).getNumbers(0);
            assertThat(support.getCircuit()).isEqualTo(io.wagate.api.v1.CircuitState.PAUSED);
            assertThat(support.getPausedReason()).startsWith("(#" + code + ")");
            assertThat(support.getPendingMessages()).isEqualTo(2);
            assertThat(a.appliance.metrics().counter("dispatch.number_pauses").getCount()).isEqualTo(1);
            // exactly one alert event, naming the number and Meta's error
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> alerts(a).size() == 1);
            io.wagate.api.v1.Event alert = alerts(a).get(0);
            assertThat(alert.getNumber()).isEqualTo("support");
            assertThat(alert.getAlert().getCode()).isEqualTo("number_paused");
            assertThat(alert.getAlert().getError().getCode()).isEqualTo(code);
            assertThat(alert.getAlert().getUntil().getSeconds() - alert.getOccurredAt().getSeconds())
                    .isBetween(pauseMillis / 1000 - 1, pauseMillis / 1000 + 1);
        }
    }

    private static java.util.List<io.wagate.api.v1.Event> alerts(TestAppliance a) {
        return a.events().read(io.wagate.api.v1.ReadEventsRequest.newBuilder().setFilter(
                io.wagate.api.v1.EventFilter.newBuilder().addKinds(io.wagate.api.v1.EventKind.ALERT)).build())
                .getEventsList();
    }
}
