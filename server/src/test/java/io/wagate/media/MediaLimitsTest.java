package io.wagate.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.config.MediaConfig;
import io.wagate.security.KeyRing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Types, caps, sniffing, declared sizes and the quota: each refusal is clear and leaves nothing behind. */
class MediaLimitsTest {
  @TempDir Path dir;
  private MediaFixture f;

  @BeforeEach
  void open() {
    f = MediaFixture.open(dir, 4096);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void outbound_acceptedTypes_storeWhenContentMatches() {
    assertThat(f.put(NewMedia.outbound("image/jpeg", 5000, "crm"), Samples.jpeg(5000)).mimeType()).isEqualTo("image/jpeg");
    assertThat(f.put(NewMedia.outbound("image/png", 5000, "crm"), Samples.png(5000)).id()).isNotEmpty();
    assertThat(f.put(NewMedia.outbound("audio/mp4", 5000, "crm"), Samples.mp4(5000, "isom")).id()).isNotEmpty();
    assertThat(f.put(NewMedia.outbound("video/3gpp", 5000, "crm"), Samples.mp4(5000, "3gp4")).id()).isNotEmpty();
    assertThat(f.put(NewMedia.outbound(MediaTypes.DOCX, 5000, "crm"), Samples.ooxml(5000, "word/x")).id()).isNotEmpty();
    assertThat(f.put(NewMedia.outbound(MediaTypes.MSEXCEL, 600, "crm"),
        Samples.withMagic(600, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)).id()).isNotEmpty();
    assertThat(f.put(NewMedia.outbound("audio/ogg; codecs=opus", 600, "crm"),
        Samples.withMagic(600, 'O', 'g', 'g', 'S')).mimeType()).isEqualTo("audio/ogg");
    byte[] text = Samples.repeat("plain text, ünïcode ✓\n", 9000);
    assertThat(f.put(new NewMedia("text/plain", text.length, "crm", MediaKind.OUTBOUND, "notes.txt"), text).filename())
        .isEqualTo("notes.txt");
  }

  @Test
  void begin_refusedType_namesTheTypeAndTheAcceptedOnes() {
    assertThatThrownBy(() -> f.store.begin(NewMedia.outbound("image/gif", 10, "crm")))
        .isInstanceOf(UnsupportedMediaTypeException.class)
        .hasMessageContaining("image/gif").hasMessageContaining("image/jpeg");
    assertThat(f.store.stats().reservedBytes()).isZero();
  }

  @Test
  void begin_declaredOverCap_isRefused() {
    assertThatThrownBy(() -> f.store.begin(NewMedia.outbound("image/jpeg", 5_000_001, "crm")))
        .isInstanceOf(MediaTooLargeException.class).hasMessageContaining("5000000").hasMessageContaining("5000001");
    assertThatThrownBy(() -> f.store.begin(NewMedia.outbound("image/webp", 500_001, "crm")))
        .isInstanceOf(MediaTooLargeException.class);
    assertThatThrownBy(() -> f.store.begin(NewMedia.inbound("video/mp4", 100_000_001, "1")))
        .isInstanceOf(MediaTooLargeException.class).hasMessageContaining("inbound");
  }

  @Test
  void commit_staticStickerOver100KB_isRefused_animatedAllowed() throws IOException {
    assertThatThrownBy(() -> f.put(NewMedia.outbound("image/webp", 200_000, "crm"), Samples.webp(200_000, false)))
        .isInstanceOf(MediaTooLargeException.class).hasMessageContaining("static WebP");
    assertNothingLeft();
    assertThat(f.put(NewMedia.outbound("image/webp", 200_000, "crm"), Samples.webp(200_000, true)).size())
        .isEqualTo(200_000);
  }

  @Test
  void commit_sniffMismatch_namesDeclaredAndDetected() throws IOException {
    assertThatThrownBy(() -> f.put(NewMedia.outbound("image/png", 3000, "crm"), Samples.jpeg(3000)))
        .isInstanceOf(MediaTypeMismatchException.class)
        .hasMessageContaining("declared image/png").hasMessageContaining("image/jpeg");
    assertThatThrownBy(() -> f.put(NewMedia.outbound("application/pdf", 3000, "crm"), MediaFixture.pattern(3000, 1)))
        .isInstanceOf(MediaTypeMismatchException.class).hasMessageContaining("unrecognised");
    assertThatThrownBy(() -> f.put(NewMedia.outbound(MediaTypes.XLSX, 3000, "crm"), Samples.ooxml(3000, "word/d")))
        .isInstanceOf(MediaTypeMismatchException.class);
    assertThatThrownBy(() -> f.put(NewMedia.outbound("text/plain", 3, "crm"), new byte[] {'a', 0, 'b'}))
        .isInstanceOf(MediaTypeMismatchException.class).hasMessageContaining("NUL");
    assertThatThrownBy(() -> f.put(NewMedia.outbound("text/plain", 3000, "crm"), Samples.pdf(3000)))
        .isInstanceOf(MediaTypeMismatchException.class);
    assertNothingLeft();
  }

  @Test
  void inbound_isStoredAsMetaDeclaredIt_withoutSniffing() {
    MediaObject o = f.put(NewMedia.inbound("image/png", 3000, "1"), Samples.jpeg(3000));
    assertThat(o.mimeType()).isEqualTo("image/png");
    assertThat(o.owner()).isEqualTo("meta:1");
    assertThat(o.kind()).isEqualTo(MediaKind.INBOUND);
  }

  @Test
  void commit_fewerBytesThanDeclared_failsAndLeavesNothing() throws IOException {
    MediaWriter w = f.store.begin(NewMedia.outbound("image/jpeg", 5000, "crm"));
    w.write(Samples.jpeg(4999));
    assertThatThrownBy(w::commit).isInstanceOf(SizeMismatchException.class)
        .hasMessageContaining("4999 bytes written but 5000 declared");
    assertThat(f.store.get(w.id())).isEmpty();
    assertNothingLeft();
  }

  @Test
  void write_moreBytesThanDeclared_failsAndLeavesNothing() throws IOException {
    MediaWriter w = f.store.begin(NewMedia.outbound("image/jpeg", 5000, "crm"));
    w.write(Samples.jpeg(4000));
    assertThatThrownBy(() -> w.write(new byte[1001])).isInstanceOf(SizeMismatchException.class)
        .hasMessageContaining("more bytes than the declared size 5000");
    assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
    assertThat(f.store.get(w.id())).isEmpty();
    assertNothingLeft();
  }

  @Test
  void abort_midUpload_leavesNothing() throws IOException {
    MediaWriter w = f.store.begin(NewMedia.inbound("video/mp4", 100_000, "1"));
    w.write(new byte[50_000]);
    assertThat(f.store.stats().reservedBytes()).isEqualTo(100_000);
    w.abort();
    w.abort();
    assertThat(f.store.get(w.id())).isEmpty();
    assertThat(f.store.list(null, 10, MediaFilter.ALL).items()).isEmpty();
    assertNothingLeft();
  }

  @Test
  void quota_full_refusesWithResourceMessage_andFreesOnDelete() {
    f.close();
    f = new MediaFixture(dir.resolve("q"), MediaConfig.defaults().withSegmentBytes(4096).withQuotaBytes(10_000));
    f.reopen(KeyRing.of(f.key));
    MediaObject a = f.putInbound(new byte[6000]);
    assertThatThrownBy(() -> f.store.begin(NewMedia.inbound("video/mp4", 5000, "1")))
        .isInstanceOf(MediaQuotaExceededException.class)
        .hasMessageContaining("quota of 10000 bytes").hasMessageContaining("6000 stored");
    f.putInbound(new byte[4000]);
    assertThat(f.store.stats().freeBytes()).isZero();
    assertThat(f.store.delete(a.id())).isTrue();
    assertThat(f.store.stats().freeBytes()).isEqualTo(6000);
  }

  @Test
  void quota_twoConcurrentUploads_cannotBothSqueezeIn() throws Exception {
    f.close();
    f = new MediaFixture(dir.resolve("q2"), MediaConfig.defaults().withSegmentBytes(4096).withQuotaBytes(10_000));
    f.reopen(KeyRing.of(f.key));
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            return f.putInbound(new byte[6000]);
          } catch (MediaQuotaExceededException e) {
            return e;
          }
        }));
      }
      long stored = 0;
      long refused = 0;
      for (Future<Object> r : results) {
        if (r.get() instanceof MediaObject) {
          stored++;
        } else {
          refused++;
        }
      }
      assertThat(stored).isEqualTo(1);
      assertThat(refused).isEqualTo(1);
      assertThat(f.store.stats().bytes()).isEqualTo(6000);
      assertThat(f.store.stats().reservedBytes()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void quota_reservationOfARunningUpload_counts() {
    f.close();
    f = new MediaFixture(dir.resolve("q3"), MediaConfig.defaults().withSegmentBytes(4096).withQuotaBytes(10_000));
    f.reopen(KeyRing.of(f.key));
    try (MediaWriter w = f.store.begin(NewMedia.inbound("video/mp4", 8000, "1"))) {
      assertThatThrownBy(() -> f.store.begin(NewMedia.inbound("video/mp4", 3000, "1")))
          .isInstanceOf(MediaQuotaExceededException.class).hasMessageContaining("8000 reserved");
      w.abort();
    }
    assertThat(f.putInbound(new byte[3000]).size()).isEqualTo(3000);
  }

  private void assertNothingLeft() throws IOException {
    try (Stream<Path> temps = Files.list(f.tempDir());
        Stream<Path> objects = Files.list(f.dataDir.resolve("media").resolve("objects"))) {
      assertThat(temps).isEmpty();
      long committed = f.store.stats().objects();
      assertThat(objects.count()).isEqualTo(committed);
    }
    assertThat(f.store.stats().reservedBytes()).isZero();
  }
}
