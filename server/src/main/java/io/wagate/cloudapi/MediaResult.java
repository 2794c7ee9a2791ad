package io.wagate.cloudapi;

/**
 * The outcome of one call to Meta's media endpoints (reference §5). Like {@link SendResult}, every
 * outcome is data: Meta's errors are {@link SendResult.MetaError} (code, subcode, details, retry
 * class from {@link ErrorCodeTable}) and network trouble is {@link SendResult.TransportFailure}
 * (always {@link RetryClass#TRANSIENT}); the media-specific outcomes are the records below.
 *
 * <table>
 *   <caption>Outcomes per call</caption>
 *   <tr><th>call</th><th>success</th><th>also</th></tr>
 *   <tr><td>{@code uploadMedia}</td><td>{@link Uploaded}</td><td>MetaError (131053: type or size refused;
 *       100: a parameter), TransportFailure</td></tr>
 *   <tr><td>{@code retrieveMediaUrl}</td><td>{@link MediaUrl}</td><td>{@link MediaGone}, MetaError, TransportFailure</td></tr>
 *   <tr><td>{@code downloadMedia}</td><td>{@link Downloaded}</td><td>{@link UrlExpired}, {@link TooLarge},
 *       {@link ChecksumMismatch}, MetaError (401/403: {@code AUTH}; 5xx: {@code TRANSIENT}), TransportFailure</td></tr>
 *   <tr><td>{@code deleteMedia}</td><td>{@link Deleted}</td><td>{@link MediaGone}, MetaError, TransportFailure</td></tr>
 * </table>
 *
 * <p>All implementations are immutable records; safe to pass between threads.
 */
public sealed interface MediaResult permits MediaResult.Uploaded, MediaResult.MediaUrl, MediaResult.Downloaded,
        MediaResult.Deleted, MediaResult.MediaGone, MediaResult.UrlExpired, MediaResult.TooLarge,
        MediaResult.ChecksumMismatch, SendResult.MetaError, SendResult.TransportFailure {

    /** Meta stored the upload: {@code mediaId} can be sent from the uploading number for 30 days. */
    record Uploaded(String mediaId) implements MediaResult {
    }

    /**
     * Where to download a media id from, valid about 5 minutes: fetch a fresh one for every attempt.
     *
     * @param url the download URL; needs the same Bearer token
     * @param mimeType as Meta has it
     * @param sha256 lower-case hex SHA-256 of the bytes, for {@code downloadMedia}'s check
     * @param fileSize in bytes; -1 if Meta did not say
     * @param mediaId the id asked about
     */
    record MediaUrl(String url, String mimeType, String sha256, long fileSize, String mediaId) implements MediaResult {
    }

    /**
     * The bytes were written to the sink in full (and matched the expected SHA-256, if one was given).
     *
     * @param bytes how many
     * @param sha256 lower-case hex SHA-256 of what was written
     * @param contentType the response's {@code Content-Type}, null if absent
     */
    record Downloaded(long bytes, String sha256, String contentType) implements MediaResult {
    }

    /** Meta answered {@code {"success": true}} to a delete. */
    record Deleted() implements MediaResult {
    }

    /**
     * Meta does not have the media id (any more), or not for this number or token: Graph's "object
     * does not exist" (code 100, subcode 33). Not retryable: upload again (outbound media) or give
     * up with a clear event (inbound media, whose ids live 7 days).
     */
    record MediaGone(int httpStatus, int code, Integer subcode, String details) implements MediaResult {
    }

    /**
     * The download URL answered 404 (or 410): it expired (5 minutes) or its media is gone. Fetch a
     * fresh URL with {@code retrieveMediaUrl}; if that answers {@link MediaGone}, the media is lost.
     */
    record UrlExpired(int httpStatus) implements MediaResult {
    }

    /**
     * The download was aborted because it passed {@code limitBytes} (what was written to the sink
     * is incomplete and must be discarded). Not retryable.
     */
    record TooLarge(long limitBytes) implements MediaResult {
    }

    /**
     * The bytes written to the sink do not hash to the expected SHA-256 (they must be discarded).
     * Worth one more attempt with a fresh URL; a repeat means the media is corrupt at Meta.
     */
    record ChecksumMismatch(String expected, String actual, long bytes) implements MediaResult {
    }
}
