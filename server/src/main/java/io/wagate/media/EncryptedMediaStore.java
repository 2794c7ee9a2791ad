package io.wagate.media;

import com.codahale.metrics.MetricRegistry;
import io.wagate.config.MediaConfig;
import io.wagate.security.KeyRing;
import io.wagate.security.MasterKey;
import io.wagate.security.MasterKeyException;
import io.wagate.security.WrongMasterKeyException;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.WriteSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encrypted media store: object bytes in files under {@code data_dir/media/objects}, each
 * encrypted with its own random data key in authenticated segments ({@link SegmentFormat}); the
 * data key wrapped by the master key and kept, with the rest of the metadata, in RocksDB
 * ({@link ColumnFamily#MEDIA}, indexed by time in {@link ColumnFamily#MEDIA_BY_TIME}).
 *
 * <p><b>Semantics.</b> An object exists once {@link MediaWriter#commit()} returned: its file was
 * synced and moved into place and its metadata written through the group-commit writer (synced
 * WAL). Before that nothing is visible, and a crash at any point leaves no visible half object;
 * {@link #open} removes what an interrupted upload left. {@link #delete} removes the metadata
 * first (the object is gone from then on), then the file. Reads verify every segment before
 * releasing its bytes. Ids are 22 URL-safe characters carrying 128 random bits.
 *
 * <p><b>Master key.</b> The store keeps a verifier of the master key in {@link ColumnFamily#META};
 * opening with another key fails with {@link WrongMasterKeyException} before anything is read or
 * written. {@link #rotate} re-wraps every data key under a new master key without touching the
 * files, resumably.
 *
 * <p><b>Threading.</b> Thread-safe. Many uploads and downloads run at once; each
 * {@link MediaWriter} and each stream from {@link #open(String, long)} belongs to one caller.
 * File I/O is blocking: never call from an event loop. {@link #start()} runs the sweeper on a
 * thread of its own; {@link #close()} stops it. The store does not own the {@link Database} or
 * the master keys: close and destroy them after the store.
 *
 * <pre>{@code
 * try (EncryptedMediaStore media = EncryptedMediaStore.open(dataDir.resolve("media"), db, config.media(),
 *     KeyRing.of(MasterKeys.fromKeyFile(keyFile)), registry, Clock.systemUTC())) {
 *   media.start();
 *   MediaObject o;
 *   try (MediaWriter w = media.begin(NewMedia.outbound("image/png", size, "crm"))) {
 *     w.write(bytes);
 *     o = w.commit();
 *   }
 *   try (InputStream in = media.open(o.id(), 0)) { in.transferTo(out); }
 * }
 * }</pre>
 *
 * <p>Errors: the {@code Media*Exception}s of this package, each documented with its gRPC status;
 * {@link io.wagate.store.StoreException}s from the database pass through unchanged.
 */
public final class EncryptedMediaStore implements AutoCloseable {
  /** Temporary files older than this, not belonging to a running upload, are orphans. */
  public static final long ORPHAN_AGE_MILLIS = 3_600_000L;
  /** Largest page {@link #list} returns. */
  public static final int MAX_PAGE = 1000;
  /** Name of the sweeper thread. */
  public static final String SWEEPER_THREAD = "wagate-media-sweeper";
  /** Name of the threads that hash uploads' plaintext while their writers encrypt ({@link SegmentHasher}). */
  public static final String HASH_THREAD = "wagate-media-hash";
  /** Name of the threads that sync uploads' temporary files early (see {@link MediaWriter}). */
  public static final String FLUSH_THREAD = "wagate-media-flush";

  static final byte[] VERIFIER_KEY = Keys.utf8("media.key_verifier");
  static final byte[] ROTATION_KEY = Keys.utf8("media.rotation");
  private static final byte[] EMPTY = new byte[0];
  private static final int ROTATION_BATCH = 64;
  private static final int SWEEP_BATCH = 256;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = LoggerFactory.getLogger(EncryptedMediaStore.class);

  private final Path directory;
  private final Path objectsDir;
  private final Path tempDir;
  private final Database db;
  private final MediaConfig config;
  private final Clock clock;
  private final MediaMetrics metrics;
  private final Map<String, MasterKey> keys = new ConcurrentHashMap<>();
  private volatile MasterKey active;
  /** Held for every read-modify-write of a metadata record and for commits (see {@link #rotate}). */
  private final ReentrantLock records = new ReentrantLock();
  private final Object rotationMonitor = new Object();
  private final Object accounting = new Object();
  private final long[] objectsByKind = new long[MediaKind.values().length];
  private final long[] bytesByKind = new long[MediaKind.values().length];
  private long reserved;
  /** Ids of uploads begun and not yet committed or aborted; the sweeper leaves their files alone. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<Path> activeTemps = ConcurrentHashMap.newKeySet();
  private volatile RotationProgress runningRotation;
  private RecoveryReport recovery;
  private ScheduledExecutorService sweeper;
  /** One thread per core at most, idle ones exit; tasks are bounded by each writer's buffer pool. */
  private final ThreadPoolExecutor hashing;
  /** Blocking syncs, at most one per writer in flight; idle threads exit. */
  private final ThreadPoolExecutor flushing;
  private volatile boolean closed;

  private EncryptedMediaStore(Path directory, Database db, MediaConfig config, MetricRegistry registry, Clock clock) {
    this.directory = directory;
    this.objectsDir = directory.resolve("objects");
    this.tempDir = directory.resolve("tmp");
    this.db = db;
    this.config = config;
    this.clock = clock;
    this.metrics = new MediaMetrics(registry, () -> stats().objects(), () -> stats().bytes());
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    this.hashing = pool(cores, HASH_THREAD);
    this.flushing = pool(Math.max(2, cores), FLUSH_THREAD);
  }

  private static ThreadPoolExecutor pool(int threads, String name) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Opens the store in {@code directory} over {@code db}: checks the master key, then repairs what
   * an unclean stop left (see {@link #recovery()}). Does not start the sweeper ({@link #start()}).
   *
   * <p>Key check: a new store records a verifier of {@code keys.current()}. An existing one must
   * match it, or match {@code keys.next()} (a rotation finished but the key files were not yet
   * swapped). While a rotation is in progress, {@code keys.next()} must be its target; call
   * {@link #rotate} with it to finish.
   *
   * @param metrics optional registry for the {@code media.*} metrics, or null
   * @throws WrongMasterKeyException if the key is not the one the data was written with (nothing
   *     read or written)
   * @throws MasterKeyException if a rotation is in progress and its target key was not given
   * @throws MediaException if the directory cannot be prepared
   */
  public static EncryptedMediaStore open(Path directory, Database db, MediaConfig config, KeyRing keys,
      MetricRegistry metrics, Clock clock) {
    Objects.requireNonNull(keys, "keys");
    EncryptedMediaStore store = new EncryptedMediaStore(Objects.requireNonNull(directory, "directory"),
        Objects.requireNonNull(db, "db"), Objects.requireNonNull(config, "config"), metrics,
        Objects.requireNonNull(clock, "clock"));
    try {
      store.checkKeys(keys);
      store.recovery = store.recover();
      return store;
    } catch (RuntimeException e) {
      store.close(); // unregisters the gauges
      throw e;
    }
  }

  /** {@link #open(Path, Database, MediaConfig, KeyRing, MetricRegistry, Clock)} without metrics, on the UTC clock. */
  public static EncryptedMediaStore open(Path directory, Database db, MediaConfig config, KeyRing keys) {
    return open(directory, db, config, keys, null, Clock.systemUTC());
  }

  /**
   * Starts storing an object. Checks, in order: outbound type accepted by Meta, declared size
   * within the type's cap (inbound: 100 MB), room under the quota; then reserves the declared size
   * until the upload commits or aborts, so concurrent uploads cannot together overshoot the quota.
   *
   * @throws UnsupportedMediaTypeException if an outbound type is not one Meta accepts
   * @throws MediaTooLargeException if the declared size is over the cap
   * @throws MediaQuotaExceededException if the quota has no room for the declared size
   * @throws MediaStoreClosedException if the store is closed
   */
  public MediaWriter begin(NewMedia spec) {
    return begin(spec, newId());
  }

  /**
   * As {@link #begin(NewMedia)} under an id the caller chose (see {@link #derivedId}): inbound
   * media gets its id when its webhook is stored, before its bytes are fetched.
   *
   * @throws IllegalArgumentException if {@code id} is not a media id, or an object with it exists or
   *     is being written
   */
  public MediaWriter begin(NewMedia spec, String id) {
    Objects.requireNonNull(spec, "spec");
    checkOpen();
    if (!validId(id)) {
      throw new IllegalArgumentException("'" + id + "' is not a media id");
    }
    long cap = spec.kind() == MediaKind.OUTBOUND ? MediaTypes.outboundCap(spec.mimeType()) : MediaTypes.INBOUND_MAX_BYTES;
    if (spec.declaredSize() > cap) {
      throw new MediaTooLargeException((spec.kind() == MediaKind.OUTBOUND ? spec.mimeType() : "inbound media")
          + " may be at most " + cap + " bytes, declared " + spec.declaredSize());
    }
    if (!inFlight.add(id)) {
      throw new IllegalArgumentException("media " + id + " is being stored already");
    }
    try {
      if (db.get(ColumnFamily.MEDIA, Keys.utf8(id)) != null) {
        throw new IllegalArgumentException("media " + id + " exists already");
      }
      reserve(spec.declaredSize());
    } catch (RuntimeException e) {
      inFlight.remove(id);
      throw e;
    }
    Path temp = tempDir.resolve(id + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".part");
    activeTemps.add(temp);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      return new MediaWriter(this, id, spec, temp, channel, config.segmentBytes(), hashing, flushing);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      deleteQuietly(temp);
      activeTemps.remove(temp);
      inFlight.remove(id);
      release(spec.declaredSize());
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new MediaException("cannot create an upload file in " + tempDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns a stream of the object's plaintext from byte {@code offset} (0 for all of it). The
   * header and the file length are checked here; each segment is authenticated before its bytes
   * are returned. A deleted object stays readable through a stream opened before the delete.
   *
   * @param offset 0 ≤ offset ≤ size; resumes a download
   * @throws MediaNotFoundException if there is no such object
   * @throws MediaCorruptException if its file is missing, has the wrong length or a damaged header,
   *     or its data key does not unwrap; later, from {@code read}, if a segment fails authentication
   * @throws IllegalArgumentException if {@code offset} is outside the object
   */
  public InputStream open(String id, long offset) {
    checkOpen();
    MediaRecord record = record(id).orElseThrow(() -> notFound(id));
    if (offset < 0 || offset > record.object().size()) {
      throw new IllegalArgumentException("offset must be between 0 and " + record.object().size() + ", got " + offset);
    }
    MasterKey key = keys.get(record.object().keyId());
    if (key == null) {
      // a rotation may have just re-wrapped it and dropped the old key: read again
      record = record(id).orElseThrow(() -> notFound(id));
      key = keys.get(record.object().keyId());
      if (key == null) {
        throw new MediaException("media " + id + ": its data key is wrapped by master key " + record.object().keyId()
            + ", which is not loaded");
      }
    }
    byte[] dataKey;
    try {
      dataKey = key.unwrap(record.wrappedKey(), wrapContext(id));
    } catch (MasterKeyException e) {
      metrics.corrupt();
      throw new MediaCorruptException("media " + id + ": its data key does not unwrap with master key " + key.id()
          + " (metadata damaged)", e);
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(objectPath(id), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      Arrays.fill(dataKey, (byte) 0);
      metrics.corrupt();
      throw new MediaCorruptException("media " + id + ": its file is missing", e);
    } catch (IOException e) {
      Arrays.fill(dataKey, (byte) 0);
      throw new MediaException("media " + id + ": cannot open its file: " + e.getMessage(), e);
    }
    try {
      InputStream in = new MediaInputStream(record, dataKey, channel, offset, () -> { });
      metrics.downloaded();
      return in;
    } catch (IOException | RuntimeException e) {
      Arrays.fill(dataKey, (byte) 0);
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof MediaCorruptException c) {
        metrics.corrupt();
        throw c;
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new MediaException("media " + id + ": cannot read its file: " + e.getMessage(), e);
    }
  }

  /** {@link #open(String, long)} from the first byte. */
  public InputStream open(String id) {
    return open(id, 0);
  }

  /** The object's metadata, or empty if there is no such (committed, undeleted) object. */
  public Optional<MediaObject> get(String id) {
    checkOpen();
    return record(id).map(MediaRecord::object);
  }

  /**
   * Deletes the object: metadata first (from then on it does not exist), then its file. Idempotent.
   *
   * @return whether it existed
   */
  public boolean delete(String id) {
    checkOpen();
    if (!validId(id)) {
      return false;
    }
    MediaObject o;
    records.lock();
    try {
      Optional<MediaRecord> record = record(id);
      if (record.isEmpty()) {
        return false;
      }
      o = record.get().object();
      db.writer().write(new WriteSet()
          .delete(ColumnFamily.MEDIA, Keys.utf8(id))
          .delete(ColumnFamily.MEDIA_BY_TIME, timeKey(o.kind(), o.createdAtMillis(), id)));
      account(o.kind(), -1, -o.size());
    } finally {
      records.unlock();
    }
    deleteQuietly(objectPath(id));
    metrics.deleted();
    return true;
  }

  /**
   * Records that Meta holds the object for {@code phoneNumberId} as {@code metaMediaId} until
   * {@code expiresAtMillis}, replacing an earlier entry for that number. Durable on return.
   *
   * @return the updated object
   * @throws MediaNotFoundException if there is no such object
   */
  public MediaObject recordMetaUpload(String id, String phoneNumberId, String metaMediaId, long expiresAtMillis) {
    checkOpen();
    MetaUpload upload = new MetaUpload(phoneNumberId, metaMediaId, expiresAtMillis);
    records.lock();
    try {
      MediaRecord record = record(id).orElseThrow(() -> notFound(id));
      MediaObject o = record.object();
      List<MetaUpload> uploads = new ArrayList<>();
      for (MetaUpload u : o.metaUploads()) {
        if (!u.phoneNumberId().equals(phoneNumberId)) {
          uploads.add(u);
        }
      }
      uploads.add(upload);
      MediaObject updated = new MediaObject(o.id(), o.mimeType(), o.size(), o.sha256(), o.owner(), o.kind(),
          o.createdAtMillis(), o.filename(), uploads, o.keyId());
      db.writer().write(new WriteSet().put(ColumnFamily.MEDIA, Keys.utf8(id), record.withObject(updated).encode()));
      return updated;
    } finally {
      records.unlock();
    }
  }

  /**
   * Lists objects in id order (ids are random, so this is no time order), starting after
   * {@code cursor} (exclusive; null from the start). Filtering by owner or kind skips
   * non-matching objects while scanning.
   *
   * @param limit 1..{@value #MAX_PAGE}
   * @return at most {@code limit} objects; a non-null {@link MediaPage#nextCursor()} when the
   *     page is full (the next page may then be empty)
   */
  public MediaPage list(String cursor, int limit, MediaFilter filter) {
    checkOpen();
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ", got " + limit);
    }
    MediaFilter f = filter == null ? MediaFilter.ALL : filter;
    byte[] from = cursor == null || cursor.isEmpty() ? Keys.MIN : Keys.concat(Keys.utf8(cursor), new byte[] {0});
    List<MediaObject> items = new ArrayList<>();
    db.scan(ColumnFamily.MEDIA, from, Keys.MAX, false, (k, v) -> {
      MediaObject o = MediaRecord.decode(v).object();
      if (f.matches(o)) {
        items.add(o);
      }
      return items.size() < limit;
    });
    return new MediaPage(items, items.size() == limit ? items.get(limit - 1).id() : null);
  }

  /** Totals now. Cheap: kept in memory, counted from the metadata at open. */
  public MediaStats stats() {
    synchronized (accounting) {
      int in = MediaKind.INBOUND.ordinal();
      int out = MediaKind.OUTBOUND.ordinal();
      return new MediaStats(objectsByKind[in] + objectsByKind[out], bytesByKind[in] + bytesByKind[out],
          objectsByKind[in], bytesByKind[in], objectsByKind[out], bytesByKind[out], reserved, config.quotaBytes(),
          active == null ? "" : active.id());
    }
  }

  /** Id of the master key new data keys are wrapped with. */
  public String activeKeyId() {
    return active.id();
  }

  /** What {@link #open} repaired. */
  public RecoveryReport recovery() {
    return recovery;
  }

  /** The store's directory ({@code data_dir/media}). */
  public Path directory() {
    return directory;
  }

  /**
   * Deletes objects older than their kind's retention at {@code nowMillis} (found through the
   * time index, oldest first, without scanning other objects), temporary files older than
   * {@link #ORPHAN_AGE_MILLIS} that belong to no running upload, and object files without
   * metadata. Safe to run beside uploads, downloads and another sweep.
   */
  public SweepResult sweep(long nowMillis) {
    checkOpen();
    long expired = 0;
    for (MediaKind kind : MediaKind.values()) {
      long retention = (kind == MediaKind.INBOUND ? config.retention().inbound() : config.retention().outbound())
          .toMillis();
      long cutoff = Math.max(0, nowMillis - retention);
      byte[] from = new byte[] {(byte) kind.ordinal()};
      byte[] to = Keys.concat(from, Keys.u64(cutoff));
      while (true) {
        List<byte[]> batch = new ArrayList<>();
        db.scan(ColumnFamily.MEDIA_BY_TIME, from, to, false, (k, v) -> {
          batch.add(k);
          return batch.size() < SWEEP_BATCH;
        });
        if (batch.isEmpty()) {
          break;
        }
        for (byte[] k : batch) {
          String id = new String(k, 9, k.length - 9, StandardCharsets.US_ASCII);
          if (delete(id)) {
            expired++;
          } else {
            db.writer().write(new WriteSet().delete(ColumnFamily.MEDIA_BY_TIME, k)); // stale entry
          }
        }
      }
    }
    metrics.expired(expired);
    long orphans = sweepTemps(nowMillis - ORPHAN_AGE_MILLIS) + sweepOrphanObjects();
    if (expired > 0 || orphans > 0) {
      LOG.info("media sweep: {} expired objects and {} orphan files deleted", expired, orphans);
    }
    return new SweepResult(expired, orphans);
  }

  /** Starts the sweeper: {@link #sweep} every {@code media.sweep_interval}, first after one minute at most. Idempotent. */
  public synchronized void start() {
    checkOpen();
    if (sweeper != null) {
      return;
    }
    sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, SWEEPER_THREAD);
      t.setDaemon(true);
      return t;
    });
    long interval = config.sweepInterval().toMillis();
    sweeper.scheduleWithFixedDelay(() -> {
      try {
        sweep(clock.millis());
      } catch (MediaStoreClosedException e) {
        // closing
      } catch (RuntimeException e) {
        LOG.warn("media sweep failed; retrying in {} ms", interval, e);
      }
    }, Math.min(interval, 60_000L), interval, TimeUnit.MILLISECONDS);
  }

  /**
   * Re-wraps every object's data key under {@code next} without re-encrypting any file, and then
   * makes {@code next} the store's master key (its verifier replaces the old one).
   *
   * <p>Resumable: the target key id and a cursor (the last re-wrapped id, in id order) are
   * written durably with each batch of re-wrapped records, in the same atomic write. After an
   * interruption, open the store with both keys ({@link KeyRing#of(MasterKey, MasterKey)}) and call
   * this again with the same key. From the first write on, new uploads are wrapped under
   * {@code next}. One rotation at a time; other operations continue meanwhile.
   *
   * @return finished progress (also when {@code next} is already the store's key)
   * @throws MasterKeyException if a rotation to another key is in progress
   */
  public RotationProgress rotate(MasterKey next) {
    return rotate(next, Long.MAX_VALUE);
  }

  /** {@link #rotate(MasterKey)} that stops after re-wrapping {@code maxObjects}: the test hook for interruption. */
  RotationProgress rotate(MasterKey next, long maxObjects) {
    Objects.requireNonNull(next, "next");
    synchronized (rotationMonitor) {
      checkOpen();
      Rotation state = readRotation();
      if (state == null) {
        if (next.id().equals(active.id())) {
          long total = stats().objects();
          return new RotationProgress(next.id(), total, total, true);
        }
        String from = active.id();
        records.lock();
        try {
          state = new Rotation(next.id(), "");
          db.writer().write(new WriteSet().put(ColumnFamily.META, ROTATION_KEY, state.encode()));
          keys.put(next.id(), next);
          active = next;
        } finally {
          records.unlock();
        }
        LOG.info("media key rotation started: data keys move from master key {} to {}", from, next.id());
      } else if (!state.targetKeyId().equals(next.id())) {
        throw new MasterKeyException("a master key rotation to key id " + state.targetKeyId()
            + " is in progress; resume it with that key (got key id " + next.id() + ")");
      } else {
        keys.putIfAbsent(next.id(), next);
        active = next;
      }
      String cursor = state.cursor();
      long total = stats().objects();
      long done = countThrough(cursor);
      long budget = maxObjects;
      try {
        while (true) {
          List<String> ids = idsAfter(cursor, (int) Math.min(ROTATION_BATCH, Math.max(1, budget)));
          if (ids.isEmpty()) {
            break;
          }
          if (budget <= 0) {
            return new RotationProgress(next.id(), done, Math.max(total, done), false);
          }
          cursor = rewrap(next, ids);
          done += ids.size();
          budget -= ids.size();
          runningRotation = new RotationProgress(next.id(), done, Math.max(total, done), false);
        }
        records.lock();
        try {
          db.writer().write(new WriteSet()
              .put(ColumnFamily.META, VERIFIER_KEY, next.verifier())
              .delete(ColumnFamily.META, ROTATION_KEY));
          keys.keySet().removeIf(keyId -> !keyId.equals(next.id()));
        } finally {
          records.unlock();
        }
        LOG.info("media key rotation to master key {} finished: {} data keys re-wrapped", next.id(), done);
        return new RotationProgress(next.id(), done, done, true);
      } finally {
        runningRotation = null;
      }
    }
  }

  /** Progress of a rotation running or interrupted, or empty when none is in progress. */
  public Optional<RotationProgress> rotation() {
    checkOpen();
    RotationProgress running = runningRotation;
    if (running != null) {
      return Optional.of(running);
    }
    Rotation state = readRotation();
    if (state == null) {
      return Optional.empty();
    }
    return Optional.of(new RotationProgress(state.targetKeyId(), countThrough(state.cursor()), stats().objects(), false));
  }

  /**
   * Stops the sweeper (waiting up to 10 s for a running sweep) and refuses further calls.
   * Uploads not yet committed fail at commit. Idempotent. Does not close the database.
   */
  @Override
  public void close() {
    ScheduledExecutorService s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = sweeper;
    }
    hashing.shutdown(); // running hashes finish; writers still open hash on their own thread
    flushing.shutdown(); // never shutdownNow: an interrupt would close an upload's FileChannel
    if (s != null) {
      s.shutdown();
      try {
        if (!s.awaitTermination(10, TimeUnit.SECONDS)) {
          s.shutdownNow();
        }
      } catch (InterruptedException e) {
        s.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    metrics.close();
  }

  // ---- called by MediaWriter ----

  /** Moves a finished upload into place and writes its metadata; see {@link MediaWriter#commit()}. */
  MediaObject commitUpload(MediaWriter writer, String sha256) {
    checkOpen();
    String id = writer.id();
    NewMedia spec = writer.spec();
    Path target = objectPath(id);
    moveIntoPlace(writer.tempFile(), target);
    records.lock();
    try {
      MasterKey key = active; // read under the lock: a rotation switches it under the same lock
      byte[] wrapped = key.wrap(writer.dataKey(), wrapContext(id));
      long created = clock.millis();
      MediaObject o = new MediaObject(id, spec.mimeType(), spec.declaredSize(), sha256, spec.owner(), spec.kind(),
          created, spec.filename(), List.of(), key.id());
      db.writer().write(new WriteSet()
          .put(ColumnFamily.MEDIA, Keys.utf8(id), new MediaRecord(o, writer.segmentBytes(), wrapped).encode())
          .put(ColumnFamily.MEDIA_BY_TIME, timeKey(o.kind(), created, id), EMPTY));
      synchronized (accounting) {
        reserved -= spec.declaredSize();
        objectsByKind[o.kind().ordinal()]++;
        bytesByKind[o.kind().ordinal()] += o.size();
      }
      activeTemps.remove(writer.tempFile());
      inFlight.remove(id);
      metrics.uploaded(o.size());
      return o;
    } catch (RuntimeException e) {
      deleteQuietly(target);
      throw e;
    } finally {
      records.unlock();
    }
  }

  /** Forgets an upload that did not commit: its temporary file, reservation and in-flight id. */
  void abortUpload(MediaWriter writer) {
    deleteQuietly(writer.tempFile());
    activeTemps.remove(writer.tempFile());
    inFlight.remove(writer.id());
    release(writer.spec().declaredSize());
    metrics.uploadFailed();
  }

  // ---- internals ----

  private void checkKeys(KeyRing ring) {
    MasterKey current = ring.current();
    Optional<MasterKey> next = ring.next();
    byte[] verifier = db.get(ColumnFamily.META, VERIFIER_KEY);
    Rotation rotation = readRotation();
    if (verifier == null) {
      boolean[] any = {false};
      db.scan(ColumnFamily.MEDIA, Keys.MIN, Keys.MAX, false, (k, v) -> {
        any[0] = true;
        return false;
      });
      if (any[0]) {
        throw new MasterKeyException("the media store holds objects but no master key verifier; the database in "
            + db.directory() + " is damaged or from another build; restore it from backup");
      }
      db.writer().write(new WriteSet().put(ColumnFamily.META, VERIFIER_KEY, current.verifier()));
      keys.put(current.id(), current);
      active = current;
    } else if (current.matches(verifier)) {
      keys.put(current.id(), current);
      active = current;
      if (rotation != null) {
        if (next.isEmpty() || !next.get().id().equals(rotation.targetKeyId())) {
          throw new MasterKeyException("a master key rotation to key id " + rotation.targetKeyId()
              + " is in progress; start with that key as the next key (key-file mode: " + current.source()
              + ".next) to resume it" + next.map(n -> "; the next key given has id " + n.id()).orElse(""));
        }
        keys.put(next.get().id(), next.get());
        active = next.get();
      }
    } else if (next.isPresent() && next.get().matches(verifier)) {
      keys.put(next.get().id(), next.get()); // the rotation finished; the key files were not swapped yet
      active = next.get();
    } else {
      throw new WrongMasterKeyException(current.source(), current.id(), MasterKey.verifierKeyId(verifier));
    }
  }

  private RecoveryReport recover() {
    try {
      var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
      for (Path d : new Path[] {directory, objectsDir, tempDir}) {
        if (!Files.isDirectory(d)) {
          Files.createDirectories(d, ownerOnly);
        }
      }
    } catch (IOException e) {
      throw new MediaException("cannot create media directories in " + directory + ": " + e.getMessage(), e);
    }
    long temps = 0;
    for (Path p : listDir(tempDir)) {
      if (deleteQuietly(p)) {
        temps++;
      }
    }
    List<MediaObject> missing = new ArrayList<>();
    db.scan(ColumnFamily.MEDIA, Keys.MIN, Keys.MAX, false, (k, v) -> {
      MediaObject o = MediaRecord.decode(v).object();
      if (Files.exists(objectPath(o.id()))) {
        account(o.kind(), 1, o.size());
      } else {
        missing.add(o);
      }
      return true;
    });
    for (MediaObject o : missing) {
      LOG.warn("media {}: its file {} is missing (damaged outside Wagate); its metadata is removed", o.id(),
          objectPath(o.id()));
      db.writer().write(new WriteSet()
          .delete(ColumnFamily.MEDIA, Keys.utf8(o.id()))
          .delete(ColumnFamily.MEDIA_BY_TIME, timeKey(o.kind(), o.createdAtMillis(), o.id())));
    }
    long orphans = sweepOrphanObjects();
    if (temps + orphans + missing.size() > 0) {
      LOG.info("media recovery: {} interrupted uploads and {} orphan files deleted, {} records without file removed",
          temps, orphans, missing.size());
    }
    return new RecoveryReport(temps, orphans, missing.size());
  }

  private long sweepTemps(long olderThanMillis) {
    long n = 0;
    for (Path p : listDir(tempDir)) {
      if (activeTemps.contains(p)) {
        continue;
      }
      try {
        if (Files.getLastModifiedTime(p).toMillis() < olderThanMillis && deleteQuietly(p)) {
          n++;
        }
      } catch (IOException e) {
        // vanished meanwhile
      }
    }
    return n;
  }

  private long sweepOrphanObjects() {
    long n = 0;
    for (Path p : listDir(objectsDir)) {
      String name = p.getFileName().toString();
      // an upload in flight renames its file into place before writing its metadata
      if (validId(name) && !inFlight.contains(name) && db.get(ColumnFamily.MEDIA, Keys.utf8(name)) == null
          && deleteQuietly(p)) {
        n++;
      }
    }
    return n;
  }

  private String rewrap(MasterKey next, List<String> ids) {
    records.lock();
    try {
      WriteSet w = new WriteSet();
      for (String id : ids) {
        Optional<MediaRecord> found = record(id);
        if (found.isEmpty() || found.get().object().keyId().equals(next.id())) {
          continue;
        }
        MediaRecord r = found.get();
        MasterKey old = keys.get(r.object().keyId());
        if (old == null) {
          throw new MasterKeyException("media " + id + " is wrapped by master key " + r.object().keyId()
              + ", which is not loaded; the rotation cannot go on");
        }
        byte[] dataKey = old.unwrap(r.wrappedKey(), wrapContext(id));
        try {
          w.put(ColumnFamily.MEDIA, Keys.utf8(id), r.rewrapped(next.id(), next.wrap(dataKey, wrapContext(id))).encode());
        } finally {
          Arrays.fill(dataKey, (byte) 0);
        }
      }
      String cursor = ids.get(ids.size() - 1);
      w.put(ColumnFamily.META, ROTATION_KEY, new Rotation(next.id(), cursor).encode());
      db.writer().write(w);
      return cursor;
    } finally {
      records.unlock();
    }
  }

  private List<String> idsAfter(String cursor, int limit) {
    byte[] from = cursor.isEmpty() ? Keys.MIN : Keys.concat(Keys.utf8(cursor), new byte[] {0});
    List<String> ids = new ArrayList<>();
    db.scan(ColumnFamily.MEDIA, from, Keys.MAX, false, (k, v) -> {
      ids.add(new String(k, StandardCharsets.US_ASCII));
      return ids.size() < limit;
    });
    return ids;
  }

  private long countThrough(String cursor) {
    if (cursor.isEmpty()) {
      return 0;
    }
    long[] n = {0};
    db.scan(ColumnFamily.MEDIA, Keys.MIN, Keys.concat(Keys.utf8(cursor), new byte[] {0}), false, (k, v) -> {
      n[0]++;
      return true;
    });
    return n[0];
  }

  private Rotation readRotation() {
    byte[] v = db.get(ColumnFamily.META, ROTATION_KEY);
    return v == null ? null : Rotation.decode(v);
  }

  private Optional<MediaRecord> record(String id) {
    if (!validId(id)) {
      return Optional.empty();
    }
    byte[] v = db.get(ColumnFamily.MEDIA, Keys.utf8(id));
    return v == null ? Optional.empty() : Optional.of(MediaRecord.decode(v));
  }

  private void reserve(long bytes) {
    synchronized (accounting) {
      long used = bytesByKind[0] + bytesByKind[1];
      if (used + reserved + bytes > config.quotaBytes()) {
        throw new MediaQuotaExceededException("storing " + bytes + " more bytes would exceed the media quota of "
            + config.quotaBytes() + " bytes (" + used + " stored, " + reserved + " reserved by uploads in progress)");
      }
      reserved += bytes;
    }
  }

  private void release(long bytes) {
    synchronized (accounting) {
      reserved -= bytes;
    }
  }

  private void account(MediaKind kind, long objects, long bytes) {
    synchronized (accounting) {
      objectsByKind[kind.ordinal()] += objects;
      bytesByKind[kind.ordinal()] += bytes;
    }
  }

  private void moveIntoPlace(Path temp, Path target) {
    try {
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target);
      }
      try (FileChannel dir = FileChannel.open(objectsDir, StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      deleteQuietly(target);
      throw new MediaException("cannot move an upload into " + objectsDir + ": " + e.getMessage(), e);
    }
  }

  private Path objectPath(String id) {
    return objectsDir.resolve(id);
  }

  private static List<Path> listDir(Path dir) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        out.add(p);
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + dir, e);
    }
    return out;
  }

  private static boolean deleteQuietly(Path p) {
    try {
      return Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", p, e.getMessage());
      return false;
    }
  }

  static byte[] wrapContext(String id) {
    return ("wagate-media-dek-v1:" + id).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] timeKey(MediaKind kind, long createdMillis, String id) {
    return Keys.concat(new byte[] {(byte) kind.ordinal()}, Keys.u64(createdMillis), Keys.utf8(id));
  }

  private static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /**
   * A media id derived from {@code parts}: the same parts always give the same id, so something
   * known before the bytes are stored (Meta's media id of an inbound message) names its object.
   */
  public static String derivedId(String... parts) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        sha.update(p.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return commandLineSafe(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), 16)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Ids never begin with '-' or '_', so a command line never takes one for an option. */
  private static String commandLineSafe(String id) {
    char c = id.charAt(0);
    return c == '-' ? "x" + id.substring(1) : c == '_' ? "y" + id.substring(1) : id;
  }

  private static String newId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return commandLineSafe(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }


  private static MediaNotFoundException notFound(String id) {
    return MediaNotFoundException.of(id);
  }

  private void checkOpen() {
    if (closed) {
      throw new MediaStoreClosedException("the media store is closed");
    }
  }

  /** The durable state of a rotation: its target and the last id re-wrapped ("" before the first). */
  private record Rotation(String targetKeyId, String cursor) {
    byte[] encode() {
      byte[] t = targetKeyId.getBytes(StandardCharsets.US_ASCII);
      byte[] c = cursor.getBytes(StandardCharsets.US_ASCII);
      return ByteBuffer.allocate(3 + t.length + c.length).put((byte) 1).put((byte) t.length).put(t)
          .put((byte) c.length).put(c).array();
    }

    static Rotation decode(byte[] v) {
      ByteBuffer b = ByteBuffer.wrap(v);
      if (b.get() != 1) {
        throw new MediaException("the media key rotation record has an unknown version");
      }
      byte[] t = new byte[b.get()];
      b.get(t);
      byte[] c = new byte[b.get()];
      b.get(c);
      return new Rotation(new String(t, StandardCharsets.US_ASCII), new String(c, StandardCharsets.US_ASCII));
    }
  }
}
