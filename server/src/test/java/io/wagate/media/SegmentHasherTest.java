package io.wagate.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class SegmentHasherTest {
  private static final int SEGMENT = 4096;

  @Test
  void hashesHandedOverBuffersInOrder_onAnotherThread() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      byte[] data = MediaFixture.pattern(SEGMENT * 37 + 123, 7);
      assertThat(hashInSegments(new SegmentHasher(pool, SEGMENT, 3), data)).isEqualTo(sha256(data));
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void refusedExecutor_hashesOnTheCallersThread() throws Exception {
    byte[] data = MediaFixture.pattern(SEGMENT * 5 + 1, 8);
    SegmentHasher hasher = new SegmentHasher(r -> {
      throw new RejectedExecutionException("closing");
    }, SEGMENT, 2);
    assertThat(hashInSegments(hasher, data)).isEqualTo(sha256(data));
  }

  @Test
  void emptyInput_isTheHashOfNothing() throws Exception {
    SegmentHasher hasher = new SegmentHasher(Runnable::run, SEGMENT, 2);
    hasher.hash(hasher.take(), 0);
    assertThat(hasher.finish()).isEqualTo(sha256(new byte[0]));
  }

  @Test
  void poolSize_isAboutOneMebibyte_atLeastTwoAtMostEightBuffers() {
    assertThat(SegmentHasher.poolSize(4096)).isEqualTo(8);
    assertThat(SegmentHasher.poolSize(256 * 1024)).isEqualTo(4);
    assertThat(SegmentHasher.poolSize(4 * 1024 * 1024)).isEqualTo(2);
  }

  /** As MediaWriter uses it: fill a taken buffer, hand it over, take the next. */
  private static byte[] hashInSegments(SegmentHasher hasher, byte[] data) throws Exception {
    int off = 0;
    do {
      byte[] buf = hasher.take();
      int n = Math.min(SEGMENT, data.length - off);
      System.arraycopy(data, off, buf, 0, n);
      hasher.hash(buf, n);
      off += n;
    } while (off < data.length);
    return hasher.finish();
  }

  private static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }
}
