package io.wagate.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Groups notifications due at about the same time into one POST, as Meta does: a batch is closed
 * when it holds {@link WebhookOptions#maxBatch()} notifications, or {@link WebhookOptions#linger()}
 * after its first one arrived, so latency stays low. A body over Meta's 3 MB is split in halves.
 *
 * <p>Threading: thread-safe; {@link #add} is called from the timer and from injecting threads.
 */
final class WebhookBatcher {

    /** Meta's largest webhook body (reference §4.3). */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    private final ScheduledExecutorService timer;
    private final Supplier<WebhookOptions> options;
    private final UnaryOperator<String> displayNumber;
    private final WebhookPoster poster;
    private final UnaryOperator<String> wabaOf;
    private List<WebhookNotification> open = new ArrayList<>();
    private boolean flushScheduled;

    WebhookBatcher(ScheduledExecutorService timer, Supplier<WebhookOptions> options, UnaryOperator<String> displayNumber,
                   WebhookPoster poster, UnaryOperator<String> wabaOf) {
        this.wabaOf = wabaOf;
        this.timer = timer;
        this.options = options;
        this.displayNumber = displayNumber;
        this.poster = poster;
    }

    /** Adds an admitted notification to the open batch. */
    void add(WebhookNotification n) {
        List<WebhookNotification> full = null;
        synchronized (this) {
            open.add(n);
            WebhookOptions o = options.get();
            if (open.size() >= o.maxBatch()) {
                full = take();
            } else if (!flushScheduled) {
                flushScheduled = true;
                try {
                    timer.schedule(this::flush, o.linger().toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    flushScheduled = false; // closing
                }
            }
        }
        if (full != null) {
            post(full);
        }
    }

    private void flush() {
        List<WebhookNotification> batch;
        synchronized (this) {
            flushScheduled = false;
            if (open.isEmpty()) {
                return;
            }
            batch = take();
        }
        post(batch);
    }

    private List<WebhookNotification> take() {
        List<WebhookNotification> batch = open;
        open = new ArrayList<>();
        return batch;
    }

    private void post(List<WebhookNotification> batch) {
        byte[] body = WebhookSigner.render(WebhookEnvelope.of(wabaOf, batch, displayNumber));
        if (body.length > MAX_BODY_BYTES && batch.size() > 1) {
            post(batch.subList(0, batch.size() / 2));
            post(batch.subList(batch.size() / 2, batch.size()));
            return;
        }
        poster.submit(new WebhookPoster.Batch(body, batch.size()));
    }
}
