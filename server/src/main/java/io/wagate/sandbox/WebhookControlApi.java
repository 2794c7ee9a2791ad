package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The control endpoints of the sandbox's webhooks: {@code GET}/{@code POST /_sandbox/webhook}
 * (target, delivery, behaviour; counts), {@code POST /_sandbox/webhook/pause} and
 * {@code /resume}, and {@code POST /_sandbox/inbound}. Part of {@link SandboxControlApi}, which
 * parses bodies and turns {@link IllegalArgumentException} into 400.
 *
 * <p>Threading: called on event loops; only CPU work.
 */
final class WebhookControlApi {

    static final String WEBHOOK = "/_sandbox/webhook";
    static final String INBOUND = "/_sandbox/inbound";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> FIELDS = Set.of("target", "app_secret", "waba_id", "sent_delay_ms",
            "delivered_delay_ms", "read_delay_ms", "played_delay_ms", "skip_delivered", "skip_read", "reorder",
            "duplicate", "played", "failures", "template_categories", "default_template_category", "max_batch",
            "linger_ms", "max_in_flight", "capacity", "request_timeout_ms", "retry_schedule_ms", "max_age_seconds",
            "paused");

    private final SandboxWebhooks webhooks;

    WebhookControlApi(SandboxWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    /** {@code POST /_sandbox/reset}: zeroes the webhook counts and forgets customer service windows. */
    void reset() {
        webhooks.resetStats();
    }

    /** True for the paths this part answers. */
    static boolean owns(String path) {
        return path.equals(WEBHOOK) || path.startsWith(WEBHOOK + "/") || path.equals(INBOUND);
    }

    /**
     * @param body the parsed request body (an empty object when there was none)
     * @return the answer, or null for an unknown path under {@code /_sandbox/webhook/}
     */
    SandboxControlApi.Answer handle(HttpMethod method, String path, java.util.function.Supplier<JsonNode> body) {
        switch (path) {
            case WEBHOOK -> {
                if (method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT)) {
                    update(body.get());
                } else if (!method.equals(HttpMethod.GET)) {
                    return SandboxControlApi.notAllowed(method, path);
                }
                return SandboxControlApi.ok(describe());
            }
            case WEBHOOK + "/pause", WEBHOOK + "/resume" -> {
                if (!method.equals(HttpMethod.POST)) {
                    return SandboxControlApi.notAllowed(method, path);
                }
                if (path.endsWith("pause")) {
                    webhooks.pause();
                } else {
                    webhooks.resume();
                }
                return SandboxControlApi.ok(NODES.objectNode().put("paused", webhooks.stats().paused()));
            }
            case INBOUND -> {
                if (!method.equals(HttpMethod.POST)) {
                    return SandboxControlApi.notAllowed(method, path);
                }
                return inbound(body.get());
            }
            default -> {
                return null;
            }
        }
    }

    private SandboxControlApi.Answer inbound(JsonNode body) {
        InboundSpec spec = InboundSpec.fromJson(body);
        try {
            String wamid = webhooks.injectInbound(spec);
            return new SandboxControlApi.Answer(HttpResponseStatus.OK, NODES.objectNode().put("wamid", wamid));
        } catch (IllegalStateException e) {
            return SandboxControlApi.error(HttpResponseStatus.CONFLICT, e.getMessage());
        }
    }

    private void update(JsonNode b) {
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown webhook field '" + InboundSpec.abbreviate(f) + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        WebhookOptions o = webhooks.options();
        if (b.has("target") || b.has("app_secret")) {
            URI target = o.target();
            if (b.has("target")) {
                String t = InboundSpec.stringField(b, "target");
                try {
                    target = t == null ? null : URI.create(t);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("target is not a URL: " + InboundSpec.abbreviate(t));
                }
            }
            String secret = b.has("app_secret") ? InboundSpec.stringField(b, "app_secret") : o.appSecret();
            o = o.withTarget(target, target == null ? null : secret);
        }
        if (b.has("waba_id")) {
            o = o.withWabaId(InboundSpec.stringField(b, "waba_id"));
        }
        o = o.withBatching(b.has("max_batch") ? integer(b, "max_batch") : o.maxBatch(),
                b.has("linger_ms") ? millis(b, "linger_ms") : o.linger());
        o = o.withBounds(b.has("max_in_flight") ? integer(b, "max_in_flight") : o.maxInFlight(),
                b.has("capacity") ? integer(b, "capacity") : o.capacity());
        if (b.has("request_timeout_ms")) {
            o = o.withRequestTimeout(millis(b, "request_timeout_ms"));
        }
        if (b.has("retry_schedule_ms") || b.has("max_age_seconds")) {
            o = o.withRetrySchedule(b.has("retry_schedule_ms") ? schedule(b.get("retry_schedule_ms")) : o.retrySchedule(),
                    b.has("max_age_seconds") ? Duration.ofMillis((long) (number(b, "max_age_seconds") * 1000))
                            : o.maxAge());
        }
        o = o.withBehaviour(behaviour(b, o.behaviour()));
        webhooks.setOptions(o);
        if (b.has("paused")) {
            if (bool(b, "paused")) {
                webhooks.pause();
            } else {
                webhooks.resume();
            }
        }
    }

