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
                new Row(131057, 500, State.QUEUED, m -> waitMillis(m) >= 30_000 && waitMillis(m) <= 60_000,
                        "maintenance: about a minute"),
                new Row(4, 400, State.QUEUED, m -> waitMillis(m) >= 150_000, "app Graph quota: minutes"),
                new Row(80007, 400, State.QUEUED, m -> waitMillis(m) >= 150_000, "WABA Graph quota: minutes"),
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
}
