package io.wagate.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.config.MediaConfig;
import io.wagate.security.KeyRing;
import io.wagate.security.MasterKey;
import io.wagate.security.WrongMasterKeyException;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Keys;
import io.wagate.store.WriteSet;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract: visibility, durability across reopen, crash recovery, the master key check, retention. */
class EncryptedMediaStoreTest {
  private static final long DAY = Duration.ofDays(1).toMillis();

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
  void closeAndReopen_keepsObjectsMetadataAndStats() {
    byte[] bytes = MediaFixture.pattern(10_000, 1);
    MediaObject o = f.put(new NewMedia("application/pdf", 10_000, "crm", MediaKind.OUTBOUND, "a.pdf"),
        Samples.pdf(10_000));
    MediaObject i = f.putInbound(bytes);
    f.store.recordMetaUpload(o.id(), "106540352242922", "1234567890", f.now.get() + 30 * DAY);

    f.reopen(KeyRing.of(f.key));

    assertThat(f.read(i.id())).isEqualTo(bytes);
    MediaObject again = f.store.get(o.id()).orElseThrow();
    assertThat(again.filename()).isEqualTo("a.pdf");
    assertThat(again.createdAtMillis()).isEqualTo(f.now.get());
    assertThat(again.metaUpload("106540352242922", f.now.get())).map(MetaUpload::metaMediaId).contains("1234567890");
    assertThat(again.metaUpload("106540352242922", f.now.get() + 31 * DAY)).isEmpty();
    assertThat(f.store.stats()).satisfies(s -> {
      assertThat(s.objects()).isEqualTo(2);
      assertThat(s.bytes()).isEqualTo(20_000);
      assertThat(s.inboundObjects()).isEqualTo(1);
      assertThat(s.outboundBytes()).isEqualTo(10_000);
    });
    assertThat(f.store.recovery()).isEqualTo(new RecoveryReport(0, 0, 0));
  }

