package io.wagate.webhook;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/**
 * The webhook receiver's metrics, registered once under {@code webhook.*}: what Meta posted,
 * what was refused and why, what was stored, and how long Meta waited for its answer.
 */
final class WebhookMetrics {

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
    final Counter handshakes;
    final Counter handshakesRejected;
    final Timer postLatency;
    private final MetricRegistry registry;

    WebhookMetrics(MetricRegistry registry) {
        this.registry = registry;
        posts = registry.counter("webhook.posts");
        rejectedSignature = registry.counter("webhook.rejected.signature");
        rejectedMalformed = registry.counter("webhook.rejected.malformed");
        rejectedMediaType = registry.counter("webhook.rejected.media_type");
        rejectedTooLarge = registry.counter("webhook.rejected.too_large");
        rejectedBadRequest = registry.counter("webhook.rejected.bad_request");
        storeFailures = registry.counter("webhook.store_failures");
        overloaded = registry.counter("webhook.rejected.overloaded");
        eventsStored = registry.counter("webhook.events.stored");
        eventsDuplicate = registry.counter("webhook.events.duplicate");
        handshakes = registry.counter("webhook.handshakes");
        handshakesRejected = registry.counter("webhook.handshakes.rejected");
        postLatency = registry.timer("webhook.post_latency");
    }

    /** Posts whose signature matched this app's secret. */
    Counter verified(String app) {
        return registry.counter("webhook.verified." + app);
    }
}
