package io.wagate.webhook;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;
import static io.netty.handler.codec.http.HttpResponseStatus.UNAUTHORIZED;
import static io.netty.handler.codec.http.HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE;

import com.codahale.metrics.Timer;
import io.wagate.api.v1.Event;
import io.wagate.events.EventSink;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POST from signature to answer: verify over the raw bytes (401, nothing parsed), check the
 * media type (415), split into events (400 naming the odd place), store them, and answer 200 only
 * once the sink says they are durable; a store that fails is 503, so Meta retries later.
 *
 * <p>Threading: {@link #ingest} is called on an event loop and returns at once; verification,
 * parsing and the store call run on the given executor. A full executor answers 503.
 */
final class WebhookIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIngestor.class);

    private final SignatureVerifier verifier;
    private final WebhookParser parser;
    private final EventSink sink;
    private final WebhookMetrics metrics;
    private final Executor executor;

    WebhookIngestor(SignatureVerifier verifier, WebhookParser parser, EventSink sink, WebhookMetrics metrics,
                    Executor executor) {
        this.verifier = verifier;
        this.parser = parser;
        this.sink = sink;
        this.metrics = metrics;
        this.executor = executor;
    }

    /**
     * @param signature   the {@code X-Hub-Signature-256} header, null when absent
     * @param contentType the {@code Content-Type} header, null when absent
     */
    CompletableFuture<WebhookResponse> ingest(byte[] body, String signature, String contentType) {
        metrics.posts.inc();
        Timer.Context timer = metrics.postLatency.time();
        CompletableFuture<WebhookResponse> answer;
        try {
            answer = CompletableFuture.supplyAsync(() -> check(body, signature, contentType), executor)
                    .thenCompose(r -> r != null ? CompletableFuture.completedFuture(r) : parseAndStore(body));
        } catch (RejectedExecutionException e) {
            metrics.overloaded.inc();
            answer = CompletableFuture.completedFuture(WebhookResponse.of(SERVICE_UNAVAILABLE, "overloaded, retry later"));
        }
        return answer.handle((r, failure) -> {
            timer.stop();
            if (failure != null) {
                // a bug, not Meta's fault: no 200, so Meta keeps the notification and retries
                LOG.error("webhook post failed unexpectedly", failure);
                return WebhookResponse.of(SERVICE_UNAVAILABLE, "internal error, retry later");
            }
            return r;
        });
    }

    /** The refusal, or null when the post may be parsed. */
    private WebhookResponse check(byte[] body, String signature, String contentType) {
        SignatureVerifier.Verification v = verifier.verify(signature, body);
        if (!v.ok()) {
            metrics.rejectedSignature.inc();
            return WebhookResponse.of(UNAUTHORIZED, v.failure());
        }
        metrics.verified(v.app()).inc();
        if (contentType != null && !isJson(contentType)) {
            metrics.rejectedMediaType.inc();
            return WebhookResponse.of(UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
        return null;
    }

    private CompletableFuture<WebhookResponse> parseAndStore(byte[] body) {
        List<Event> events;
        try {
            events = parser.parse(body);
        } catch (WebhookFormatException e) {
            metrics.rejectedMalformed.inc();
            LOG.warn("webhook refused: {}", e.getMessage());
            return CompletableFuture.completedFuture(WebhookResponse.of(BAD_REQUEST, e.getMessage()));
        }
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(WebhookResponse.of(OK, "no events"));
        }
        long unparsed = events.stream().filter(e -> e.getKind() == io.wagate.api.v1.EventKind.UNPARSED).count();
        CompletableFuture<EventSink.AppendResult> stored;
        try {
            stored = sink.append(events);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.handle((result, failure) -> {
            if (failure != null) {
                metrics.storeFailures.inc();
                LOG.warn("webhook with {} events not stored, Meta will retry: {}", events.size(), describe(failure));
                return WebhookResponse.of(SERVICE_UNAVAILABLE, "events not stored, retry later");
            }
            metrics.eventsStored.inc(result.stored());
            metrics.eventsDuplicate.inc(result.duplicates());
            metrics.unparsedItems.inc(unparsed); // redeliveries count again: how often Meta sent them
            return WebhookResponse.of(OK, "stored " + result.stored() + ", duplicates " + result.duplicates());
        });
    }

    /** application/json or any +json type, parameters ignored. */
    static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    private static String describe(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