  @Test
  void ids_neverBeginWithADashOrUnderscore_soCommandLinesTakeThemAsArguments() {
    for (int i = 0; i < 300; i++) {
      MediaObject o = f.put(NewMedia.outbound("image/png", 100, "crm"), Samples.png(100));
      assertThat(o.id()).matches("[A-Za-z0-9][A-Za-z0-9_-]{21}");
      assertThat(f.store.delete(o.id())).isTrue();
    }
    Set<String> derived = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      String id = EncryptedMediaStore.derivedId("inbound", "106540352242922", "media" + i);
      assertThat(id).matches("[A-Za-z0-9][A-Za-z0-9_-]{21}");
      assertThat(EncryptedMediaStore.derivedId("inbound", "106540352242922", "media" + i)).isEqualTo(id);
      derived.add(id);
    }
    assertThat(derived).hasSize(2_000);
  }

  @Test
  void recordMetaUpload_replacesTheEntryOfTheSameNumber_keepsOthers() {
    MediaObject o = f.put(NewMedia.outbound("image/png", 100, "crm"), Samples.png(100));
    f.store.recordMetaUpload(o.id(), "1", "m1", 10);
    f.store.recordMetaUpload(o.id(), "2", "m2", 20);
    MediaObject u = f.store.recordMetaUpload(o.id(), "1", "m3", 30);
    assertThat(u.metaUploads()).containsExactlyInAnyOrder(new MetaUpload("2", "m2", 20), new MetaUpload("1", "m3", 30));
    assertThatThrownBy(() -> f.store.recordMetaUpload("AAAAAAAAAAAAAAAAAAAAAA", "1", "m", 1))
        .isInstanceOf(MediaNotFoundException.class);
  }

  @Test
  void delete_isIdempotent_andTheObjectIsGone() {
    MediaObject o = f.putInbound(MediaFixture.pattern(100, 1));
    assertThat(f.store.delete(o.id())).isTrue();
    assertThat(f.store.delete(o.id())).isFalse();
    assertThat(f.store.get(o.id())).isEmpty();
    assertThat(Files.exists(f.file(o.id()))).isFalse();
    assertThatThrownBy(() -> f.store.open(o.id(), 0)).isInstanceOf(MediaNotFoundException.class)
        .hasMessageContaining(o.id());
    assertThat(f.store.delete("../../etc/passwd")).isFalse();
    assertThat(f.store.get("../db")).isEmpty();
  }

  @Test
  void list_pagesInIdOrder_andFilters() {
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      all.add(f.putInbound(new byte[] {(byte) i}).id());
    }
    for (int i = 0; i < 3; i++) {
      all.add(f.put(NewMedia.outbound("image/png", 100, "crm-" + i % 2), Samples.png(100)).id());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      MediaPage page = f.store.list(cursor, 4, MediaFilter.ALL);
      page.items().forEach(o -> seen.add(o.id()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(seen).isSorted().hasSize(10);
    assertThat(new HashSet<>(seen)).isEqualTo(all);
    assertThat(f.store.list(null, 100, new MediaFilter(MediaKind.OUTBOUND, null)).items()).hasSize(3);
    assertThat(f.store.list(null, 100, new MediaFilter(null, "crm-1")).items()).hasSize(1);
    assertThat(f.store.list(null, 100, new MediaFilter(MediaKind.INBOUND, "meta:106540352242922")).items()).hasSize(7);
  }

  @Test
  void crash_leftTempFileAndFileWithoutMetadata_areCleanedAtReopen() throws IOException {
    MediaObject kept = f.putInbound(MediaFixture.pattern(5000, 1));
    MediaWriter interrupted = f.store.begin(NewMedia.inbound("video/mp4", 10_000, "1"));
    interrupted.write(new byte[6000]); // never committed: the process "dies" here
    Path orphan = f.file("BBBBBBBBBBBBBBBBBBBBBB");
    Files.copy(f.file(kept.id()), orphan); // as if the crash came between rename and metadata write

    f.reopen(KeyRing.of(f.key));

    assertThat(f.store.recovery()).isEqualTo(new RecoveryReport(1, 1, 0));
    try (Stream<Path> temps = Files.list(f.tempDir())) {
      assertThat(temps).isEmpty();
    }
    assertThat(orphan).doesNotExist();
    assertThat(f.store.get(interrupted.id())).isEmpty();
    assertThat(f.read(kept.id())).isEqualTo(MediaFixture.pattern(5000, 1));
    assertThat(f.store.stats().objects()).isEqualTo(1);
    assertThat(f.store.stats().reservedBytes()).isZero();
  }

  @Test
  void reopen_metadataWithoutFile_isRemovedAndReported() throws IOException {
    MediaObject gone = f.putInbound(MediaFixture.pattern(50, 1));
    Files.delete(f.file(gone.id()));
    f.reopen(KeyRing.of(f.key));
    assertThat(f.store.recovery().recordsWithoutFile()).isEqualTo(1);
    assertThat(f.store.get(gone.id())).isEmpty();
    assertThat(f.store.stats().objects()).isZero();
  }

  @Test
  void open_wrongMasterKey_refusesWithKeyIds_andTouchesNothing() throws IOException {
    MediaObject o = f.putInbound(MediaFixture.pattern(5000, 1));
    byte[] fileBefore = Files.readAllBytes(f.file(o.id()));
    MasterKey wrong = MasterKey.generate("/etc/wagate/wrong.key");
    f.openDatabaseOnly();
    byte[] verifierBefore = f.db.get(ColumnFamily.META, EncryptedMediaStore.VERIFIER_KEY);

    assertThatThrownBy(() -> EncryptedMediaStore.open(dir.resolve("media"), f.db, f.config, KeyRing.of(wrong)))
        .isInstanceOf(WrongMasterKeyException.class)
        .hasMessageContaining("the master key in /etc/wagate/wrong.key does not match")
        .hasMessageContaining("key id " + wrong.id() + ", expected " + f.key.id());

    assertThat(f.db.get(ColumnFamily.META, EncryptedMediaStore.VERIFIER_KEY)).isEqualTo(verifierBefore);
    assertThat(Files.readAllBytes(f.file(o.id()))).isEqualTo(fileBefore);
    f.reopen(KeyRing.of(f.key));
    assertThat(f.read(o.id())).isEqualTo(MediaFixture.pattern(5000, 1));
  }

  @Test
  void truncation_withMetadataSizeAlsoShortened_isCaughtByTheFinalFlag() throws IOException {
    MediaObject o = f.putInbound(MediaFixture.pattern(3 * 4096, 1));
    MediaRecord r = MediaRecord.decode(f.db.get(ColumnFamily.MEDIA, Keys.utf8(o.id())));
    MediaObject shorter = new MediaObject(o.id(), o.mimeType(), 2 * 4096, o.sha256(), o.owner(), o.kind(),
        o.createdAtMillis(), null, List.of(), o.keyId());
    f.db.writer().write(new WriteSet().put(ColumnFamily.MEDIA, Keys.utf8(o.id()), r.withObject(shorter).encode()));
    try (RandomAccessFile raf = new RandomAccessFile(f.file(o.id()).toFile(), "rw")) {
      raf.setLength(raf.length() - 4096 - SegmentFormat.OVERHEAD);
    }
    assertThatThrownBy(() -> f.read(o.id())).isInstanceOf(MediaCorruptException.class)
        .hasMessageContaining("segment 1 of 2");
  }

  @Test
  void wrappedKey_movedToAnotherRecord_doesNotOpen() {
    MediaObject a = f.putInbound(MediaFixture.pattern(100, 1));
    MediaObject b = f.putInbound(MediaFixture.pattern(100, 2));
    MediaRecord ra = MediaRecord.decode(f.db.get(ColumnFamily.MEDIA, Keys.utf8(a.id())));
    MediaRecord rb = MediaRecord.decode(f.db.get(ColumnFamily.MEDIA, Keys.utf8(b.id())));
    f.db.writer().write(new WriteSet().put(ColumnFamily.MEDIA, Keys.utf8(b.id()),
        new MediaRecord(rb.object(), rb.segmentBytes(), ra.wrappedKey()).encode()));
    assertThatThrownBy(() -> f.store.open(b.id(), 0)).isInstanceOf(MediaCorruptException.class)
        .hasMessageContaining(b.id()).hasMessageContaining("does not unwrap");
  }

  @Test
  void directories_areOwnerOnly() throws IOException {
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(f.dataDir.resolve("media").resolve("objects")))).isEqualTo("rwx------");
    MediaObject o = f.putInbound(new byte[3]);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f.file(o.id()))))
        .isEqualTo("rw-------");
  }

  @Test
  void sweep_deletesOnlyExpiredObjectsOfEachKind() {
    f.close();
    f = new MediaFixture(dir.resolve("r"), MediaConfig.defaults().withSegmentBytes(4096)
        .withRetention(new MediaConfig.Retention(Duration.ofDays(90), Duration.ofDays(30))));
    f.reopen(KeyRing.of(f.key));
    long t0 = f.now.get();
    MediaObject oldOut = f.put(NewMedia.outbound("image/png", 100, "crm"), Samples.png(100));
    MediaObject oldIn = f.putInbound(new byte[10]);
    f.now.set(t0 + 20 * DAY);
    MediaObject newOut = f.put(NewMedia.outbound("image/png", 100, "crm"), Samples.png(100));

    assertThat(f.store.sweep(t0 + 29 * DAY).expiredObjects()).isZero();
    assertThat(f.store.sweep(t0 + 31 * DAY).expiredObjects()).isEqualTo(1);
    assertThat(f.store.get(oldOut.id())).isEmpty();
    assertThat(f.file(oldOut.id())).doesNotExist();
    assertThat(f.store.get(oldIn.id())).isPresent();
    assertThat(f.store.get(newOut.id())).isPresent();

    assertThat(f.store.sweep(t0 + 91 * DAY).expiredObjects()).isEqualTo(2);
    assertThat(f.store.stats().objects()).isZero();
  }

  @Test
  void sweep_removesStaleTempFilesAndOrphans_butNotARunningUpload() throws IOException {
    MediaWriter running = f.store.begin(NewMedia.inbound("video/mp4", 100, "1"));
    running.write(new byte[50]);
    Path stale = f.tempDir().resolve("CCCCCCCCCCCCCCCCCCCCCC.x.part");
    Files.write(stale, new byte[10]);
    Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 2 * 3_600_000L));
    Path orphan = f.file("DDDDDDDDDDDDDDDDDDDDDD");
    Files.write(orphan, new byte[10]);

    SweepResult r = f.store.sweep(System.currentTimeMillis() + 10 * 3_600_000L);

    assertThat(r.orphanFiles()).isEqualTo(2);
    assertThat(stale).doesNotExist();
    assertThat(orphan).doesNotExist();
    running.write(new byte[50]);
    assertThat(f.read(running.commit().id())).hasSize(100);
  }

  @Test
  void start_runsTheSweeperOnItsThread_closeStopsIt() {
    // other tests' appliances in this JVM may still be closing theirs: look only at this store's thread
    java.util.Set<Thread> before = sweepers();
    f.store.start();
    f.store.start();
    java.util.Set<Thread> mine = sweepers();
    mine.removeAll(before);
    assertThat(mine).as("start twice makes one sweeper thread").hasSize(1);
    Thread sweeper = mine.iterator().next();
    f.store.close();
    try {
      sweeper.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(sweeper.isAlive()).as("close stops the sweeper thread").isFalse();
    assertThatThrownBy(() -> f.store.begin(NewMedia.inbound("video/mp4", 1, "1")))
        .isInstanceOf(MediaStoreClosedException.class);
  }

  private static java.util.Set<Thread> sweepers() {
    java.util.Set<Thread> out = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(EncryptedMediaStore.SWEEPER_THREAD)) {
        out.add(t);
      }
    }
    return out;
  }
}
