package io.wagate.webhook;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/**
 * The webhook receiver's metrics, registered once under {@code webhook.*}: what Meta posted,
 * what was refused and why, what was stored, and how long Meta waited for its answer.
 */
public final class WebhookMetrics {

    final Counter posts;
    final Counter rejectedSignature;
    final Counter rejectedMalformed;
    final Counter rejectedMediaType;
    final Counter rejectedTooLarge;
    final Counter rejectedBadRequest;
    final Counter storeFailures;
    final Counter overloaded;
    final Counter eventsStored;
    final Counter eventsDuplicate;
    final Counter unparsedItems;
    final Counter handshakes;
    final Counter handshakesRejected;
    /** Names of the counters {@code Admin.GetStatus} reports. */
    public static final String POSTS = "webhook.posts";
    public static final String REJECTED_SIGNATURE = "webhook.rejected.signature";
    public static final String REJECTED_MALFORMED = "webhook.rejected.malformed";
    public static final String STORE_FAILURES = "webhook.store_failures";
    public static final String EVENTS_STORED = "webhook.events.stored";
    public static final String EVENTS_DUPLICATE = "webhook.events.duplicate";
    /** Items kept raw as UNPARSED events (a shape this build cannot read): worth a look when it grows. */
    public static final String UNPARSED_ITEMS = "webhook.unparsed_items";

    final Timer postLatency;
    private final MetricRegistry registry;

    WebhookMetrics(MetricRegistry registry) {
        this.registry = registry;
        posts = registry.counter(POSTS);
        rejectedSignature = registry.counter(REJECTED_SIGNATURE);
        rejectedMalformed = registry.counter(REJECTED_MALFORMED);
        rejectedMediaType = registry.counter("webhook.rejected.media_type");
        rejectedTooLarge = registry.counter("webhook.rejected.too_large");
        rejectedBadRequest = registry.counter("webhook.rejected.bad_request");
        storeFailures = registry.counter(STORE_FAILURES);
        overloaded = registry.counter("webhook.rejected.overloaded");
        eventsStored = registry.counter(EVENTS_STORED);
        eventsDuplicate = registry.counter(EVENTS_DUPLICATE);
        unparsedItems = registry.counter(UNPARSED_ITEMS);
        handshakes = registry.counter("webhook.handshakes");
        handshakesRejected = registry.counter("webhook.handshakes.rejected");
        postLatency = registry.timer("webhook.post_latency");
    }

    /** Posts whose signature matched this app's secret. */
    Counter verified(String app) {
        return registry.counter("webhook.verified." + app);
    }
}
