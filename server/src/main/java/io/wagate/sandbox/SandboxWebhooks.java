package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The webhooks of one {@link SandboxEmulator}: status updates after accepted sends, injected inbound
 * messages, and their delivery (batched, signed, retried) to the configured target. Obtained from
 * {@link SandboxEmulator#webhooks()}.
 *
 * <pre>{@code
 * SandboxWebhooks w = sandbox.webhooks();
 * w.setTarget(URI.create("http://127.0.0.1:7401/webhook"), appSecret);   // once the receiver listens
 * w.setBehaviour(w.behaviour().withFailure("+16505551234", StatusFailure.of(131026)));
 * String wamid = w.injectInbound(InboundSpec.text("16505551234", "hi"));
 * assertThat(w.awaitIdle(Duration.ofSeconds(5))).isTrue();               // everything answered 200
 * }</pre>
 *
 * <p>Threading: thread-safe. One daemon timer thread runs due statuses, batch lingers and retry
 * waits; POSTs are asynchronous. Options changes apply to what is planned or posted next.
 */
public final class SandboxWebhooks implements AutoCloseable {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final AtomicReference<WebhookOptions> options;
    private final Map<String, String> numbers;
    private final ScheduledExecutorService timer;
    private final WebhookCounters counters = new WebhookCounters();
    private final WebhookPoster poster;
    private final WebhookBatcher batcher;
    private final StatusEmitter emitter;
    private final WamidGenerator wamids;
    private final SandboxMediaStore media;
    private final SandboxPolicy policy;

    SandboxWebhooks(WebhookOptions initial, Map<String, String> numbers, WamidGenerator wamids, SandboxMediaStore media,
                    SandboxPolicy policy) {
        this.media = Objects.requireNonNull(media, "media");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.options = new AtomicReference<>(Objects.requireNonNull(initial, "webhook options"));
        this.numbers = numbers;
        this.wamids = wamids;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = Executors.defaultThreadFactory().newThread(r);
            th.setName("sandbox-webhooks");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.poster = new WebhookPoster(timer, options::get, counters);
        this.batcher = new WebhookBatcher(timer, options::get, SandboxWebhooks::displayNumber, poster,
                number -> policy.wabaOf(number, options.get().wabaId()));
        this.emitter = new StatusEmitter(timer, options::get, counters, batcher::add);
    }

    /** The options in force. */
    public WebhookOptions options() {
        return options.get();
    }

    /** Replaces every option at once (target, delivery, behaviour); applies to what is planned or posted next. */
    public void setOptions(WebhookOptions newOptions) {
        options.set(Objects.requireNonNull(newOptions, "webhook options"));
    }

    /** Posts to {@code target} signed with {@code appSecret} from now on (retries of earlier POSTs too). */
    public void setTarget(URI target, String appSecret) {
        options.updateAndGet(o -> o.withTarget(target, appSecret));
    }

    public WebhookBehaviour behaviour() {
        return options.get().behaviour();
    }

    /** What the emulated users do with sends accepted from now on. */
    public void setBehaviour(WebhookBehaviour behaviour) {
        options.updateAndGet(o -> o.withBehaviour(Objects.requireNonNull(behaviour, "behaviour")));
    }

    /** Stops posting (statuses still come due and wait, within the capacity) until {@link #resume()}. */
    public void pause() {
        poster.setPaused(true);
    }

    public void resume() {
        poster.setPaused(false);
    }

    /**
     * Posts a signed {@code messages} webhook as if a user's phone had sent {@code spec}; opens that
     * user's customer service window at the spec's timestamp (now if it has none) for 24 h, and
     * with a referral lets the business's first reply open a free entry point ({@link SandboxPolicy}).
     *
     * @return the new message's wamid
     * @throws IllegalArgumentException if the spec is malformed or names an unknown business number
     * @throws IllegalStateException if no webhook target is configured, or the capacity is reached
     */
    public String injectInbound(InboundSpec spec) {
        Objects.requireNonNull(spec, "spec");
        WebhookOptions o = options.get();
        String number = numberOf(spec.phoneNumberId());
        long now = spec.timestamp() != null ? spec.timestamp().toEpochMilli() : policy.nowMillis();
        String wamid = wamids.next();
        SandboxMediaStore.Media stored = storeMedia(spec, number);
        WebhookNotification n;
        try {
            n = InboundMessageFactory.build(stored == null ? spec : withStored(spec, stored), number, wamid, now / 1000,
                    displayNumber(number));
        } catch (RuntimeException e) {
            if (stored != null) {
                media.delete(stored.id());
            }
            throw e;
        }
        if (o.target() == null && stored != null) {
            media.delete(stored.id());
        }
        if (o.target() == null) {
            throw new IllegalStateException("the sandbox has no webhook target to post to: configure one with"
                    + " POST /_sandbox/webhook {\"target\":URL,\"app_secret\":SECRET} or SandboxWebhooks.setTarget");
        }
        if (!counters.admit(1, o.capacity())) {
            if (stored != null) {
                media.delete(stored.id());
            }
            throw new IllegalStateException("the sandbox holds " + o.capacity() + " undelivered webhook notifications"
                    + " (webhook.capacity); is the target answering 200?");
        }
        counters.inbound.incrementAndGet();
        policy.userWrote(number, spec.from() != null ? spec.from() : spec.userId(), now, spec.referral() != null);
        batcher.add(n);
        return wamid;
    }

    /**
     * Stores the bytes of an inbound media message as a webhook media id of {@code number}: the
     * spec's {@link InboundMedia}, or {@link InboundMedia#DEFAULT} when it names no id; null when
     * there is nothing to store (not media, or an id given by the caller).
     */
    private SandboxMediaStore.Media storeMedia(InboundSpec spec, String number) {
        if (!InboundSpec.MEDIA_TYPES.contains(spec.type())) {
            return null;
        }
        JsonNode c = spec.content();
        if (c != null && !c.isObject()) {
            return null; // the factory names the mistake
        }
        if (spec.media() == null && c != null && c.hasNonNull("id")) {
            return null;
        }
        InboundMedia m = spec.media() == null ? InboundMedia.DEFAULT : spec.media();
        String mime = m.mimeType();
        if (mime == null && c != null && c.path("mime_type").isTextual()) {
            mime = c.get("mime_type").asText();
        }
        if (mime == null) {
            mime = InboundMessageFactory.defaultMime(spec.type());
        }
        return media.put(number, mime, m.content(), SandboxMediaStore.Origin.INBOUND);
    }

    private static InboundSpec withStored(InboundSpec spec, SandboxMediaStore.Media m) {
        com.fasterxml.jackson.databind.node.ObjectNode c = spec.content() == null
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : ((com.fasterxml.jackson.databind.node.ObjectNode) spec.content()).deepCopy();
        c.put("id", m.id()).put("mime_type", m.mimeType()).put("sha256", m.sha256());
        return new InboundSpec(spec.phoneNumberId(), spec.from(), spec.userId(), spec.profileName(), spec.type(), c,
                spec.contextId(), spec.referral(), null, spec.timestamp());
    }

    /** Counts since start or {@link #resetStats()}, and what is held now. */
    public WebhookStats stats() {
        return counters.snapshot(poster.inFlight(), poster.paused());
    }

    /** Zeroes the counts and forgets customer service windows; notifications held stay. */
    public void resetStats() {
        counters.reset();
        policy.clearWindows();
    }

    /**
     * Waits until every notification generated so far was answered 200 or dropped (statuses still
     * waiting for their time included).
     *
     * @return true if idle, false if {@code timeout} passed first
     */
    public boolean awaitIdle(Duration timeout) {
        try {
            return counters.awaitIdle(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** As the messages endpoint does for an accepted send, priced and checked by the policy (tests). */
    void accepted(String phoneNumberId, JsonNode body, String wamid) {
        accepted(phoneNumberId, body, wamid, null, policy.accepted(phoneNumberId, body, wamid, behaviour()));
    }

    /**
     * Called by the messages endpoint for each accepted send: plans its statuses as the policy
     * decided ({@code outcome}); {@code failure} (a bad media id, or null) overrides the behaviour's.
     */
    void accepted(String phoneNumberId, JsonNode body, String wamid, StatusFailure failure, SandboxPolicy.Outcome outcome) {
        if (outcome.failure() != null) {
            emitter.accepted(phoneNumberId, body, wamid, System.currentTimeMillis(), outcome.failure(), null, true);
        } else {
            emitter.accepted(phoneNumberId, body, wamid, System.currentTimeMillis(), failure, outcome.pricing(), false);
        }
    }

    /** {@code message_template_status_update} for {@code t}'s status now; nothing without a target. */
    void templateStatusChanged(SandboxTemplate t, String reason) {
        ObjectNode v = NODES.objectNode();
        v.put("event", t.status()).put("message_template_id", Long.parseLong(t.id()))
                .put("message_template_name", t.name()).put("message_template_language", t.language());
        if (reason == null) {
            v.putNull("reason");
        } else {
            v.put("reason", reason);
        }
        post(WebhookNotification.change(t.wabaId(), "message_template_status_update", v));
    }

    /** {@code template_category_update}: Meta recategorised {@code t}. */
    void templateCategoryChanged(SandboxTemplate t, String previousCategory) {
        ObjectNode v = NODES.objectNode();
        v.put("message_template_id", Long.parseLong(t.id())).put("message_template_name", t.name())
                .put("message_template_language", t.language()).put("previous_category", previousCategory)
                .put("new_category", t.category());
        post(WebhookNotification.change(t.wabaId(), "template_category_update", v));
    }

    /** {@code user_preferences}: the user stopped or resumed marketing messages from the number. */
    void userPreferenceChanged(String phoneNumberId, String user, boolean stop, long atSeconds) {
        ObjectNode v = NODES.objectNode();
        v.put("messaging_product", "whatsapp");
        v.putObject("metadata").put("display_phone_number", displayNumber(phoneNumberId))
                .put("phone_number_id", phoneNumberId);
        boolean phone = user.chars().allMatch(Character::isDigit);
        ObjectNode contact = v.putArray("contacts").addObject();
        contact.putObject("profile").put("name", InboundMessageFactory.DEFAULT_PROFILE_NAME);
        contact.put(phone ? "wa_id" : "user_id", user);
        ObjectNode p = v.putArray("user_preferences").addObject();
        p.put(phone ? "wa_id" : "user_id", user);
        p.put("detail", stop ? "User requested to stop marketing messages" : "User requested to resume marketing messages");
        p.put("category", "marketing_messages").put("value", stop ? "stop" : "resume").put("timestamp", atSeconds);
        post(WebhookNotification.change(policy.wabaOf(phoneNumberId), "user_preferences", v));
    }

    /** Posts a change notification now if there is a target and room (counted with the statuses). */
    private void post(WebhookNotification n) {
        WebhookOptions o = options.get();
        if (o.target() == null || !counters.admit(1, o.capacity())) {
            return;
        }
        batcher.add(n);
    }

    /**
     * The display phone number of a business number: "1555" and the id's last seven digits, like
     * Meta's test numbers.
     */
    static String displayNumber(String phoneNumberId) {
        String digits = phoneNumberId.replaceAll("[^0-9]", "");
        String tail = digits.length() >= 7 ? digits.substring(digits.length() - 7) : "0".repeat(7 - digits.length()) + digits;
        return "1555" + tail;
    }

    private String numberOf(String requested) {
        if (requested != null) {
            if (!numbers.containsKey(requested)) {
                throw new IllegalArgumentException("phone_number_id " + InboundSpec.abbreviate(requested)
                        + " is not a number of this sandbox (it has " + new TreeSet<>(numbers.keySet()) + ")");
            }
            return requested;
        }
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("the sandbox has no numbers; register one first");
        }
        return new TreeSet<>(numbers.keySet()).first();
    }

    /** Stops timers and posting; what is held is forgotten. Idempotent. */
    @Override
    public void close() {
        timer.shutdownNow();
        poster.close();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
