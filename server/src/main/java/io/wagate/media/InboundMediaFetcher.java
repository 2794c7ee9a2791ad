package io.wagate.media;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.InboundMedia;
import io.wagate.api.v1.MediaState;
import io.wagate.api.v1.MediaUpdate;
import io.wagate.cloudapi.CloudApiClient;
import io.wagate.cloudapi.MediaResult;
import io.wagate.cloudapi.RetryClass;
import io.wagate.cloudapi.SendResult;
import io.wagate.events.EventLog;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.WriteSet;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches inbound media into the store as soon as its webhook is stored: Meta's download URLs live
 * 5 minutes and its webhook media ids 7 days, so nothing waits for a subscriber to ask.
 *
 * <p>An internal reader of the event log with its own cursor. Each inbound message carrying media
 * becomes a fetch job in {@code media_fetches}, written with the cursor in one batch, so a crash
 * neither loses nor repeats work. A job asks Meta for a fresh URL on every attempt, downloads into
 * an {@link EncryptedMediaStore} writer under the id the webhook already gave the event ({@link
 * #storedIdOf}), and on success writes a {@code MEDIA} event (STORED) while deleting the job, in
 * one batch. Failures retry with exponential backoff (1 s to 5 min, jittered); media Meta no
 * longer has, or not fetched within 7 days, ends as a {@code MEDIA} event (LOST), and the job is
 * kept a week so that {@code Get} and {@code Download} can say why.
 *
 * <p>Threading: a small pool ({@value #THREAD_NAME}); reading the log runs one at a time.
 */
public final class InboundMediaFetcher implements AutoCloseable {
    public static final String THREAD_NAME = "wagate-media-fetch";
    /** How long Meta keeps a webhook's media id: after that a fetch cannot succeed. */
    public static final Duration META_KEEPS_INBOUND = Duration.ofDays(7);
    private static final byte[] CURSOR_KEY = Keys.utf8("inbound-media-fetcher");
    private static final int BATCH = 1_000;
    private static final long CURSOR_WRITE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_BACKOFF_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 300_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(InboundMediaFetcher.class);

    private final Database db;
    private final EventLog eventLog;
    private final EncryptedMediaStore store;
    private final CloudApiClient meta;
    private final Map<String, String> tokens;
    private final LongSupplier clock;
    private final ScheduledThreadPoolExecutor pool;
    private final Map<String, FetchJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> waiters = new ConcurrentHashMap<>();
    private final AtomicBoolean readScheduled = new AtomicBoolean();
    private final Object reading = new Object();
    private final Counter stored;
    private final Counter lost;
    private final Counter retries;
    private volatile long cursor;
    private long cursorWrittenAt;
    private volatile boolean closed;

    /**
     * @param tokens access token per phone-number id (the number the media came to)
     */
    public InboundMediaFetcher(Database db, EventLog eventLog, EncryptedMediaStore store, CloudApiClient meta,
                               Map<String, String> tokens, MetricRegistry metrics, LongSupplier clock) {
        this.db = db;
        this.eventLog = eventLog;
        this.store = store;
        this.meta = meta;
        this.tokens = Map.copyOf(tokens);
        this.clock = clock;
        this.stored = metrics.counter("media.inbound_fetched");
        this.lost = metrics.counter("media.inbound_lost");
        this.retries = metrics.counter("media.inbound_fetch_retries");
        byte[] c = db.get(ColumnFamily.EVENT_CURSORS, CURSOR_KEY);
        this.cursor = c == null ? eventLog.first() : Keys.u64(c, 0);
        db.scan(ColumnFamily.MEDIA_FETCHES, Keys.MIN, Keys.MAX, false, (k, v) -> {
            FetchJob j = FetchJob.decode(v);
            jobs.put(j.storedId(), j);
            return true;
        });
        AtomicInteger n = new AtomicInteger();
        this.pool = new ScheduledThreadPoolExecutor(3, r -> {
            Thread t = new Thread(r, THREAD_NAME + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
    }

    /** The media id Wagate gives the media of an inbound message, before its bytes are fetched. */
    public static String storedIdOf(String phoneNumberId, String metaMediaId) {
        return EncryptedMediaStore.derivedId("inbound", phoneNumberId, metaMediaId);
    }

    public void start() {
        for (FetchJob j : jobs.values()) {
            if (j.state() == MediaState.FETCHING) {
                schedule(j);
            }
        }
        eventLog.onHeadAdvanced(this::wake);
        pool.scheduleWithFixedDelay(this::forgetOldLostJobs, 1, 60, TimeUnit.MINUTES);
        wake();
    }

    /** The next offset to read; everything below was turned into jobs. */
    public long cursor() {
        return cursor;
    }

    /** Inbound media not yet fetched (and not lost). */
    public long fetching() {
        return jobs.values().stream().filter(j -> j.state() == MediaState.FETCHING).count();
    }

    /** What is known of media not (yet) in the store: FETCHING or LOST; empty if no such job. */
    public Optional<io.wagate.api.v1.MediaObject> pending(String storedId) {
        FetchJob j = jobs.get(storedId);
        if (j == null) {
            return Optional.empty();
        }
        io.wagate.api.v1.MediaObject.Builder b = io.wagate.api.v1.MediaObject.newBuilder()
                .setId(j.storedId())
                .setKind(io.wagate.api.v1.MediaKind.INBOUND)
                .setState(j.state())
                .setMimeType(j.mimeType())
                .setSha256(j.sha256())
                .setOwner("meta:" + j.phoneNumberId())
                .setCreatedAt(Timestamps.fromMillis(j.firstSeenMillis()))
                .setInboundWamid(j.wamid())
                .setError(j.error());
        return Optional.of(b.build());
    }

    /**
     * Waits up to {@code millis} for a fetch in progress to end; returns false at once when there is
     * none (never an inbound media id, already stored, or lost).
     */
    public boolean awaitFetch(String storedId, long millis) {
        if (!isFetching(storedId)) {
            return false;
        }
        CompletableFuture<Void> done = waiters.computeIfAbsent(storedId, k -> new CompletableFuture<>());
        if (!isFetching(storedId)) { // ended between the check and the registration
            done.complete(null);
        }
        try {
            done.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    private boolean isFetching(String storedId) {
        FetchJob j = jobs.get(storedId);
        return j != null && j.state() == MediaState.FETCHING;
    }

    /** The error to give a caller asking for media that is not in the store. */
    public MediaException notStored(String storedId) {
        FetchJob j = jobs.get(storedId);
        if (j == null) {
            return MediaNotFoundException.of(storedId);
        }
        if (j.state() == MediaState.LOST) {
            return new MediaUnavailableException("inbound media " + storedId + " (Meta media id " + j.metaMediaId()
                    + ") could not be fetched from Meta: " + j.error());
        }
        return new MediaNotReadyException("inbound media " + storedId + " is still being fetched from Meta ("
                + j.attempts() + " attempt(s) so far" + (j.error().isEmpty() ? "" : ", last: " + j.error())
                + "); try again shortly");
    }

    private void wake() {
        if (!closed && readScheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::readLog);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                readScheduled.set(false);
            }
        }
    }

    /** Turns new inbound media into jobs, a batch at a time, with the cursor in the same write. */
    private void readLog() {
        readScheduled.set(false);
        synchronized (reading) { // a wake while reading queues another run: they must not overlap
            readBatches();
        }
    }

    private void readBatches() {
        try {
            while (!closed) {
                EventLog.Page page = eventLog.read(cursor, BATCH, BATCH, InboundMediaFetcher::carriesMedia);
                if (page.nextOffset() == cursor) {
                    return;
                }
                WriteSet w = new WriteSet();
                List<FetchJob> created = new java.util.ArrayList<>();
                for (Event e : page.events()) {
                    FetchJob j = FetchJob.of(e, clock.getAsLong());
                    if (jobs.containsKey(j.storedId()) || store.get(j.storedId()).isPresent()) {
                        continue; // read again after a crash, or the same media in another message
                    }
                    w.put(ColumnFamily.MEDIA_FETCHES, Keys.utf8(j.storedId()), j.encode());
                    created.add(j);
                }
                w.put(ColumnFamily.EVENT_CURSORS, CURSOR_KEY, Keys.u64(page.nextOffset()));
                if (!created.isEmpty()) {
                    db.writer().write(w); // jobs and the cursor together, synced
                    cursorWrittenAt = System.nanoTime();
                } else if (System.nanoTime() - cursorWrittenAt > CURSOR_WRITE_NANOS) {
                    // only the cursor moved: written now and then, unsynced; after a crash the
                    // events since are read again and make no job twice
                    db.writeUnsynced(w);
                    cursorWrittenAt = System.nanoTime();
                }
                cursor = page.nextOffset();
                for (FetchJob j : created) {
                    jobs.put(j.storedId(), j);
                    schedule(j);
                }
            }
        } catch (RuntimeException e) {
            log.warn("reading inbound media from the event log failed at offset {}, trying again shortly: {}",
                    cursor, e.toString());
            if (!closed) {
                pool.schedule(this::wake, 1, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean carriesMedia(Event e) {
        return e.getKind() == EventKind.INBOUND_MESSAGE && e.getInbound().hasMedia()
                && !e.getInbound().getMedia().getStoredMediaId().isEmpty()
                && !e.getInbound().getMedia().getMetaMediaId().isEmpty();
    }

    private void schedule(FetchJob j) {
        if (closed) {
            return;
        }
        long delay = Math.max(0, j.nextAttemptMillis() - clock.getAsLong());
        try {
            pool.schedule(() -> attempt(j.storedId()), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // closing: the job is durable and scheduled again at the next start
        }
    }

    private void attempt(String storedId) {
        FetchJob j = jobs.get(storedId);
        if (j == null || j.state() != MediaState.FETCHING || closed) {
            return;
        }
        Optional<MediaObject> already = store.get(storedId);
        if (already.isPresent()) { // stored by an attempt that stopped before its event (a crash)
            WriteSet done = new WriteSet().delete(ColumnFamily.MEDIA_FETCHES, Keys.utf8(storedId));
            eventLog.appendWith(done, List.of(mediaEvent(j, MediaState.STORED, already.get().mimeType(),
                    already.get().size(), ""))).join(); // the event id is stable: stored once
            jobs.remove(storedId);
            release(storedId);
            return;
        }
        long now = clock.getAsLong();
        if (now - j.firstSeenMillis() > META_KEEPS_INBOUND.toMillis()) {
            lose(j, "not fetched within " + META_KEEPS_INBOUND.toDays() + " days (Meta has dropped it): " + j.error());
            return;
        }
        String token = tokens.get(j.phoneNumberId());
        if (token == null) {
            lose(j, "phone number " + j.phoneNumberId() + " is not configured here; there is no token to fetch with");
            return;
        }
        try {
            Outcome o = fetch(j, token);
            if (o.lost() != null) {
                lose(j, o.lost());
            } else if (o.retry() != null) {
                retry(j, o.retry());
            }
        } catch (RuntimeException e) {
            retry(j, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** One attempt: a fresh URL, then the bytes into the store. */
    private Outcome fetch(FetchJob j, String token) {
        MediaResult url = meta.retrieveMediaUrl(j.metaMediaId(), j.phoneNumberId(), token).join();
        if (url instanceof MediaResult.MediaGone g) {
            return Outcome.lost("Meta no longer has media " + j.metaMediaId() + " (code " + g.code() + "): " + g.details());
        }
        if (!(url instanceof MediaResult.MediaUrl u)) {
            return failure(url, "asking Meta for the download URL");
        }
        if (u.fileSize() < 0) {
            return Outcome.retry("Meta gave no file_size for media " + j.metaMediaId());
        }
        if (u.fileSize() > MediaTypes.INBOUND_MAX_BYTES) {
            return Outcome.lost("media " + j.metaMediaId() + " is " + u.fileSize() + " bytes, over the "
                    + MediaTypes.INBOUND_MAX_BYTES + " bytes inbound media may have");
        }
        String mime = !u.mimeType().isEmpty() ? u.mimeType() : j.mimeType();
        String sha = !u.sha256().isEmpty() ? u.sha256() : j.sha256();
        MediaObject object;
        try (MediaWriter writer = store.begin(new NewMedia(mime, u.fileSize(), "meta:" + j.phoneNumberId(),
                MediaKind.INBOUND, j.filename().isEmpty() ? null : j.filename()), j.storedId())) {
            MediaResult got = meta.downloadMedia(u.url(), token, new WriterStream(writer),
                    sha.isEmpty() ? null : sha, MediaTypes.INBOUND_MAX_BYTES).join();
            if (got instanceof MediaResult.TooLarge t) {
                return Outcome.lost("media " + j.metaMediaId() + " is over " + t.limitBytes() + " bytes");
            }
            if (got instanceof MediaResult.UrlExpired) {
                return Outcome.retry("the download URL had expired (a fresh one is asked for next time)");
            }
            if (got instanceof MediaResult.ChecksumMismatch) {
                return Outcome.retry("the bytes Meta sent do not match their SHA-256");
            }
            if (!(got instanceof MediaResult.Downloaded)) {
                return failure(got, "downloading");
            }
            object = writer.commit();
        }
        WriteSet done = new WriteSet().delete(ColumnFamily.MEDIA_FETCHES, Keys.utf8(j.storedId()));
        eventLog.appendWith(done, List.of(mediaEvent(j, MediaState.STORED, object.mimeType(), object.size(), "")))
                .join();
        jobs.remove(j.storedId());
        stored.inc();
        release(j.storedId());
        return Outcome.DONE;
    }

    private static Outcome failure(MediaResult r, String doing) {
        if (r instanceof SendResult.MetaError e) {
            String what = doing + ": Meta error " + e.code() + " " + e.title()
                    + (e.details() == null || e.details().isEmpty() ? "" : " (" + e.details() + ")");
            return e.retryClass() == RetryClass.PERMANENT ? Outcome.lost(what) : Outcome.retry(what);
        }
        if (r instanceof SendResult.TransportFailure t) {
            return Outcome.retry(doing + ": " + t.description());
        }
        return Outcome.retry(doing + ": unexpected answer " + r);
    }

    private void retry(FetchJob j, String error) {
        int attempts = j.attempts() + 1;
        long backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(20, attempts - 1));
        long next = clock.getAsLong() + backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        FetchJob again = j.retried(attempts, next, error);
        db.writer().write(new WriteSet().put(ColumnFamily.MEDIA_FETCHES, Keys.utf8(j.storedId()), again.encode()));
        jobs.put(j.storedId(), again);
        retries.inc();
        if (attempts == 1 || attempts % 10 == 0) {
            log.warn("inbound media {} (Meta media id {}) not fetched yet, attempt {}: {}", j.storedId(),
                    j.metaMediaId(), attempts, error);
        }
        schedule(again);
    }

    private void lose(FetchJob j, String error) {
        FetchJob gone = j.lost(clock.getAsLong(), error);
        WriteSet w = new WriteSet().put(ColumnFamily.MEDIA_FETCHES, Keys.utf8(j.storedId()), gone.encode());
        eventLog.appendWith(w, List.of(mediaEvent(j, MediaState.LOST, j.mimeType(), 0, error))).join();
        jobs.put(j.storedId(), gone);
        lost.inc();
        log.warn("inbound media {} (Meta media id {}, message {}) is lost: {}", j.storedId(), j.metaMediaId(),
                j.wamid(), error);
        release(j.storedId());
    }

    private void release(String storedId) {
        CompletableFuture<Void> w = waiters.remove(storedId);
        if (w != null) {
            w.complete(null);
        }
    }

    private Event mediaEvent(FetchJob j, MediaState state, String mime, long size, String error) {
        return Event.newBuilder()
                .setId("media:" + j.storedId() + ":" + state.name().toLowerCase(java.util.Locale.ROOT))
                .setKind(EventKind.MEDIA)
                .setNumber(j.number())
                .setPhoneNumberId(j.phoneNumberId())
                .setUser(j.user())
                .setOccurredAt(Timestamps.fromMillis(clock.getAsLong()))
                .setMedia(MediaUpdate.newBuilder().setStoredMediaId(j.storedId()).setState(state)
                        .setInboundWamid(j.wamid()).setMetaMediaId(j.metaMediaId()).setMimeType(mime).setSize(size)
                        .setError(error))
                .build();
    }

    /** Lost jobs are kept a week so callers can learn why, then forgotten. */
    private void forgetOldLostJobs() {
        try {
            long before = clock.getAsLong() - META_KEEPS_INBOUND.toMillis();
            WriteSet w = new WriteSet();
            List<String> old = jobs.values().stream()
                    .filter(j -> j.state() == MediaState.LOST && j.lostAtMillis() < before)
                    .map(FetchJob::storedId).toList();
            old.forEach(id -> w.delete(ColumnFamily.MEDIA_FETCHES, Keys.utf8(id)));
            if (!w.isEmpty()) {
                db.writeUnsynced(w);
                old.forEach(jobs::remove);
            }
        } catch (RuntimeException e) {
            log.warn("forgetting old lost media failed, trying again in an hour: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiters.values().forEach(w -> w.complete(null));
    }

    /** What one attempt came to: done, retry (with why) or lost (with why). */
    private record Outcome(String retry, String lost) {
        static final Outcome DONE = new Outcome(null, null);

        static Outcome retry(String why) {
            return new Outcome(why, null);
        }

        static Outcome lost(String why) {
            return new Outcome(null, why);
        }
    }

    /** The store's writer as the sink of a download. */
    private static final class WriterStream extends OutputStream {
        private final MediaWriter writer;

        WriterStream(MediaWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.write(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writer.write(b, off, len);
        }
    }

    /** A fetch job as stored in {@code media_fetches} (JSON, so an operator can read it). */
    record FetchJob(String storedId, String phoneNumberId, String number, String user, String metaMediaId,
                    String wamid, String mimeType, String sha256, String filename, long firstSeenMillis,
                    int attempts, long nextAttemptMillis, MediaState state, String error, long lostAtMillis) {

        static FetchJob of(Event e, long now) {
            InboundMedia m = e.getInbound().getMedia();
            return new FetchJob(m.getStoredMediaId(), e.getPhoneNumberId(), e.getNumber(), e.getUser(),
                    m.getMetaMediaId(), e.getInbound().getWamid(), m.getMimeType(), m.getSha256(), m.getFilename(),
                    now, 0, now, MediaState.FETCHING, "", 0);
        }

        FetchJob retried(int attempts, long next, String why) {
            return new FetchJob(storedId, phoneNumberId, number, user, metaMediaId, wamid, mimeType, sha256, filename,
                    firstSeenMillis, attempts, next, state, why, lostAtMillis);
        }

        FetchJob lost(long now, String why) {
            return new FetchJob(storedId, phoneNumberId, number, user, metaMediaId, wamid, mimeType, sha256, filename,
                    firstSeenMillis, attempts, nextAttemptMillis, MediaState.LOST, why, now);
        }

        byte[] encode() {
            try {
                return JSON.writeValueAsBytes(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static FetchJob decode(byte[] v) {
            try {
                return JSON.readValue(v, FetchJob.class);
            } catch (IOException e) {
                throw new io.wagate.store.StoreException("a media fetch job does not decode: " + e.getMessage(), e);
            }
        }
    }
}
