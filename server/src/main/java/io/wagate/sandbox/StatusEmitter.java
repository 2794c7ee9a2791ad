package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Plays the recipient's phone after an accepted send: plans its status webhooks (reference §4.6)
 * by the {@link WebhookBehaviour} in force, and hands each to the batcher when it is due.
 *
 * <p>Pricing (§4.6, §7.3, per-message pricing, v24+ so no {@code conversation}), decided by
 * {@link SandboxPolicy#accepted}, is on {@code sent} and on {@code delivered}, or on {@code read}
 * when {@code delivered} is skipped. A send a policy rule fails after acceptance (131050, 131049)
 * gets only {@code failed}, without pricing: it never left Meta.
 *
 * <p>Threading: thread-safe; called on the emulator's event loops, statuses fire on the timer.
 */
final class StatusEmitter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One status of the plan: what it says, when it truly happened, when it is posted. */
    private record Step(String status, long happensAtMillis, long postAtMillis, boolean pricing, StatusFailure failure) {
    }

    private final ScheduledExecutorService timer;
    private final Supplier<WebhookOptions> options;
    private final WebhookCounters counters;
    private final Consumer<WebhookNotification> batcher;

    StatusEmitter(ScheduledExecutorService timer, Supplier<WebhookOptions> options, WebhookCounters counters,
                  Consumer<WebhookNotification> batcher) {
        this.timer = timer;
        this.options = options;
        this.counters = counters;
        this.batcher = batcher;
    }

    /**
     * Plans and schedules the statuses of a send accepted at {@code acceptedAtMillis}; nothing without a target.
     *
     * @param failure a failure the send itself causes (a bad media id, a policy rule), reported in
     *     place of the behaviour's for the recipient; null for none
     * @param pricing the {@code pricing} object of the priced statuses
     * @param failOnly the send fails before it leaves Meta (a policy rule): {@code failed} alone, no pricing
     */
    void accepted(String phoneNumberId, JsonNode body, String wamid, long acceptedAtMillis, StatusFailure failure,
                  ObjectNode pricing, boolean failOnly) {
        WebhookOptions o = options.get();
        if (o.target() == null) {
            return;
        }
        WebhookBehaviour b = o.behaviour();
        boolean byPhone = body.hasNonNull("to");
        String recipient = (byPhone ? body.get("to") : body.path("recipient")).asText();
        List<Step> steps = failOnly
                ? List.of(new Step("failed", acceptedAtMillis + b.sentDelay().toMillis(),
                        acceptedAtMillis + b.sentDelay().toMillis(), false, failure))
                : plan(b, body.path("type").asText("text"), failure != null ? failure : b.failureFor(recipient),
                        acceptedAtMillis);
        if (!counters.admit(steps.size(), o.capacity())) {
            return;
        }
        counters.statuses.addAndGet(steps.size());
        ObjectNode base = NODES.objectNode();
        base.put("id", wamid);
        if (byPhone) {
            base.put("recipient_id", WebhookBehaviour.recipientKey(recipient));
        } else {
            base.put("recipient_user_id", recipient);
        }
        if (body.hasNonNull("biz_opaque_callback_data")) {
            base.put("biz_opaque_callback_data", body.get("biz_opaque_callback_data").asText());
        }
        long now = System.currentTimeMillis();
        for (Step s : steps) {
            WebhookNotification n = WebhookNotification.status(phoneNumberId, status(base, s, pricing));
            try {
                timer.schedule(() -> batcher.accept(n), Math.max(0, s.postAtMillis() - now), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                counters.release(1); // closing
            }
        }
    }

    private static List<Step> plan(WebhookBehaviour b, String type, StatusFailure failure, long t0) {
        List<String> names = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        long sent = t0 + b.sentDelay().toMillis();
        long delivered = sent + b.deliveredDelay().toMillis();
        names.add("sent");
        times.add(sent);
        if (failure != null) {
            names.add("failed");
            times.add(delivered);
        } else {
            if (!b.skipDelivered()) {
                names.add("delivered");
                times.add(delivered);
            }
            if (!b.skipRead()) {
                long read = delivered + b.readDelay().toMillis();
                names.add("read");
                times.add(read);
                if (b.played() && type.equals("audio")) {
                    names.add("played");
                    times.add(read + b.playedDelay().toMillis());
                }
            }
        }
        List<Long> postAt = new ArrayList<>(times);
        if (b.reorder() && postAt.size() >= 2) {
            postAt.set(0, times.get(1));
            postAt.set(1, times.get(0));
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            boolean priced = name.equals("sent") || name.equals("delivered") || (name.equals("read") && b.skipDelivered());
            Step s = new Step(name, times.get(i), postAt.get(i), priced, name.equals("failed") ? failure : null);
            steps.add(s);
            if (b.duplicate()) {
                steps.add(new Step(name, s.happensAtMillis(), s.postAtMillis() + WebhookBehaviour.DUPLICATE_LAG.toMillis(),
                        priced, s.failure()));
            }
        }
        return steps;
    }

    private static ObjectNode status(ObjectNode base, Step s, ObjectNode pricing) {
        ObjectNode st = base.deepCopy();
        st.put("status", s.status());
        st.put("timestamp", Long.toString(s.happensAtMillis() / 1000));
        if (s.pricing()) {
            st.set("pricing", pricing.deepCopy());
        }
        if (s.failure() != null) {
            st.putArray("errors").add(s.failure().toJson());
        }
        // field order as Meta: id, status, timestamp, recipient, callback data, pricing, errors
        ObjectNode ordered = NODES.objectNode();
        for (String f : List.of("id", "status", "timestamp", "recipient_id", "recipient_user_id",
                "biz_opaque_callback_data", "pricing", "errors")) {
            if (st.has(f)) {
                ordered.set(f, st.get(f));
            }
        }
        return ordered;
    }
}
