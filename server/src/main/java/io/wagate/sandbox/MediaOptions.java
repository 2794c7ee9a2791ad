package io.wagate.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the sandbox keeps media (reference §3.6, §5): lifetimes of uploaded and webhook media ids
 * and of download URLs, the memory it may use, the upload size it reads, and the clock it ages
 * media by. Validated on construction; immutable.
 *
 * @param uploadTtl how long an uploaded media id lives (Meta: 30 days)
 * @param inboundTtl how long a webhook (inbound) media id lives (Meta: 7 days)
 * @param urlTtl how long a download URL from {@code GET /{media-id}} works (Meta: 5 minutes)
 * @param maxStoreBytes bytes of media kept in memory; above it the oldest media are evicted (they
 *     then answer like deleted media). At least {@link #MAX_MEDIA_BYTES}, so one document always fits
 * @param maxUploadBytes request bodies of {@code POST /{number}/media} above this are read and
 *     discarded, then refused (131053); the largest Meta type plus room for the multipart framing
 * @param diskThreshold upload parts larger than this are spooled to a temporary file while the
 *     request is read, instead of held in memory twice
 * @param clock the clock media age by; tests may also move it with {@link SandboxMediaStore#advance}
 */
public record MediaOptions(Duration uploadTtl, Duration inboundTtl, Duration urlTtl, long maxStoreBytes,
                           long maxUploadBytes, long diskThreshold, Clock clock) {

    /** The largest media Meta takes (documents, and inbound media from users): 100 MB. */
    public static final long MAX_MEDIA_BYTES = 100L * 1024 * 1024;
    public static final Duration META_UPLOAD_TTL = Duration.ofDays(30);
    public static final Duration META_INBOUND_TTL = Duration.ofDays(7);
    public static final Duration META_URL_TTL = Duration.ofMinutes(5);
    /** Two full-size documents and change: the sandbox is for tests, not for keeping media. */
    public static final long DEFAULT_MAX_STORE_BYTES = 256L * 1024 * 1024;
    /** 100 MB plus 1 MiB for the form fields and part headers. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = MAX_MEDIA_BYTES + 1024 * 1024;
    public static final long DEFAULT_DISK_THRESHOLD = 1024 * 1024;

    /** Meta's lifetimes, the default memory bound, the system clock. */
    public static final MediaOptions META = new MediaOptions(META_UPLOAD_TTL, META_INBOUND_TTL, META_URL_TTL,
            DEFAULT_MAX_STORE_BYTES, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_DISK_THRESHOLD, Clock.systemUTC());

    public MediaOptions {
        positive(uploadTtl, "sandbox.media.upload_ttl");
        positive(inboundTtl, "sandbox.media.inbound_ttl");
        positive(urlTtl, "sandbox.media.url_ttl");
        if (maxStoreBytes < MAX_MEDIA_BYTES) {
            throw new IllegalArgumentException("sandbox.media.max_store_bytes must be >= " + MAX_MEDIA_BYTES
                    + " (one 100 MB document), got " + maxStoreBytes);
        }
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("sandbox.media.max_upload_bytes must be > 0, got " + maxUploadBytes);
        }
        if (diskThreshold < 0) {
            throw new IllegalArgumentException("sandbox.media.disk_threshold must be >= 0, got " + diskThreshold);
        }
        Objects.requireNonNull(clock, "sandbox.media.clock must be set");
    }

    public MediaOptions withUploadTtl(Duration ttl) {
        return new MediaOptions(ttl, inboundTtl, urlTtl, maxStoreBytes, maxUploadBytes, diskThreshold, clock);
    }

    public MediaOptions withInboundTtl(Duration ttl) {
        return new MediaOptions(uploadTtl, ttl, urlTtl, maxStoreBytes, maxUploadBytes, diskThreshold, clock);
    }

    public MediaOptions withUrlTtl(Duration ttl) {
        return new MediaOptions(uploadTtl, inboundTtl, ttl, maxStoreBytes, maxUploadBytes, diskThreshold, clock);
    }

    public MediaOptions withMaxStoreBytes(long max) {
        return new MediaOptions(uploadTtl, inboundTtl, urlTtl, max, maxUploadBytes, diskThreshold, clock);
    }

    public MediaOptions withMaxUploadBytes(long max) {
        return new MediaOptions(uploadTtl, inboundTtl, urlTtl, maxStoreBytes, max, diskThreshold, clock);
    }

    public MediaOptions withDiskThreshold(long threshold) {
        return new MediaOptions(uploadTtl, inboundTtl, urlTtl, maxStoreBytes, maxUploadBytes, threshold, clock);
    }

    public MediaOptions withClock(Clock newClock) {
        return new MediaOptions(uploadTtl, inboundTtl, urlTtl, maxStoreBytes, maxUploadBytes, diskThreshold, newClock);
    }

    private static void positive(Duration d, String key) {
        Objects.requireNonNull(d, key + " must be set");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be > 0, got " + d);
        }
    }
}
