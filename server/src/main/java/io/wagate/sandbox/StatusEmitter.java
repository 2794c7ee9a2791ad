package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Plays the recipient's phone after an accepted send: plans its status webhooks (reference §4.6)
 * by the {@link WebhookBehaviour} in force, and hands each to the batcher when it is due.
 *
 * <p>Pricing (§4.6, §7.3, per-message pricing, v24+ so no {@code conversation}) is on {@code sent}
 * and on {@code delivered}, or on {@code read} when {@code delivered} is skipped. Templates are
 * {@code regular} and billable in their category, except utility templates inside the user's
 * customer service window (a message injected from that user in the last 24 h), which are
 * {@code free_customer_service}; other messages are {@code service}/{@code free_customer_service}.
 *
 * <p>Threading: thread-safe; called on the emulator's event loops, statuses fire on the timer.
 */
final class StatusEmitter {

    /** Meta's customer service window. */
    static final long WINDOW_MILLIS = 24L * 3600 * 1000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One status of the plan: what it says, when it truly happened, when it is posted. */
    private record Step(String status, long happensAtMillis, long postAtMillis, boolean pricing, StatusFailure failure) {
    }

    private final ScheduledExecutorService timer;
    private final Supplier<WebhookOptions> options;
    private final WebhookCounters counters;
    private final Consumer<WebhookNotification> batcher;
    /** phone-number id and user to the time of their last inbound message. */
    private final ConcurrentHashMap<String, Long> lastInbound = new ConcurrentHashMap<>();

    StatusEmitter(ScheduledExecutorService timer, Supplier<WebhookOptions> options, WebhookCounters counters,
                  Consumer<WebhookNotification> batcher) {
        this.timer = timer;
        this.options = options;
        this.counters = counters;
        this.batcher = batcher;
    }

    /** A user wrote to a business number: their customer service window opens for 24 h. */
    void userWrote(String phoneNumberId, String user, long atMillis) {
        lastInbound.put(phoneNumberId + '|' + WebhookBehaviour.recipientKey(user), atMillis);
    }

    /** Forgets every customer service window. */
    void clearWindows() {
        lastInbound.clear();
    }

    /**
     * Plans and schedules the statuses of a send accepted at {@code acceptedAtMillis}; nothing without a target.
     *
     * @param failure a failure the send itself causes (a bad media id), reported in place of the
     *     behaviour's for the recipient; null for none
     */
    void accepted(String phoneNumberId, JsonNode body, String wamid, long acceptedAtMillis, StatusFailure failure) {
        WebhookOptions o = options.get();
        if (o.target() == null) {
            return;
        }
        WebhookBehaviour b = o.behaviour();
        boolean byPhone = body.hasNonNull("to");
        String recipient = (byPhone ? body.get("to") : body.path("recipient")).asText();
        List<Step> steps = plan(b, body.path("type").asText("text"), failure != null ? failure : b.failureFor(recipient),
                acceptedAtMillis);
        if (!counters.admit(steps.size(), o.capacity())) {
            return;
        }
        counters.statuses.addAndGet(steps.size());
        ObjectNode pricing = pricing(b, phoneNumberId, recipient, body, acceptedAtMillis);
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

    private ObjectNode pricing(WebhookBehaviour b, String phoneNumberId, String recipient, JsonNode body, long now) {
        boolean template = body.path("type").asText().equals("template");
        String category = template ? b.categoryOf(body.path("template").path("name").asText(null)) : "service";
        Long last = lastInbound.get(phoneNumberId + '|' + WebhookBehaviour.recipientKey(recipient));
        boolean inWindow = last != null && now - last < WINDOW_MILLIS;
        boolean free = !template || (category.equals("utility") && inWindow);
        ObjectNode p = NODES.objectNode();
        p.put("billable", !free).put("pricing_model", "PMP").put("type", free ? "free_customer_service" : "regular")
                .put("category", category);
        return p;
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
