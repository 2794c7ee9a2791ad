package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The control endpoints of the policy rules: {@code /_sandbox/templates} (list; status and
 * category changes as Meta's review would make them), {@code /_sandbox/marketing} (a user stops or
 * resumes marketing messages), {@code /_sandbox/billing} (the emulator's billing record),
 * {@code /_sandbox/policy} (rules on or off, auto-approve, the marketing limit) and
 * {@code /_sandbox/policy/advance} (move the policy clock). Part of {@link SandboxControlApi},
 * which parses bodies and turns {@link IllegalArgumentException} into 400.
 *
 * <p>Threading: called on event loops; only CPU work.
 */
final class PolicyControlApi {

    static final String TEMPLATES = "/_sandbox/templates";
    static final String MARKETING = "/_sandbox/marketing";
    static final String BILLING = "/_sandbox/billing";
    static final String POLICY = "/_sandbox/policy";
    static final String ADVANCE = "/_sandbox/policy/advance";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final TemplateCatalog templates;
    private final SandboxPolicy policy;

    PolicyControlApi(TemplateCatalog templates, SandboxPolicy policy) {
        this.templates = templates;
        this.policy = policy;
    }

    static boolean owns(String path) {
        return Set.of(TEMPLATES, MARKETING, BILLING, POLICY, ADVANCE).contains(path);
    }

    SandboxControlApi.Answer handle(HttpMethod method, String path, Supplier<JsonNode> body) {
        boolean get = method.equals(HttpMethod.GET);
        boolean post = method.equals(HttpMethod.POST);
        switch (path) {
            case TEMPLATES -> {
                if (get) {
                    ObjectNode root = NODES.objectNode();
                    ArrayNode arr = root.putArray("templates");
                    templates.list().forEach(t -> arr.add(t.toJson().put("waba_id", t.wabaId())));
                    return SandboxControlApi.ok(root);
                }
                return post ? changeTemplate(body.get()) : SandboxControlApi.notAllowed(method, path);
            }
            case MARKETING -> {
                if (get) {
                    ObjectNode root = NODES.objectNode();
                    ArrayNode arr = root.putArray("stopped");
                    for (String k : policy.stoppedMarketing()) {
                        int bar = k.indexOf('|');
                        arr.addObject().put("phone_number_id", k.substring(0, bar)).put("user", k.substring(bar + 1));
                    }
                    return SandboxControlApi.ok(root);
                }
                return post ? marketing(body.get()) : SandboxControlApi.notAllowed(method, path);
            }
            case BILLING -> {
                return get ? SandboxControlApi.ok(billing(policy)) : SandboxControlApi.notAllowed(method, path);
            }
            case POLICY -> {
                if (post || method.equals(HttpMethod.PUT)) {
                    update(body.get());
                } else if (!get) {
                    return SandboxControlApi.notAllowed(method, path);
                }
                PolicyOptions o = policy.options();
                return SandboxControlApi.ok(NODES.objectNode().put("rules", o.rules()).put("auto_approve", o.autoApprove())
                        .put("marketing_limit", o.marketingLimit()).put("now", policy.nowMillis() / 1000));
            }
            default -> {
                if (!post) {
                    return SandboxControlApi.notAllowed(method, path);
                }
                JsonNode s = body.get().get("seconds");
                if (s == null || !s.isNumber() || s.asDouble() < 0) {
                    throw new IllegalArgumentException("seconds must be a number >= 0: how far the policy clock moves");
                }
                policy.advance(Duration.ofMillis((long) (s.asDouble() * 1000)));
                return SandboxControlApi.ok(NODES.objectNode().put("now", policy.nowMillis() / 1000));
            }
        }
    }

    /** Meta's record shape: {@code {"messages":[{"wamid",...,"at"}]}}. */
    static ObjectNode billing(SandboxPolicy policy) {
        ObjectNode root = NODES.objectNode();
        ArrayNode arr = root.putArray("messages");
        for (BillingRecord r : policy.billing()) {
            arr.addObject().put("wamid", r.wamid()).put("phone_number_id", r.phoneNumberId())
                    .put("recipient", r.recipient()).put("category", r.category()).put("type", r.type())
                    .put("billable", r.billable()).put("pricing_model", r.pricingModel()).put("at", r.at());
        }
        return root;
    }

    private SandboxControlApi.Answer changeTemplate(JsonNode b) {
        only(b, Set.of("waba_id", "name", "language", "status", "category", "reason"), "template change");
        String waba = InboundSpec.stringField(b, "waba_id");
        String name = InboundSpec.stringField(b, "name");
        String language = InboundSpec.stringField(b, "language");
        String status = InboundSpec.stringField(b, "status");
        String category = InboundSpec.stringField(b, "category");
        if (name == null || language == null) {
            throw new IllegalArgumentException("name and language must be set: they name the template");
        }
        if (status == null && category == null) {
            throw new IllegalArgumentException("status or category must be set: what changes");
        }
        boolean exists = templates.list().stream().anyMatch(t -> (waba == null || t.wabaId().equals(waba))
                && t.name().equals(name) && t.language().equals(language));
        if (!exists) {
            return SandboxControlApi.error(HttpResponseStatus.NOT_FOUND, "no template " + InboundSpec.abbreviate(name)
                    + " (" + InboundSpec.abbreviate(language) + ")" + (waba == null ? "" : " in WABA " + waba));
        }
        SandboxTemplate t = null;
        if (category != null) {
            if (!SandboxTemplate.CATEGORIES.contains(category.toUpperCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("category must be MARKETING, UTILITY or AUTHENTICATION, got " + category);
            }
        }
        if (status != null) {
            t = templates.setStatus(waba, name, language, status, InboundSpec.stringField(b, "reason"));
        }
        if (category != null) {
            t = templates.setCategory(waba, name, language, category);
        }
        return SandboxControlApi.ok(t.toJson().put("waba_id", t.wabaId()));
    }

    private SandboxControlApi.Answer marketing(JsonNode b) {
        only(b, Set.of("user", "phone_number_id", "value"), "marketing preference");
        String value = InboundSpec.stringField(b, "value");
        if (!"stop".equals(value) && !"resume".equals(value)) {
            throw new IllegalArgumentException("value must be stop or resume");
        }
        String user = InboundSpec.stringField(b, "user");
        String number = InboundSpec.stringField(b, "phone_number_id");
        if (value.equals("stop")) {
            policy.stopMarketing(number, user);
        } else {
            policy.resumeMarketing(number, user);
        }
        return SandboxControlApi.ok(NODES.objectNode().put("user", WebhookBehaviour.recipientKey(user))
                .put("value", value));
    }

    private void update(JsonNode b) {
        only(b, Set.of("rules", "auto_approve", "marketing_limit"), "policy");
        PolicyOptions o = policy.options();
        if (b.has("rules")) {
            o = o.withRules(bool(b, "rules"));
        }
        if (b.has("auto_approve")) {
            o = o.withAutoApprove(bool(b, "auto_approve"));
        }
        if (b.has("marketing_limit")) {
            JsonNode v = b.get("marketing_limit");
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new IllegalArgumentException("marketing_limit must be an integer 0..1000 (0: no limit)");
            }
            o = o.withMarketingLimit(v.intValue());
        }
        policy.setOptions(o);
    }

    private static void only(JsonNode b, Set<String> known, String what) {
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new IllegalArgumentException("unknown " + what + " field '" + InboundSpec.abbreviate(f) + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static boolean bool(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return v.asBoolean();
    }
}
