package io.wagate.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.wagate.api.v1.KeyRotation;
import io.wagate.api.v1.MediaKind;
import io.wagate.api.v1.MediaObject;
import io.wagate.api.v1.MediaState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaViewTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0 B", "1, 1 B", "1023, 1023 B", "1024, 1.0 KiB", "1536, 1.5 KiB", "1048524, 1023.9 KiB",
    "1048575, 1.0 MiB", "1048576, 1.0 MiB", "104857600, 100.0 MiB", "5000000, 4.8 MiB",
    "1073741824, 1.0 GiB", "9223372036854775807, 8.0 EiB"
  })
  void size_binaryUnitsOneDecimal(long bytes, String text) {
    assertThat(MediaView.size(bytes)).isEqualTo(text);
  }

  @org.junit.jupiter.api.Test
  void row_filenameElseOwner() {
    MediaObject o = MediaObject.newBuilder().setId("M1").setKind(MediaKind.INBOUND).setState(MediaState.FETCHING)
        .setMimeType("image/jpeg").setSize(2048).setOwner("meta:1").setCreatedAt(Timestamp.newBuilder().setSeconds(1))
        .build();
    assertThat(MediaView.row(o)).containsExactly("M1", "inbound", "fetching", "image/jpeg", "2.0 KiB",
        "1970-01-01T00:00:01Z", "meta:1");
    assertThat(MediaView.row(o.toBuilder().setFilename("a.pdf").clearKind().clearState().clearCreatedAt().build()))
        .containsExactly("M1", "-", "-", "image/jpeg", "2.0 KiB", "-", "a.pdf");
  }

  @org.junit.jupiter.api.Test
  void quotaAndRotation() {
    assertThat(MediaView.quota(10, 0)).isEqualTo("none");
    assertThat(MediaView.quota(512, 1024)).isEqualTo("50.0 % of 1.0 KiB used");
    KeyRotation r = KeyRotation.newBuilder().setTargetKeyId("abc").setDone(1).setTotal(3).build();
    assertThat(MediaView.rotation(r)).isEqualTo("to abc: 1/3 data keys re-wrapped (33 %)");
    assertThat(MediaView.rotation(KeyRotation.newBuilder().setTargetKeyId("abc").setFinished(true).build()))
        .isEqualTo("to abc: 0/0 data keys re-wrapped (100 %), finished");
  }
}
