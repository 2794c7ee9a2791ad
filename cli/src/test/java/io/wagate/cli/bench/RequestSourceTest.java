package io.wagate.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.api.v1.SendRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestSourceTest {

  @Test
  void next_roundRobinsRecipientsWithFixedSizeBody() {
    RequestSource s = new RequestSource("sandbox", 3, 1024, null);
    SendRequest a = s.next();
    assertThat(a.getFrom()).isEqualTo("sandbox");
    assertThat(a.getTo()).isEqualTo("+15550000000");
    assertThat(a.getText().getBody().getBytes(StandardCharsets.UTF_8)).hasSize(1024);
    assertThat(s.next().getTo()).isEqualTo("+15550000001");
    assertThat(s.next().getTo()).isEqualTo("+15550000002");
    assertThat(s.next().getTo()).isEqualTo("+15550000000");
    assertThat(a.getIdempotencyKey()).isEmpty();
  }

  @Test
  void next_withPrefix_givesUniqueKeys() {
    RequestSource s = new RequestSource("sandbox", 1, 1, "run-");
    assertThat(s.next().getIdempotencyKey()).isEqualTo("run-0");
    assertThat(s.next().getIdempotencyKey()).isEqualTo("run-1");
  }

  @Test
  void recipient_isE164WithSevenDigits() {
    assertThat(RequestSource.recipient(0)).isEqualTo("+15550000000");
    assertThat(RequestSource.recipient(9_999_999)).isEqualTo("+15559999999");
  }

  @Test
  void constructor_validatesNamingOptions() {
    assertThatThrownBy(() -> new RequestSource("s", 0, 10, null)).hasMessageContaining("--to-count");
    assertThatThrownBy(() -> new RequestSource("s", 1, 4097, null)).hasMessageContaining("--size");
  }

  @Test
  void schedule_warmupThenCount() {
    Schedule s = new Schedule(0, Duration.ofNanos(100), 2, Duration.ZERO);
    assertThat(s.admit(50)).isEqualTo(Schedule.Admission.WARMUP);
    assertThat(s.admit(100)).isEqualTo(Schedule.Admission.MEASURED);
    assertThat(s.admit(150)).isEqualTo(Schedule.Admission.MEASURED);
    assertThat(s.admit(151)).isEqualTo(Schedule.Admission.STOP);
  }

  @Test
  void schedule_duration_andStop() {
    Schedule s = new Schedule(1000, Duration.ZERO, 0, Duration.ofNanos(10));
    assertThat(s.admit(1000)).isEqualTo(Schedule.Admission.MEASURED);
    assertThat(s.admit(1009)).isEqualTo(Schedule.Admission.MEASURED);
    assertThat(s.admit(1010)).isEqualTo(Schedule.Admission.STOP);
    Schedule t = new Schedule(0, Duration.ZERO, 0, Duration.ofSeconds(1));
    t.stop();
    assertThat(t.admit(0)).isEqualTo(Schedule.Admission.STOP);
  }
}