    private static WebhookBehaviour behaviour(JsonNode b, WebhookBehaviour w) {
        w = w.withDelays(b.has("sent_delay_ms") ? millis(b, "sent_delay_ms") : w.sentDelay(),
                b.has("delivered_delay_ms") ? millis(b, "delivered_delay_ms") : w.deliveredDelay(),
                b.has("read_delay_ms") ? millis(b, "read_delay_ms") : w.readDelay(),
                b.has("played_delay_ms") ? millis(b, "played_delay_ms") : w.playedDelay());
        if (b.has("skip_delivered")) {
            w = w.withSkipDelivered(bool(b, "skip_delivered"));
        }
        if (b.has("skip_read")) {
            w = w.withSkipRead(bool(b, "skip_read"));
        }
        if (b.has("reorder")) {
            w = w.withReorder(bool(b, "reorder"));
        }
        if (b.has("duplicate")) {
            w = w.withDuplicate(bool(b, "duplicate"));
        }
        if (b.has("played")) {
            w = w.withPlayed(bool(b, "played"));
        }
        if (b.has("failures")) {
            w = w.withFailures(failures(b.get("failures"), w.failures()));
        }
        if (b.has("template_categories") || b.has("default_template_category")) {
            Map<String, String> c = new HashMap<>(w.templateCategories());
            JsonNode given = b.get("template_categories");
            if (given != null) {
                if (!given.isObject()) {
                    throw new IllegalArgumentException("template_categories must be an object of template name to"
                            + " marketing, utility or authentication (null removes one)");
                }
                given.properties().forEach(e -> {
                    if (e.getValue().isNull()) {
                        c.remove(e.getKey());
                    } else {
                        c.put(e.getKey(), InboundSpec.stringField(given, e.getKey()));
                    }
                });
            }
            w = w.withTemplateCategories(c, b.has("default_template_category")
                    ? InboundSpec.stringField(b, "default_template_category") : w.defaultTemplateCategory());
        }
        return w;
    }

    /** {@code {"+16505551234": 131026 | {"code":131049,"details":"..."} | null}} merged into {@code current}. */
    private static Map<String, StatusFailure> failures(JsonNode f, Map<String, StatusFailure> current) {
        if (!f.isObject()) {
            throw new IllegalArgumentException("failures must be an object of recipient to an error code,"
                    + " {\"code\":N,\"details\":\"...\"}, or null to remove");
        }
        Map<String, StatusFailure> out = new HashMap<>(current);
        f.properties().forEach(e -> {
            String key = WebhookBehaviour.recipientKey(e.getKey());
            JsonNode v = e.getValue();
            if (v.isNull()) {
                out.remove(key);
            } else if (v.isIntegralNumber()) {
                out.put(key, StatusFailure.of(v.asInt()));
            } else if (v.isObject() && v.path("code").isIntegralNumber()) {
                out.put(key, StatusFailure.of(v.get("code").asInt(), InboundSpec.stringField(v, "details")));
            } else {
                throw new IllegalArgumentException("failures[" + InboundSpec.abbreviate(e.getKey()) + "] must be an"
                        + " error code, {\"code\":N,\"details\":\"...\"} or null");
            }
        });
        return out;
    }

    private ObjectNode describe() {
        WebhookOptions o = webhooks.options();
        WebhookBehaviour w = o.behaviour();
        ObjectNode root = NODES.objectNode();
        root.put("target", o.target() == null ? null : o.target().toString());
        root.put("app_secret_set", o.appSecret() != null);
        root.put("waba_id", o.wabaId());
        root.put("sent_delay_ms", w.sentDelay().toMillis()).put("delivered_delay_ms", w.deliveredDelay().toMillis())
                .put("read_delay_ms", w.readDelay().toMillis()).put("played_delay_ms", w.playedDelay().toMillis());
        root.put("skip_delivered", w.skipDelivered()).put("skip_read", w.skipRead()).put("reorder", w.reorder())
                .put("duplicate", w.duplicate()).put("played", w.played());
        ObjectNode failures = root.putObject("failures");
        new TreeMap<>(w.failures()).forEach((k, v) -> failures.putObject(k).put("code", v.code()).put("title", v.title())
                .put("details", v.details()));
        ObjectNode categories = root.putObject("template_categories");
        new TreeMap<>(w.templateCategories()).forEach(categories::put);
        root.put("default_template_category", w.defaultTemplateCategory());
        root.put("max_batch", o.maxBatch()).put("linger_ms", o.linger().toMillis()).put("max_in_flight", o.maxInFlight())
                .put("capacity", o.capacity()).put("request_timeout_ms", o.requestTimeout().toMillis());
        ArrayNode schedule = root.putArray("retry_schedule_ms");
        o.retrySchedule().forEach(d -> schedule.add(d.toMillis()));
        root.put("max_age_seconds", o.maxAge().toMillis() / 1000.0);
        WebhookStats s = webhooks.stats();
        root.put("paused", s.paused());
        root.putObject("stats").put("statuses", s.statuses()).put("inbound", s.inbound()).put("posted", s.posted())
                .put("answered_ok", s.answeredOk()).put("retried", s.retried()).put("failed_attempts", s.failedAttempts())
                .put("dropped_expired", s.droppedExpired()).put("dropped_overflow", s.droppedOverflow())
                .put("pending", s.pending()).put("in_flight", s.inFlight());
        return root;
    }

    private static List<Duration> schedule(JsonNode s) {
        if (!s.isArray() || s.isEmpty()) {
            throw new IllegalArgumentException("retry_schedule_ms must be a non-empty array of waits in ms");
        }
        List<Duration> out = new ArrayList<>();
        for (JsonNode n : s) {
            if (!n.isNumber() || n.asDouble() < 0) {
                throw new IllegalArgumentException("retry_schedule_ms must hold numbers >= 0, got " + n);
            }
            out.add(Duration.ofNanos((long) (n.asDouble() * 1e6)));
        }
        return out;
    }

    private static Duration millis(JsonNode b, String field) {
        double ms = number(b, field);
        if (ms < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + b.get(field));
        }
        return Duration.ofNanos((long) (ms * 1e6));
    }

    private static double number(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number");
        }
        return v.asDouble();
    }

    private static int integer(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return v.asBoolean();
    }
}
