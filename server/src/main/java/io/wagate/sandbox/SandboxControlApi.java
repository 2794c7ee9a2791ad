package io.wagate.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.wagate.cloudapi.ErrorCodeTable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The sandbox's own HTTP endpoints under {@code /_sandbox/}: inspection, health, statistics, fault
 * rules, limits and outages, all JSON. The reference is in {@code package-info.java}.
 *
 * <p>Answers are built here and written by {@link SandboxHttpHandler} at once (they are not part of
 * the emulated Meta: no latency, no faults). An answer may carry an action to run after it was
 * written, for an outage that would otherwise cut its own answer off.
 *
 * <p>Threading: called on event loops; only CPU work, delegating to thread-safe parts.
 */
final class SandboxControlApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String FAULTS = "/_sandbox/faults";
    /** A day: longer outages are a mistake, not a test. */
    private static final double MAX_OUTAGE_SECONDS = 86_400;

    /** What to answer, and what to do once it is written (null for nothing). */
    record Answer(HttpResponseStatus status, JsonNode body, Runnable afterWrite) {
        Answer(HttpResponseStatus status, JsonNode body) {
            this(status, body, null);
        }
    }

    /** A bad control request; its message is the answer. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private final FaultPlan faults;
    private final SandboxLimits limits;
    private final ReceivedMessageLog log;
    private final SandboxListener listener;
    private final Map<String, String> numbers;
    private final WebhookControlApi webhooks;
    private final SandboxMediaStore media;
    private final MediaControlApi mediaControl;
    private final PolicyControlApi policyControl;
    private final SandboxPolicy policy;

    SandboxControlApi(FaultPlan faults, SandboxLimits limits, ReceivedMessageLog log, SandboxListener listener,
                      Map<String, String> numbers, WebhookControlApi webhooks, SandboxMediaStore media,
                      PolicyControlApi policyControl, SandboxPolicy policy) {
        this.policyControl = policyControl;
        this.policy = policy;
        this.media = media;
        this.mediaControl = new MediaControlApi(media);
        this.faults = faults;
        this.limits = limits;
        this.log = log;
        this.listener = listener;
        this.numbers = numbers;
        this.webhooks = webhooks;
    }

    Answer handle(HttpMethod method, QueryStringDecoder uri, ByteBuf content) {
        String path = uri.path();
        try {
            if (path.equals("/_sandbox/health")) {
                return only(method, HttpMethod.GET) ? ok(NODES.objectNode().put("status", "ok")
                        .put("received", log.receivedCount())) : notAllowed(method, path);
            } else if (path.equals("/_sandbox/messages")) {
                return only(method, HttpMethod.GET) ? ok(inspection(uri)) : notAllowed(method, path);
            } else if (path.equals("/_sandbox/stats")) {
                return only(method, HttpMethod.GET) ? ok(stats()) : notAllowed(method, path);
            } else if (path.equals(FAULTS)) {
                if (method.equals(HttpMethod.GET)) {
                    return ok(faultList());
                } else if (method.equals(HttpMethod.POST)) {
                    FaultSpec spec = faultSpec(body(content));
                    long id = faults.add(spec);
                    return new Answer(HttpResponseStatus.CREATED, faultJson(id, spec, null, null));
                } else if (method.equals(HttpMethod.DELETE)) {
                    int n = faults.rules().size();
                    faults.clear();
                    return ok(NODES.objectNode().put("removed", n));
                }
                return notAllowed(method, path);
            } else if (path.startsWith(FAULTS + "/")) {
                if (!method.equals(HttpMethod.DELETE)) {
                    return notAllowed(method, path);
                }
                long id = parseId(path.substring(FAULTS.length() + 1));
                return faults.remove(id) ? ok(NODES.objectNode().put("removed", 1))
                        : error(HttpResponseStatus.NOT_FOUND, "no fault rule " + id);
            } else if (path.equals("/_sandbox/limits")) {
                if (method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT)) {
                    updateLimits(body(content));
                    return ok(limitsJson());
                }
                return only(method, HttpMethod.GET) ? ok(limitsJson()) : notAllowed(method, path);
            } else if (path.equals("/_sandbox/outage")) {
                return only(method, HttpMethod.POST) ? outage(body(content)) : notAllowed(method, path);
            } else if (PolicyControlApi.owns(path)) {
                return policyControl.handle(method, path, () -> body(content));
            } else if (MediaControlApi.owns(path)) {
                return mediaControl.handle(method, uri, () -> body(content));
            } else if (WebhookControlApi.owns(path)) {
                Answer a = webhooks.handle(method, path, () -> body(content));
                if (a != null) {
                    return a;
                }
            } else if (path.equals("/_sandbox/reset")) {
                if (!only(method, HttpMethod.POST)) {
                    return notAllowed(method, path);
                }
                log.clear();
                faults.clear();
                limits.reset();
                webhooks.reset();
                media.clear();
                policy.clear();
                return ok(NODES.objectNode().put("reset", true));
            }
            return error(HttpResponseStatus.NOT_FOUND, "unknown sandbox endpoint " + abbreviate(path));
        } catch (BadRequest | IllegalArgumentException e) {
            return error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private Answer outage(JsonNode body) {
        JsonNode s = body.get("seconds");
        if (s == null || !s.isNumber() || !(s.asDouble() > 0) || s.asDouble() > MAX_OUTAGE_SECONDS) {
            throw new BadRequest("seconds must be a number in (0, " + (long) MAX_OUTAGE_SECONDS + "]: the control API"
                    + " goes down with the listener, so an outage begun over HTTP must end by itself");
        }
        Duration length = Duration.ofNanos((long) (s.asDouble() * 1e9));
        return new Answer(HttpResponseStatus.ACCEPTED, NODES.objectNode().put("outage_seconds", s.asDouble()),
                () -> listener.beginOutageLater(length));
    }

    private ObjectNode stats() {
        ObjectNode root = NODES.objectNode();
        root.put("received", log.receivedCount());
        root.put("attempted", log.attemptedCount());
        root.put("marked_read", log.markedReadCount());
        root.put("throttled", limits.throttledCount());
        root.put("pair_limited", limits.pairLimitedCount());
        root.put("fault_hits", faults.hitCount());
        root.put("outage", listener.isDown());
        root.put("outages", listener.outageCount());
        ObjectNode per = root.putObject("numbers");
        for (String n : new TreeSet<>(numbers.keySet())) {
            per.putObject(n).put("throughput", limits.throughput(n)).put("throttled", limits.throttledCount(n))
                    .put("pair_limited", limits.pairLimitedCount(n));
        }
        return root;
    }

    private ObjectNode inspection(QueryStringDecoder query) {
        String only = query.parameters().getOrDefault("phone_number_id", List.of()).stream().findFirst().orElse(null);
        ArrayNode arr = NODES.arrayNode();
        for (ReceivedMessage m : only == null ? log.received() : log.received(only)) {
            arr.addObject().put("phone_number_id", m.phoneNumberId()).put("wamid", m.wamid())
                    .put("at", m.at().toString()).set("body", m.body());
        }
        ObjectNode root = NODES.objectNode();
        root.put("count", log.receivedCount());
        root.set("messages", arr);
        return root;
    }

    private ObjectNode faultList() {
        ObjectNode root = NODES.objectNode();
        ArrayNode arr = root.putArray("faults");
        for (FaultPlan.ActiveFault f : faults.rules()) {
            arr.add(faultJson(f.id(), f.spec(), f.remaining(), f.expiresAt()));
        }
        root.put("hits", faults.hitCount());
        return root;
    }

    private ObjectNode limitsJson() {
        ObjectNode root = NODES.objectNode();
        root.put("throughput", limits.defaultThroughput());
        ObjectNode per = root.putObject("numbers");
        limits.numberThroughput().forEach(per::put);
        PairLimit p = limits.pairLimit();
        root.putObject("pair_limit").put("enabled", p.enabled()).put("burst", p.burst())
                .put("refill_millis", p.refillInterval().toMillis());
        root.put("throttle_http_status", limits.throttleHttpStatus());
        return root;
    }

    private void updateLimits(JsonNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("throughput", "numbers", "pair_limit", "throttle_http_status").contains(f)) {
                throw new BadRequest("unknown limits field '" + abbreviate(f) + "'");
            }
        }
        if (body.has("throughput")) {
            limits.setDefaultThroughput(intField(body, "throughput"));
        }
        if (body.has("numbers")) {
            JsonNode per = body.get("numbers");
            if (!per.isObject()) {
                throw new BadRequest("numbers must be an object of phone-number id to msg/s (null: the default)");
            }
            per.properties().forEach(e -> {
                if (e.getValue().isNull()) {
                    limits.clearThroughput(e.getKey());
                } else {
                    limits.setThroughput(e.getKey(), intField(per, e.getKey()));
                }
            });
        }
        if (body.has("pair_limit")) {
            JsonNode p = body.get("pair_limit");
            if (p.isBoolean()) {
                limits.setPairLimit(p.asBoolean() ? PairLimit.META : PairLimit.OFF);
            } else if (p.isObject()) {
                PairLimit cur = limits.pairLimit();
                boolean enabled = p.has("enabled") ? p.get("enabled").asBoolean() : true;
                int burst = p.has("burst") ? intField(p, "burst") : cur.burst();
                Duration refill = p.has("refill_millis") ? Duration.ofMillis(intField(p, "refill_millis")) : cur.refillInterval();
                limits.setPairLimit(new PairLimit(enabled, burst, refill));
            } else {
                throw new BadRequest("pair_limit must be true, false or {\"enabled\",\"burst\",\"refill_millis\"}");
            }
        }
        if (body.has("throttle_http_status")) {
            limits.setThrottleHttpStatus(intField(body, "throttle_http_status"));
        }
    }

    /** Reads a fault rule as documented in the package reference. */
    static FaultSpec faultSpec(JsonNode b) {
        String kind = textField(b, "kind");
        if (kind == null) {
            throw new BadRequest("kind must be one of meta_error, drop, stall, reset_after_read, reset_before_read,"
                    + " reset_on_connect, latency");
        }
        FaultPlan.Fault fault = switch (kind) {
            case "meta_error" -> {
                if (!b.has("code")) {
                    throw new BadRequest("meta_error needs a code");
                }
                int code = intField(b, "code");
                int status = b.has("http_status") ? intField(b, "http_status") : ErrorCodeTable.httpStatus(code);
                yield new FaultPlan.MetaError(code, status, textField(b, "details"));
            }
            case "drop" -> new FaultPlan.Drop();
            case "stall", "timeout" -> new FaultPlan.Stall();
            case "reset_after_read" -> new FaultPlan.ResetAfterRead();
            case "reset_before_read" -> new FaultPlan.ResetBeforeRead();
            case "reset_on_connect" -> new FaultPlan.ResetOnConnect();
            case "latency" -> new FaultPlan.Delay(latency(b.get("latency")));
            default -> throw new BadRequest("unknown fault kind '" + abbreviate(kind) + "'");
        };
        int times = b.has("times") ? intField(b, "times") : 0;
        Duration duration = null;
        if (b.has("seconds")) {
            JsonNode s = b.get("seconds");
            if (!s.isNumber() || !(s.asDouble() > 0)) {
                throw new BadRequest("seconds must be a number > 0");
            }
            duration = Duration.ofNanos((long) (s.asDouble() * 1e9));
        }
        double probability = 1.0;
        if (b.has("probability")) {
            if (!b.get("probability").isNumber()) {
                throw new BadRequest("probability must be a number in (0, 1]");
            }
            probability = b.get("probability").asDouble();
        }
        return new FaultSpec(fault, textField(b, "number"), textField(b, "recipient"), times, duration, probability);
    }

    /** {@code 300}, {@code {"distribution":"fixed","ms":300}}, uniform {@code min_ms}/{@code max_ms}, normal {@code mean_ms}/{@code stddev_ms}. */
    static Latency latency(JsonNode l) {
        if (l == null || l.isNull()) {
            throw new BadRequest("latency must be set: a number of ms or {\"distribution\":\"fixed|uniform|normal\",...}");
        }
        if (l.isNumber()) {
            return Latency.fixed(Duration.ofMillis(l.asLong()));
        }
        String d = textField(l, "distribution");
        if (d == null) {
            d = "fixed";
        }
        return switch (d) {
            case "fixed" -> Latency.fixed(millis(l, "ms"));
            case "uniform" -> Latency.uniform(millis(l, "min_ms"), millis(l, "max_ms"));
            case "normal" -> Latency.normal(millis(l, "mean_ms"), millis(l, "stddev_ms"));
            default -> throw new BadRequest("latency.distribution must be fixed, uniform or normal, got '" + abbreviate(d) + "'");
        };
    }

    static ObjectNode faultJson(long id, FaultSpec spec, Integer remaining, Instant expiresAt) {
        ObjectNode o = NODES.objectNode();
        o.put("id", id);
        FaultPlan.Fault f = spec.fault();
        if (f instanceof FaultPlan.MetaError e) {
            o.put("kind", "meta_error").put("code", e.code()).put("http_status", e.httpStatus());
            if (e.details() != null) {
                o.put("details", e.details());
            }
        } else if (f instanceof FaultPlan.Delay d) {
            o.put("kind", "latency").set("latency", latencyJson(d.latency()));
        } else if (f instanceof FaultPlan.Drop) {
            o.put("kind", "drop");
        } else if (f instanceof FaultPlan.Stall) {
            o.put("kind", "stall");
        } else if (f instanceof FaultPlan.ResetAfterRead) {
            o.put("kind", "reset_after_read");
        } else if (f instanceof FaultPlan.ResetBeforeRead) {
            o.put("kind", "reset_before_read");
        } else {
            o.put("kind", "reset_on_connect");
        }
        putNullable(o, "number", spec.number());
        putNullable(o, "recipient", spec.recipient());
        o.put("times", spec.times());
        if (spec.duration() != null) {
            o.put("seconds", spec.duration().toNanos() / 1e9);
        }
        o.put("probability", spec.probability());
        if (remaining != null) {
            o.put("remaining", remaining);
        }
        if (expiresAt != null) {
            o.put("expires_at", expiresAt.toString());
        }
        return o;
    }

    static ObjectNode latencyJson(Latency l) {
        ObjectNode o = NODES.objectNode();
        if (l instanceof Latency.Fixed f) {
            o.put("distribution", "fixed").put("ms", f.delay().toMillis());
        } else if (l instanceof Latency.Uniform u) {
            o.put("distribution", "uniform").put("min_ms", u.min().toMillis()).put("max_ms", u.max().toMillis());
        } else if (l instanceof Latency.Normal n) {
            o.put("distribution", "normal").put("mean_ms", n.mean().toMillis()).put("stddev_ms", n.stddev().toMillis());
        }
        return o;
    }

    private static boolean only(HttpMethod method, HttpMethod allowed) {
        return method.equals(allowed);
    }

    static Answer ok(JsonNode body) {
        return new Answer(HttpResponseStatus.OK, body);
    }

    static Answer notAllowed(HttpMethod method, String path) {
        return error(HttpResponseStatus.METHOD_NOT_ALLOWED, method.name() + " is not allowed on " + abbreviate(path));
    }

    static Answer error(HttpResponseStatus status, String message) {
        ObjectNode root = NODES.objectNode();
        root.putObject("error").put("message", message);
        return new Answer(status, root);
    }

    private static JsonNode body(ByteBuf content) {
        if (!content.isReadable()) {
            return NODES.objectNode();
        }
        try (InputStream in = new ByteBufInputStream(content.duplicate())) {
            JsonNode n = JSON.readTree(in);
            if (n == null || !n.isObject()) {
                throw new BadRequest("body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new BadRequest("body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("body cannot be read");
        }
    }

    private static long parseId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new BadRequest("fault id must be a number, got '" + abbreviate(s) + "'");
        }
    }

    private static int intField(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new BadRequest(field + " must be an integer");
        }
        return v.intValue();
    }

    private static String textField(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadRequest(field + " must be a string");
        }
        return v.asText();
    }

    private static Duration millis(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isNumber()) {
            throw new BadRequest("latency." + field + " must be a number of milliseconds");
        }
        return Duration.ofNanos((long) (v.asDouble() * 1e6));
    }

    private static void putNullable(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
