package io.wagate.sandbox;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The media the sandbox holds, in memory: uploaded media ({@code POST /{number}/media}, living
 * {@link MediaOptions#uploadTtl()}, Meta: 30 days) and media of injected inbound messages (living
 * {@link MediaOptions#inboundTtl()}, Meta: 7 days), each owned by one phone-number id; the download
 * URLs handed out by {@code GET /{media-id}} (living {@link MediaOptions#urlTtl()}, Meta: 5
 * minutes); and scripted download failures.
 *
 * <p>Bounded: at most {@link MediaOptions#maxStoreBytes()} bytes of media; adding more evicts the
 * oldest first, and an evicted id answers like a deleted one. Expired media are dropped when next
 * touched. Time is the options' clock plus what {@link #advance} added, so tests can age media by
 * 30 days without waiting.
 *
 * <p>Threading: thread-safe (one lock; every operation is short, downloads hold only a reference to
 * the immutable bytes).
 */
public final class SandboxMediaStore {

    /** Where a media id came from. */
    public enum Origin { UPLOAD, INBOUND }

    /**
     * One stored media object; the bytes are never changed after storing.
     *
     * @param id the media id, digits like Meta's
     * @param phoneNumberId the business number that owns it
     * @param mimeType as declared
     * @param sha256 lower-case hex SHA-256 of the bytes
     * @param uploadedAt when it was stored
     * @param expiresAt when its id stops working
     * @param origin upload or inbound webhook
     */
    public record Media(String id, String phoneNumberId, String mimeType, String sha256, long size, Instant uploadedAt,
                        Instant expiresAt, Origin origin, byte[] bytes) {
        @Override
        public String toString() {
            return "Media[" + id + ", " + phoneNumberId + ", " + mimeType + ", " + size + " bytes, " + origin + "]";
        }
    }

    /** Counts for inspection. */
    public record Stats(int count, long bytes, long uploads, long downloads, long evicted, long failedDownloads) {
    }

    /** A scripted download answer: {@code status} for the next {@code remaining} downloads (of one id, or any). */
    private static final class DownloadFault {
        final int status;
        final String mediaId;
        int remaining;

        DownloadFault(int status, String mediaId, int remaining) {
            this.status = status;
            this.mediaId = mediaId;
            this.remaining = remaining;
        }
    }

    private record Url(String mediaId, Instant expiresAt) {
    }

    /** Bounds the URLs remembered; a test never needs more than a few alive at once. */
    private static final int MAX_URLS = 10_000;

    private final MediaOptions options;
    private final Object lock = new Object();
    /** In insertion order, so eviction takes the oldest. */
    private final LinkedHashMap<String, Media> media = new LinkedHashMap<>();
    private final LinkedHashMap<String, Url> urls = new LinkedHashMap<>();
    private final List<DownloadFault> faults = new ArrayList<>();
    private Duration skew = Duration.ZERO;
    private long bytes;
    private long uploads;
    private long downloads;
    private long evicted;
    private long failedDownloads;

    SandboxMediaStore(MediaOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public MediaOptions options() {
        return options;
    }

    /** Now, as media age: the options' clock plus every {@link #advance}. */
    public Instant now() {
        synchronized (lock) {
            return options.clock().instant().plus(skew);
        }
    }

    /** Moves the media clock forward: media and URLs age by {@code d} at once. */
    public void advance(Duration d) {
        if (Objects.requireNonNull(d, "d").isNegative()) {
            throw new IllegalArgumentException("cannot move the media clock back, got " + d);
        }
        synchronized (lock) {
            skew = skew.plus(d);
        }
    }

    /** Stores {@code data} for {@code phoneNumberId}; evicts the oldest media if the store would exceed its bound. */
    public Media put(String phoneNumberId, String mimeType, byte[] data, Origin origin) {
        Objects.requireNonNull(phoneNumberId, "phoneNumberId");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(data, "data");
        String sha = sha256Hex(data);
        synchronized (lock) {
            Instant now = options.clock().instant().plus(skew);
            Duration ttl = origin == Origin.UPLOAD ? options.uploadTtl() : options.inboundTtl();
            String id;
            do {
                id = Long.toString(1_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(1L << 52));
            } while (media.containsKey(id));
            Media m = new Media(id, phoneNumberId, mimeType, sha, data.length, now, now.plus(ttl), origin, data);
            for (Iterator<Media> it = media.values().iterator(); it.hasNext() && bytes + data.length > options.maxStoreBytes(); ) {
                bytes -= it.next().size();
                it.remove();
                evicted++;
            }
            media.put(id, m);
            bytes += data.length;
            if (origin == Origin.UPLOAD) {
                uploads++;
            }
            return m;
        }
    }

    /** The live media {@code id}, empty when unknown, deleted, evicted or expired. */
    public Optional<Media> get(String id) {
        synchronized (lock) {
            Media m = media.get(id);
            if (m != null && !now().isBefore(m.expiresAt())) {
                remove(id);
                return Optional.empty();
            }
            return Optional.ofNullable(m);
        }
    }

    /** True if live media {@code id} belongs to {@code phoneNumberId}. */
    public boolean ownedBy(String id, String phoneNumberId) {
        return get(id).map(m -> m.phoneNumberId().equals(phoneNumberId)).orElse(false);
    }

    /** Deletes {@code id}; its URLs stop working. @return false if it was not live */
    public boolean delete(String id) {
        synchronized (lock) {
            return get(id).isPresent() && remove(id);
        }
    }

    /**
     * Makes {@code id} lost, as if Meta no longer had it: {@code GET /{id}} answers 100/33 and its
     * URLs 404. Same as {@link #delete}, named for what a test means.
     */
    public boolean lose(String id) {
        return delete(id);
    }

    /** A new download URL token for {@code id}, valid {@link MediaOptions#urlTtl()}; remembers at most 10,000. */
    String issueUrl(String id) {
        synchronized (lock) {
            byte[] h = new byte[16];
            ThreadLocalRandom.current().nextBytes(h);
            String hash = HexFormat.of().formatHex(h);
            urls.put(hash, new Url(id, now().plus(options.urlTtl())));
            for (Iterator<Url> it = urls.values().iterator(); urls.size() > MAX_URLS && it.hasNext(); ) {
                it.next();
                it.remove();
            }
            return hash;
        }
    }

    /** The media a live URL token points at; empty when the URL expired or its media is gone. */
    Optional<Media> resolveUrl(String hash, String mediaId) {
        synchronized (lock) {
            Url u = hash == null ? null : urls.get(hash);
            if (u == null || !u.mediaId().equals(mediaId)) {
                return Optional.empty();
            }
            if (!now().isBefore(u.expiresAt())) {
                urls.remove(hash);
                return Optional.empty();
            }
            return get(mediaId);
        }
    }

    /** Every URL handed out so far stops working now (new ones from {@code GET /{media-id}} work). */
    public int expireUrls() {
        synchronized (lock) {
            int n = urls.size();
            urls.clear();
            return n;
        }
    }

    /**
     * The next {@code times} downloads (of {@code mediaId}, or of any media when null) answer
     * {@code httpStatus} (404 as for an expired URL, 5xx as for Meta's trouble) instead of the bytes.
     */
    public void failDownloads(int times, int httpStatus, String mediaId) {
        if (times <= 0) {
            throw new IllegalArgumentException("times must be > 0, got " + times);
        }
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("http_status must be 400..599, got " + httpStatus);
        }
        synchronized (lock) {
            faults.add(new DownloadFault(httpStatus, mediaId, times));
        }
    }

    /** Removes every scripted download failure. */
    public void clearDownloadFaults() {
        synchronized (lock) {
            faults.clear();
        }
    }

    /** The scripted status for this download, or 0 to serve it; counts the download either way. */
    int onDownload(String mediaId) {
        synchronized (lock) {
            downloads++;
            for (Iterator<DownloadFault> it = faults.iterator(); it.hasNext(); ) {
                DownloadFault f = it.next();
                if (f.mediaId == null || f.mediaId.equals(mediaId)) {
                    if (--f.remaining <= 0) {
                        it.remove();
                    }
                    failedDownloads++;
                    return f.status;
                }
            }
            return 0;
        }
    }

    /** Live media, oldest first; an immutable snapshot. */
    public List<Media> list() {
        synchronized (lock) {
            Instant now = now();
            media.values().removeIf(m -> {
                boolean dead = !now.isBefore(m.expiresAt());
                if (dead) {
                    bytes -= m.size();
                }
                return dead;
            });
            return List.copyOf(media.values());
        }
    }

    public Stats stats() {
        synchronized (lock) {
            int count = list().size();
            return new Stats(count, bytes, uploads, downloads, evicted, failedDownloads);
        }
    }

    /** Forgets all media, URLs, faults and counts; the clock skew stays. */
    public void clear() {
        synchronized (lock) {
            media.clear();
            urls.clear();
            faults.clear();
            bytes = 0;
            uploads = 0;
            downloads = 0;
            evicted = 0;
            failedDownloads = 0;
        }
    }

    private boolean remove(String id) {
        Media m = media.remove(id);
        if (m == null) {
            return false;
        }
        bytes -= m.size();
        urls.values().removeIf(u -> u.mediaId().equals(id));
        return true;
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** For logs and the control API. */
    static Map<String, Object> describe(Media m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", m.id());
        d.put("phone_number_id", m.phoneNumberId());
        d.put("mime_type", m.mimeType());
        d.put("sha256", m.sha256());
        d.put("file_size", m.size());
        d.put("uploaded_at", m.uploadedAt().toString());
        d.put("expires_at", m.expiresAt().toString());
        d.put("origin", m.origin().name().toLowerCase(java.util.Locale.ROOT));
        return d;
    }
}
