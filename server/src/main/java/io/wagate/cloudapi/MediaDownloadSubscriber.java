package io.wagate.cloudapi;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Streams a media download into the caller's sink as it arrives, one buffer list at a time (so
 * memory stays flat whatever the size), hashing it with SHA-256, aborting past a size limit or when
 * no bytes came for an idle timeout.
 *
 * <p>Threading: the HTTP client calls it serially; the idle check runs on the client's executor and
 * only cancels the subscription and completes the result, which is idempotent.
 */
final class MediaDownloadSubscriber implements HttpResponse.BodySubscriber<MediaResult> {

    /** The caller's sink threw: the download's future completes exceptionally with this. */
    static final class SinkFailure extends java.io.UncheckedIOException {
        private static final long serialVersionUID = 1L;

        SinkFailure(IOException cause) {
            super("the download sink failed", cause);
        }
    }

    private final OutputStream sink;
    private final long maxBytes;
    private final String expectedSha256;
    private final String contentType;
    private final long idleNanos;
    private final Executor executor;
    private final MessageDigest digest;
    private final CompletableFuture<MediaResult> result = new CompletableFuture<>();
    private final byte[] copy = new byte[64 * 1024];
    private volatile Flow.Subscription subscription;
    private volatile long lastActivity = System.nanoTime();
    private long received;

    private final long declaredLength;

    /** @param declaredLength the response's Content-Length, -1 if absent: over the limit, nothing is read */
    MediaDownloadSubscriber(OutputStream sink, long maxBytes, String expectedSha256, String contentType,
                            long declaredLength, Duration idleTimeout, Executor executor) {
        this.declaredLength = declaredLength;
        this.sink = sink;
        this.maxBytes = maxBytes;
        this.expectedSha256 = expectedSha256;
        this.contentType = contentType;
        this.idleNanos = idleTimeout.toNanos();
        this.executor = executor;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public CompletionStage<MediaResult> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredLength > maxBytes) {
            s.cancel();
            result.complete(new MediaResult.TooLarge(maxBytes));
            return;
        }
        scheduleIdleCheck(idleNanos);
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        lastActivity = System.nanoTime();
        for (ByteBuffer b : buffers) {
            received += b.remaining();
            if (received > maxBytes) {
                subscription.cancel();
                result.complete(new MediaResult.TooLarge(maxBytes));
                return;
            }
            try {
                write(b);
            } catch (IOException e) {
                subscription.cancel();
                result.completeExceptionally(new SinkFailure(e));
                return;
            }
        }
        subscription.request(1);
    }

    private void write(ByteBuffer b) throws IOException {
        if (b.hasArray()) {
            int off = b.arrayOffset() + b.position();
            int len = b.remaining();
            digest.update(b.array(), off, len);
            sink.write(b.array(), off, len);
            b.position(b.limit());
            return;
        }
        while (b.hasRemaining()) {
            int n = Math.min(copy.length, b.remaining());
            b.get(copy, 0, n);
            digest.update(copy, 0, n);
            sink.write(copy, 0, n);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.complete(TransportFailureClassifier.classify(t));
    }

    @Override
    public void onComplete() {
        if (result.isDone()) {
            return;
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
            result.complete(new MediaResult.ChecksumMismatch(expectedSha256.toLowerCase(java.util.Locale.ROOT), actual,
                    received));
            return;
        }
        result.complete(new MediaResult.Downloaded(received, actual, contentType));
    }

    /** Aborts when no bytes arrived for the idle timeout; checks again when they did. */
    private void scheduleIdleCheck(long delayNanos) {
        Executor later = CompletableFuture.delayedExecutor(Math.max(1, delayNanos), TimeUnit.NANOSECONDS, executor);
        try {
            later.execute(() -> {
                if (result.isDone()) {
                    return;
                }
                long idle = System.nanoTime() - lastActivity;
                if (idle >= idleNanos) {
                    subscription.cancel();
                    result.complete(new SendResult.TransportFailure(true, "media download idle for "
                            + TimeUnit.NANOSECONDS.toMillis(idle) + " ms"));
                } else {
                    scheduleIdleCheck(idleNanos - idle);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the client is closing; the HTTP client fails the download itself
        }
    }
}
