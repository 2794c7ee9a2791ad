package io.wagate.sandbox;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts signed webhook bodies to the target as Meta does (reference §4.4): at most
 * {@link WebhookOptions#maxInFlight()} POSTs at once, each retried while it is not answered 200
 * (refused, timed out, any other status) after the waits of {@link WebhookOptions#retrySchedule()},
 * and dropped (and counted) once the next try would come after {@link WebhookOptions#maxAge()}.
 * A retry posts the same bytes, signed with the app secret in force at that moment.
 *
 * <p>Threading: thread-safe. Posts are asynchronous (the JDK HttpClient); answers are handled on
 * its threads, retry waits on the shared timer. The ready queue needs no bound of its own: every
 * notification in it was admitted against {@link WebhookOptions#capacity()}.
 */
final class WebhookPoster {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookPoster.class);

    /** Where to post and how to sign; null when no target is configured. */
    record Target(java.net.URI uri, String appSecret) {
    }

    /** One POST body, posted until answered 200 or too old. */
    static final class Batch {
        final byte[] body;
        final int notifications;
        final long firstAttemptNanos;
        int attempts;

        Batch(byte[] body, int notifications) {
            this.body = body;
            this.notifications = notifications;
            this.firstAttemptNanos = System.nanoTime();
        }
    }

    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Supplier<WebhookOptions> options;
    private final WebhookCounters counters;
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    private int inFlight;
    private boolean paused;
    private boolean closed;

    WebhookPoster(ScheduledExecutorService timer, Supplier<WebhookOptions> options, WebhookCounters counters) {
        this.timer = timer;
        this.options = options;
        this.counters = counters;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.get().requestTimeout()).build();
    }

    /** Posts {@code batch} as soon as a slot is free. */
    void submit(Batch batch) {
        synchronized (this) {
            ready.addLast(batch);
        }
        pump();
    }

    /** While paused, nothing new is posted; POSTs already out finish (and may be retried later). */
    void setPaused(boolean pause) {
        synchronized (this) {
            paused = pause;
        }
        pump();
    }

    synchronized boolean paused() {
        return paused;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    private void pump() {
        List<Batch> start = new ArrayList<>();
        synchronized (this) {
            int max = options.get().maxInFlight();
            while (!closed && !paused && inFlight < max && !ready.isEmpty()) {
                start.add(ready.pollFirst());
                inFlight++;
            }
        }
        start.forEach(this::post);
    }

    private void post(Batch batch) {
        WebhookOptions o = options.get();
        counters.posted.incrementAndGet();
        if (batch.attempts++ > 0) {
            counters.retried.incrementAndGet();
        }
        if (o.target() == null) {
            answered(batch, -1, "no webhook target is configured");
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(o.target()).timeout(o.requestTimeout())
                .header("Content-Type", "application/json")
                .header(WebhookSigner.SIGNATURE_HEADER, WebhookSigner.signature(o.appSecret(), batch.body))
                .header("User-Agent", "facebookexternalua")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body))
                .build();
        try {
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) ->
                    answered(batch, res == null ? -1 : res.statusCode(), err == null ? null : err.toString()));
        } catch (RuntimeException e) {
            answered(batch, -1, e.toString());
        }
    }

    private void answered(Batch batch, int status, String failure) {
        synchronized (this) {
            inFlight--;
        }
        if (status == 200) {
            counters.answeredOk.incrementAndGet();
            counters.release(batch.notifications);
        } else {
            counters.failedAttempts.incrementAndGet();
            retryLater(batch, status == -1 ? failure : "HTTP " + status);
        }
        pump();
    }

    private void retryLater(Batch batch, String why) {
        WebhookOptions o = options.get();
        Duration wait = o.retryWait(batch.attempts - 1);
        long ageAtRetry = System.nanoTime() - batch.firstAttemptNanos + wait.toNanos();
        if (ageAtRetry > o.maxAge().toNanos()) {
            LOG.warn("sandbox drops a webhook POST of {} notification(s) after {} attempts over {}: {}",
                    batch.notifications, batch.attempts, o.maxAge(), why);
            counters.droppedExpired.addAndGet(batch.notifications);
            counters.release(batch.notifications);
            return;
        }
        LOG.debug("sandbox webhook POST failed ({}); attempt {} in {}", why, batch.attempts + 1, wait);
        try {
            timer.schedule(() -> submit(batch), wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            counters.release(batch.notifications); // closing
        }
    }

    /** Posts nothing more; what is queued is forgotten. */
    void close() {
        synchronized (this) {
            closed = true;
            ready.clear();
        }
        if (http instanceof AutoCloseable c) { // Java 21+: release the connections now
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing the webhook HTTP client: {}", e.toString());
            }
        }
    }
}
