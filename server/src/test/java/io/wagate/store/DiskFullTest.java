package io.wagate.store;

import static io.wagate.store.ColumnFamily.MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DiskFullTest {
  @TempDir Path dir;

  @Test
  void lowFreeSpace_refusesWrites_untilSpaceReturns() {
    AtomicLong free = new AtomicLong(1L << 30);
    StoreOptions options = new StoreOptions(dir.resolve("db"), 1L << 20, 1024, d -> free.get());
    try (Database db = Database.open(options)) {
      db.writer().write(new WriteSet().put(MESSAGES, Keys.u64(1), Keys.utf8("before")));

      free.set(1000);
      awaitReadingExpired();
      CompletableFuture<Void> refused =
          db.writer().submit(new WriteSet().put(MESSAGES, Keys.u64(2), Keys.utf8("refused")));
      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join)
          .hasCauseInstanceOf(StoreFullException.class)
          .cause()
          .hasMessage("not enough free disk space under " + dir.resolve("db")
              + ": 1000 bytes free, 1048576 required; free space and retry");
      assertThatThrownBy(() -> db.writer().write(
          new WriteSet().put(MESSAGES, Keys.u64(3), Keys.utf8("refused"))))
          .isInstanceOf(StoreFullException.class);
      assertThatThrownBy(() -> db.writeUnsynced(
          new WriteSet().put(MESSAGES, Keys.u64(4), Keys.utf8("refused"))))
          .isInstanceOf(StoreFullException.class);
      assertThat(db.get(MESSAGES, Keys.u64(2))).isNull();
      assertThat(db.get(MESSAGES, Keys.u64(3))).isNull();
      assertThat(db.get(MESSAGES, Keys.u64(4))).isNull();
      assertThat(db.writer().writesCommitted()).isEqualTo(1);

      free.set(1L << 30);
      awaitReadingExpired();
      db.writer().write(new WriteSet().put(MESSAGES, Keys.u64(5), Keys.utf8("after")));
      assertThat(db.get(MESSAGES, Keys.u64(1))).isEqualTo(Keys.utf8("before"));
      assertThat(db.get(MESSAGES, Keys.u64(5))).isEqualTo(Keys.utf8("after"));
    }
  }

  @Test
  void failingProbe_failsTheSubmission_withoutHangingOrWriting() {
    StoreOptions options = new StoreOptions(dir.resolve("db"), 1, 1024, d -> {
      throw new IOException("statvfs failed");
    });
    try (Database db = Database.open(options)) {
      assertThatThrownBy(() -> db.writer().write(
          new WriteSet().put(MESSAGES, Keys.u64(1), Keys.u64(1))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("checking free disk space");
      assertThat(db.get(MESSAGES, Keys.u64(1))).isNull();
    }
  }

  /**
   * A real ENOSPC from RocksDB on a small tmpfs: needs root on Linux (skipped otherwise).
   * RocksDB's own recovery (run by its SstFileManager, polling every 5 s) resumes writing once at
   * least the largest memtable (64 MiB) is free, hence the remount to 256 MiB.
   */
  @Test
  @Timeout(60)
  void realDiskFull_failsWithStoreFull_keepsAcknowledgedData_andRecoversWithoutRestart()
      throws Exception {
    Assumptions.assumeTrue(
        System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
    Path mount = Files.createDirectories(dir.resolve("tmpfs"));
    Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString()),
        "needs permission to mount a tmpfs");
    try {
      Path dbDir = mount.resolve("db");
      Random random = new Random(42);
      long acknowledged = 0;
      try (Database db = Database.open(new StoreOptions(dbDir, 0, 1024, d -> Long.MAX_VALUE))) {
        StoreFullException full = null;
        while (full == null && acknowledged < 100_000) {
          byte[] value = new byte[4096];
          random.nextBytes(value);
          try {
            db.writer().write(new WriteSet().put(MESSAGES, Keys.u64(acknowledged), value));
            acknowledged++;
          } catch (StoreFullException e) {
            full = e;
          }
        }
        assertThat(full).as("the 16 MiB tmpfs filled up").isNotNull();
        assertThat(full).hasMessageContaining("not enough free disk space under " + dbDir)
            .hasMessageContaining("free space and retry");
        assertThat(acknowledged).isGreaterThan(100);
        assertReadable(db, acknowledged);
        // still full: refused again, nothing harmed
        assertThatThrownBy(() -> db.writer().write(
            new WriteSet().put(MESSAGES, Keys.u64(-1), Keys.u64(1))))
            .isInstanceOf(StoreFullException.class);

        assertThat(run("mount", "-o", "remount,size=256m", mount.toString())).isTrue();
        long firstAfter = acknowledged;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .ignoreException(StoreFullException.class)
            .until(() -> {
              db.writer().write(new WriteSet().put(MESSAGES, Keys.u64(firstAfter), Keys.u64(7)));
              return true;
            });
        assertThat(db.get(MESSAGES, Keys.u64(firstAfter))).isEqualTo(Keys.u64(7));
        assertReadable(db, acknowledged);
      }
      try (Database db = Database.open(new StoreOptions(dbDir, 0, 1024, d -> Long.MAX_VALUE))) {
        assertReadable(db, acknowledged);
        assertThat(db.get(MESSAGES, Keys.u64(acknowledged))).isEqualTo(Keys.u64(7));
        assertThat(db.get(MESSAGES, Keys.u64(-1))).isNull();
      }
    } finally {
      if (!run("umount", mount.toString())) {
        run("umount", "-l", mount.toString());
      }
    }
  }

  private static void assertReadable(Database db, long count) {
    long[] seen = {0};
    db.scan(MESSAGES, Keys.u64(0), Keys.u64(count), false, (k, v) -> {
      assertThat(Keys.u64(k, 0)).isEqualTo(seen[0]);
      assertThat(v).hasSize(4096);
      seen[0]++;
      return true;
    });
    assertThat(seen[0]).isEqualTo(count);
  }

  private static void awaitReadingExpired() {
    try {
      TimeUnit.NANOSECONDS.sleep(FreeSpaceGuard.READING_TTL_NANOS + 20_000_000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean run(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
