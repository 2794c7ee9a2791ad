package io.wagate.media;

import io.wagate.config.MediaConfig;
import io.wagate.security.KeyRing;
import io.wagate.security.MasterKey;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** A real database and media store in a temporary directory, reopenable, with a settable clock. */
final class MediaFixture implements AutoCloseable {
  final Path dataDir;
  final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  MediaConfig config;
  MasterKey key = MasterKey.generate("test-key");
  Database db;
  EncryptedMediaStore store;

  MediaFixture(Path dataDir, MediaConfig config) {
    this.dataDir = dataDir;
    this.config = config;
  }

  static MediaFixture open(Path dataDir, int segmentBytes) {
    MediaFixture f = new MediaFixture(dataDir, MediaConfig.defaults().withSegmentBytes(segmentBytes));
    f.reopen(KeyRing.of(f.key));
    return f;
  }

  void reopen(KeyRing ring) {
    closeStore();
    db = Database.open(StoreOptions.defaults(dataDir.resolve("db")));
    store = EncryptedMediaStore.open(dataDir.resolve("media"), db, config, ring, null, clock());
  }

  /** Opens the database only, for tests expecting the store's open to fail. */
  Database openDatabaseOnly() {
    closeStore();
    db = Database.open(StoreOptions.defaults(dataDir.resolve("db")));
    return db;
  }

  Clock clock() {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(now.get());
      }
    };
  }

  Path file(String id) {
    return dataDir.resolve("media").resolve("objects").resolve(id);
  }

  Path tempDir() {
    return dataDir.resolve("media").resolve("tmp");
  }

  MediaObject put(NewMedia spec, byte[] bytes) {
    try (MediaWriter w = store.begin(spec)) {
      w.write(bytes);
      return w.commit();
    }
  }

  MediaObject putInbound(byte[] bytes) {
    return put(NewMedia.inbound("application/octet-stream", bytes.length, "106540352242922"), bytes);
  }

  byte[] read(String id) {
    try (InputStream in = store.open(id, 0)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  void flipByte(String id, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file(id).toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x01);
    }
  }

  static byte[] pattern(int size, int seed) {
    byte[] b = new byte[size];
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      b[i] = (byte) x;
    }
    return b;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Closes store and database; reopenable with {@link #reopen}. */
  void closeStore() {
    if (store != null) {
      store.close();
      store = null;
    }
    if (db != null) {
      db.close();
      db = null;
    }
  }

  @Override
  public void close() {
    closeStore();
  }
}
