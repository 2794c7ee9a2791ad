package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the sandbox knows of each conversation and enforces on sends when policy rules are on
 * ({@link PolicyOptions#rules()}): the customer service window and free entry point per (number,
 * user) from injected inbound messages, users who stopped marketing messages, marketing templates
 * delivered per user in the last 24 h, and the pricing of every accepted send (kept as the
 * emulator's billing record). Obtained from {@link SandboxEmulator#policy()}.
 *
 * <pre>{@code
 * SandboxPolicy p = sandbox.policy();
 * p.stopMarketing(null, "16505551234");        // user_preferences webhook; marketing templates then fail 131050
 * p.advance(Duration.ofHours(25));             // the policy clock moves: windows close
 * List<BillingRecord> billed = p.billing();
 * }</pre>
 *
 * <p>Windows: an inbound message at T opens the customer service window until T + 24 h (never
 * moved backwards). One that carried a {@code referral} at R makes the business's first send S with
 * R &lt;= S &lt;= R + 24 h open a free entry point until S + 72 h.
 *
 * <p>The policy clock is the system clock plus what {@link #advance} added (tests). Threading:
 * thread-safe; one lock, small work per send.
 */
public final class SandboxPolicy {

    static final long DAY_MILLIS = 24L * 3600 * 1000;
    static final long FREE_ENTRY_POINT_MILLIS = 72L * 3600 * 1000;
    static final String WINDOW_DETAILS = "Message failed to send because more than 24 hours have passed since the"
            + " customer last replied to this number.";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Who is told when a user stops or resumes marketing messages (the webhooks). */
    interface PreferenceListener {
        void preferenceChanged(String phoneNumberId, String user, boolean stop, long atSeconds);
    }

    /** The window state of one (number, user). */
    private static final class Conversation {
        long lastInbound = Long.MIN_VALUE;
        long referralAt = Long.MIN_VALUE;
        boolean referralUsed = true;
        long freeEntryUntil = Long.MIN_VALUE;
    }

    /**
     * The result of an accepted send.
     *
     * @param pricing the status's {@code pricing} object; null when the send fails by policy (no status carries pricing)
     * @param failure 131050 or 131049 when a policy rule makes it fail after acceptance, else null
     */
    record Outcome(ObjectNode pricing, StatusFailure failure) {
    }

    private final AtomicReference<PolicyOptions> options;
    private final TemplateCatalog templates;
    private final Map<String, String> wabas;
    private final int maxBilling;
    private final Map<String, Conversation> conversations = new HashMap<>();
    private final Set<String> stoppedMarketing = new HashSet<>();
    private final Map<String, ArrayDeque<Long>> marketingSent = new HashMap<>();
    private final ArrayDeque<BillingRecord> billing = new ArrayDeque<>();
    private volatile long offsetMillis;
    private volatile PreferenceListener listener = (n, u, s, t) -> { };

    /**
     * @param wabas phone-number id to its WABA id (shared with the emulator)
     * @param maxBilling billing records kept; older ones are forgotten
     */
    SandboxPolicy(PolicyOptions initial, TemplateCatalog templates, Map<String, String> wabas, int maxBilling) {
        this.options = new AtomicReference<>(Objects.requireNonNull(initial, "policy options"));
        this.templates = templates;
        this.wabas = wabas;
        this.maxBilling = maxBilling;
    }

    void setListener(PreferenceListener l) {
        this.listener = l;
    }

    public PolicyOptions options() {
        return options.get();
    }

    /** Applies to sends from now on. */
    public void setOptions(PolicyOptions newOptions) {
        options.set(Objects.requireNonNull(newOptions, "policy options"));
    }

    /** The policy clock in epoch milliseconds. */
    public long nowMillis() {
        return System.currentTimeMillis() + offsetMillis;
    }

    /** Moves the policy clock forward (windows close, the marketing limit's 24 h pass). */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("the policy clock only moves forward, got " + d);
        }
        offsetMillis += d.toMillis();
    }

    /** The WABA of a business number ({@link SandboxOptions#DEFAULT_WABA_ID} if it was registered without one). */
    String wabaOf(String phoneNumberId) {
        return wabas.getOrDefault(phoneNumberId, SandboxOptions.DEFAULT_WABA_ID);
    }

    /** The WABA of a business number, or {@code fallback} if the sandbox does not know the number. */
    String wabaOf(String phoneNumberId, String fallback) {
        return phoneNumberId == null ? fallback : wabas.getOrDefault(phoneNumberId, fallback);
    }

    /** An inbound message from {@code user} to {@code phoneNumberId} at {@code atMillis}, with or without a referral. */
    synchronized void userWrote(String phoneNumberId, String user, long atMillis, boolean referral) {
        Conversation c = conversations.computeIfAbsent(key(phoneNumberId, WebhookBehaviour.recipientKey(user)),
                k -> new Conversation());
        c.lastInbound = Math.max(c.lastInbound, atMillis);
        if (referral && atMillis >= c.referralAt) {
            c.referralAt = atMillis;
            c.referralUsed = false;
        }
    }

    /** When the customer service window of (number, user) closes, or empty if the user never wrote. */
    public synchronized Optional<java.time.Instant> windowClosesAt(String phoneNumberId, String user) {
        Conversation c = conversations.get(key(phoneNumberId, WebhookBehaviour.recipientKey(user)));
        return c == null || c.lastInbound == Long.MIN_VALUE ? Optional.empty()
                : Optional.of(java.time.Instant.ofEpochMilli(c.lastInbound + DAY_MILLIS));
    }

    /**
     * The synchronous verdict on a send with rules on: template rules for templates, the window
     * for everything else; empty when rules are off or the send may go.
     */
    Optional<GraphError> check(String phoneNumberId, JsonNode body) {
        if (!options.get().rules()) {
            return Optional.empty();
        }
        if (isTemplate(body)) {
            return TemplateSendRules.verdict(templates, wabaOf(phoneNumberId), body.path("template"));
        }
        long now = nowMillis();
        synchronized (this) {
            Conversation c = conversations.get(key(phoneNumberId, recipient(body)));
            if (c != null && (now < c.lastInbound + DAY_MILLIS || now < c.freeEntryUntil
                    || startsFreeEntry(c, now))) {
                return Optional.empty();
            }
        }
        return Optional.of(GraphError.of(131047, WINDOW_DETAILS));
    }

    /**
     * A send was accepted: decides whether a policy rule fails it later (131050, 131049), opens a
     * free entry point if it is the first reply to a referral, prices it and records the price.
     *
     * @param behaviour the webhook behaviour in force (categories when rules are off)
     */
    Outcome accepted(String phoneNumberId, JsonNode body, String wamid, WebhookBehaviour behaviour) {
        PolicyOptions o = options.get();
        long now = nowMillis();
        String user = recipient(body);
        boolean template = isTemplate(body);
        String category;
        if (!template) {
            category = "service";
        } else if (o.rules()) {
            JsonNode t = body.path("template");
            category = templates.find(wabaOf(phoneNumberId), t.path("name").asText(), t.path("language").path("code")
                    .asText()).map(x -> x.category().toLowerCase(java.util.Locale.ROOT)).orElse("utility");
        } else {
            category = behaviour.categoryOf(body.path("template").path("name").asText(null));
        }
        String type;
        synchronized (this) {
            if (o.rules() && category.equals("marketing")) {
                if (stoppedMarketing.contains(key(phoneNumberId, user))) {
                    return new Outcome(null, StatusFailure.of(131050, "Unable to deliver the message. This recipient"
                            + " has chosen to stop receiving marketing messages on WhatsApp from your business."));
                }
                if (o.marketingLimit() > 0) {
                    ArrayDeque<Long> sent = marketingSent.computeIfAbsent(user, k -> new ArrayDeque<>());
                    while (!sent.isEmpty() && sent.peekFirst() <= now - DAY_MILLIS) {
                        sent.pollFirst();
                    }
                    if (sent.size() >= o.marketingLimit()) {
                        return new Outcome(null, StatusFailure.of(131049, "In order to maintain healthy ecosystem"
                                + " engagement, the message failed to be delivered."));
                    }
                    sent.addLast(now);
                }
            }
            Conversation c = conversations.get(key(phoneNumberId, user));
            boolean window = c != null && now < c.lastInbound + DAY_MILLIS;
            boolean freeEntry = false;
            if (c != null && o.rules()) {
                if (startsFreeEntry(c, now)) {
                    c.freeEntryUntil = Math.max(c.freeEntryUntil, now + FREE_ENTRY_POINT_MILLIS);
                }
                if (!c.referralUsed && now >= c.referralAt) {
                    c.referralUsed = true; // this send was the first after the referral (in time or too late)
                }
                freeEntry = now < c.freeEntryUntil;
            }
            if (freeEntry) {
                type = "free_entry_point";
            } else if (!template || (category.equals("utility") && window)) {
                type = "free_customer_service";
            } else {
                type = "regular";
            }
            boolean billable = type.equals("regular");
            billing.addLast(new BillingRecord(wamid, phoneNumberId, user, category, type, billable, "PMP", now / 1000));
            while (billing.size() > maxBilling) {
                billing.pollFirst();
            }
        }
        ObjectNode p = NODES.objectNode();
        p.put("billable", type.equals("regular")).put("pricing_model", "PMP").put("type", type).put("category", category);
        return new Outcome(p, null);
    }

    private static boolean startsFreeEntry(Conversation c, long now) {
        return !c.referralUsed && now >= c.referralAt && now <= c.referralAt + DAY_MILLIS;
    }

    /**
     * The user stops marketing messages from {@code phoneNumberId}: posts Meta's
     * {@code user_preferences} webhook; marketing templates to them then fail with 131050.
     *
     * @param phoneNumberId the business number, or null for the emulator's first
     */
    public void stopMarketing(String phoneNumberId, String user) {
        setMarketing(phoneNumberId, user, true);
    }

    /** The user resumes marketing messages: posts {@code user_preferences} with {@code resume}. */
    public void resumeMarketing(String phoneNumberId, String user) {
        setMarketing(phoneNumberId, user, false);
    }

    private void setMarketing(String phoneNumberId, String user, boolean stop) {
        String number = numberOf(phoneNumberId);
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user must be set: the user's phone number (wa_id) or user id");
        }
        String u = WebhookBehaviour.recipientKey(user);
        if (!u.matches("[0-9]{6,15}") && !u.matches("[A-Z]{2}\\.[A-Za-z0-9.]{1,100}")) {
            throw new IllegalArgumentException("user must be a phone number (6-15 digits) or a user id like"
                    + " US.13491208655302741918, got '" + InboundSpec.abbreviate(user) + "'");
        }
        synchronized (this) {
            if (stop) {
                stoppedMarketing.add(key(number, u));
            } else {
                stoppedMarketing.remove(key(number, u));
            }
        }
        listener.preferenceChanged(number, u, stop, nowMillis() / 1000);
    }

    /** Users who stopped marketing messages, as {@code phone-number-id|user}. */
    public synchronized Set<String> stoppedMarketing() {
        return new TreeSet<>(stoppedMarketing);
    }

    /** Every message priced, oldest first (the newest {@code maxRecorded}); an immutable snapshot. */
    public synchronized List<BillingRecord> billing() {
        return List.copyOf(new ArrayList<>(billing));
    }

    /** Forgets windows, opt-outs, marketing counts and the billing record; options and clock stay. */
    public synchronized void clear() {
        conversations.clear();
        stoppedMarketing.clear();
        marketingSent.clear();
        billing.clear();
    }

    /** Forgets windows only (what {@code POST /_sandbox/reset} always did). */
    synchronized void clearWindows() {
        conversations.clear();
    }

    private String numberOf(String requested) {
        if (requested != null) {
            if (!wabas.containsKey(requested)) {
                throw new IllegalArgumentException("phone_number_id " + InboundSpec.abbreviate(requested)
                        + " is not a number of this sandbox (it has " + new TreeSet<>(wabas.keySet()) + ")");
            }
            return requested;
        }
        if (wabas.isEmpty()) {
            throw new IllegalArgumentException("the sandbox has no numbers; register one first");
        }
        return new TreeSet<>(wabas.keySet()).first();
    }

    static boolean isTemplate(JsonNode body) {
        return body.path("type").asText().equals("template");
    }

    /** The user a send goes to, by phone digits or user id. */
    static String recipient(JsonNode body) {
        JsonNode r = body.hasNonNull("to") ? body.get("to") : body.path("recipient");
        return WebhookBehaviour.recipientKey(r.asText());
    }

    private static String key(String phoneNumberId, String user) {
        return phoneNumberId + '|' + user;
    }
}
