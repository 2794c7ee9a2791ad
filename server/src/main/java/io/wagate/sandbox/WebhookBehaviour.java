package io.wagate.sandbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the sandbox's emulated users treat accepted sends: when each status webhook follows, which
 * are skipped, reordered or duplicated, which recipients fail, and how templates are priced.
 * Validated on construction; immutable; changeable at run time as a whole
 * ({@link SandboxWebhooks#setBehaviour}, {@code POST /_sandbox/webhook}).
 *
 * @param sentDelay from acceptance to {@code sent}
 * @param deliveredDelay from {@code sent} to {@code delivered} (or to {@code failed})
 * @param readDelay from {@code delivered} to {@code read}
 * @param playedDelay from {@code read} to {@code played} (audio only)
 * @param skipDelivered the user reads at once: no {@code delivered}, only {@code read} (which then carries pricing)
 * @param skipRead read receipts off: no {@code read} (nor {@code played})
 * @param reorder each message's first two statuses are posted in swapped order (their timestamps stay true)
 * @param duplicate every status is posted twice, the copy {@link #DUPLICATE_LAG} later, in another POST
 * @param played audio messages get {@code played} after {@code read}
 * @param failures recipient (phone digits or user id) to the failure it gets in place of {@code delivered}
 * @param templateCategories template name to its category: marketing, utility or authentication
 * @param defaultTemplateCategory the category of templates not named in {@code templateCategories}
 */
public record WebhookBehaviour(Duration sentDelay, Duration deliveredDelay, Duration readDelay, Duration playedDelay,
                               boolean skipDelivered, boolean skipRead, boolean reorder, boolean duplicate,
                               boolean played, Map<String, StatusFailure> failures,
                               Map<String, String> templateCategories, String defaultTemplateCategory) {

    /** The categories a template can have (reference §7.3). */
    public static final Set<String> TEMPLATE_CATEGORIES = Set.of("marketing", "utility", "authentication");
    /** How much later a duplicate follows its original: more than a batch linger, so it comes in another POST. */
    public static final Duration DUPLICATE_LAG = Duration.ofMillis(50);
    public static final Duration DEFAULT_SENT_DELAY = Duration.ofMillis(50);
    public static final Duration DEFAULT_DELIVERED_DELAY = Duration.ofMillis(100);
    public static final Duration DEFAULT_READ_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_PLAYED_DELAY = Duration.ofMillis(500);
    /** At most a day per step: longer is a mistake, and statuses wait in memory. */
    public static final Duration MAX_DELAY = Duration.ofDays(1);

    /** Every status, soon, once, in order; no failures; templates are utility. */
    public static final WebhookBehaviour DEFAULT = new WebhookBehaviour(DEFAULT_SENT_DELAY, DEFAULT_DELIVERED_DELAY,
            DEFAULT_READ_DELAY, DEFAULT_PLAYED_DELAY, false, false, false, false, true, Map.of(), Map.of(), "utility");

    public WebhookBehaviour {
        delay("sent_delay", sentDelay);
        delay("delivered_delay", deliveredDelay);
        delay("read_delay", readDelay);
        delay("played_delay", playedDelay);
        failures = Map.copyOf(Objects.requireNonNull(failures, "webhook.failures must be set"));
        for (String recipient : failures.keySet()) {
            if (recipient.isBlank()) {
                throw new IllegalArgumentException("webhook.failures: a recipient must not be blank");
            }
        }
        templateCategories = Map.copyOf(Objects.requireNonNull(templateCategories, "webhook.template_categories must be set"));
        templateCategories.forEach((name, category) -> category("template_categories[" + name + "]", category));
        category("default_template_category", defaultTemplateCategory);
    }

    /** All four delays at once (tests: {@code Duration.ZERO} for statuses as fast as batching allows). */
    public WebhookBehaviour withDelays(Duration sent, Duration delivered, Duration read, Duration playedAfter) {
        return new WebhookBehaviour(sent, delivered, read, playedAfter, skipDelivered, skipRead, reorder, duplicate,
                played, failures, templateCategories, defaultTemplateCategory);
    }

    public WebhookBehaviour withSkipDelivered(boolean skip) {
        return new WebhookBehaviour(sentDelay, deliveredDelay, readDelay, playedDelay, skip, skipRead, reorder,
                duplicate, played, failures, templateCategories, defaultTemplateCategory);
    }

    public WebhookBehaviour withSkipRead(boolean skip) {
        return new WebhookBehaviour(sentDelay, deliveredDelay, readDelay, playedDelay, skipDelivered, skip, reorder,
                duplicate, played, failures, templateCategories, defaultTemplateCategory);
    }

    public WebhookBehaviour withReorder(boolean on) {
        return new WebhookBehaviour(sentDelay, deliveredDelay, readDelay, playedDelay, skipDelivered, skipRead, on,
                duplicate, played, failures, templateCategories, defaultTemplateCategory);
    }

    public WebhookBehaviour withDuplicate(boolean on) {
        return new WebhookBehaviour(sentDelay, deliveredDelay, readDelay, playedDelay, skipDelivered, skipRead, reorder,
                on, played, failures, templateCategories, defaultTemplateCategory);
    }

    public WebhookBehaviour withPlayed(boolean on) {
        return new WebhookBehaviour(sentDelay, deliveredDelay, readDelay, playedDelay, skipDelivered, skipRead, reorder,
                duplicate, on, failures, templateCategories, defaultTemplateCategory);
    }

    /** Sends to {@code recipient} (a phone number in any format, or a user id) fail with {@code failure}. */
    public WebhookBehaviour withFailure(String recipient, StatusFailure failure) {
        Map<String, StatusFailure> f = new HashMap<>(failures);
        f.put(recipientKey(Objects.requireNonNull(recipient, "recipient")), Objects.requireNonNull(failure, "failure"));
        return withFailures(f);
    }

    /** Exactly these failures (keys as in {@link #withFailure}). */
    public WebhookBehaviour withFailures(Map<String, StatusFailure> newFailures) {
        Map<String, StatusFailure> f = new HashMap<>();
        newFailures.forEach((k, v) -> f.put(recipientKey(k), v));
        return new WebhookBehaviour(sentDelay, deliveredDelay, readDelay, playedDelay, skipDelivered, skipRead, reorder,
                duplicate, played, f, templateCategories, defaultTemplateCategory);
    }

    /** Template {@code name} has {@code category} (marketing, utility or authentication). */
    public WebhookBehaviour withTemplateCategory(String name, String category) {
        Map<String, String> c = new HashMap<>(templateCategories);
        c.put(Objects.requireNonNull(name, "template name"), category);
        return withTemplateCategories(c, defaultTemplateCategory);
    }

    public WebhookBehaviour withTemplateCategories(Map<String, String> categories, String defaultCategory) {
        return new WebhookBehaviour(sentDelay, deliveredDelay, readDelay, playedDelay, skipDelivered, skipRead, reorder,
                duplicate, played, failures, categories, defaultCategory);
    }

    /** The failure scripted for a recipient as the send named it ({@code to} or {@code recipient}), or null. */
    StatusFailure failureFor(String recipient) {
        return recipient == null ? null : failures.get(recipientKey(recipient));
    }

    String categoryOf(String templateName) {
        return templateName == null ? defaultTemplateCategory
                : templateCategories.getOrDefault(templateName, defaultTemplateCategory);
    }

    /** Phone numbers by their digits ("+1 (650) 555-1234" is "16505551234"); user ids as given. */
    static String recipientKey(String recipient) {
        for (int i = 0; i < recipient.length(); i++) {
            if (Character.isLetter(recipient.charAt(i))) {
                return recipient;
            }
        }
        String digits = recipient.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? recipient : digits;
    }

    private static void delay(String key, Duration d) {
        Objects.requireNonNull(d, "webhook." + key + " must be set");
        if (d.isNegative() || d.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("webhook." + key + " must be between 0 and 1 day, got " + d);
        }
    }

    private static void category(String key, String c) {
        if (c == null || !TEMPLATE_CATEGORIES.contains(c)) {
            throw new IllegalArgumentException("webhook." + key + " must be marketing, utility or authentication, got "
                    + (c == null ? "nothing" : "'" + c + "'"));
        }
    }
}
