package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * WhatsApp's rules that the appliance enforces before a message is queued (templates, the
 * customer-service window, consent, messaging limits, per-client quotas) and the billing meter.
 *
 * @param enabled        false turns every send check off (for benchmarks and for appliances whose
 *                       callers do their own policing); the billing meter, the template catalogue and
 *                       the consent registry keep running
 * @param consent        {@code policy.consent}: opt-in/opt-out keywords and whether marketing needs an opt-in
 * @param messagingLimit {@code policy.messaging_limit}: the portfolio's messaging limit tier
 * @param billing        the billing meter's price table ({@code policy.billing})
 * @param clients        per-client quotas by client name ({@code policy.clients}); the entry
 *                       {@value #DEFAULT_CLIENT} applies to callers without an entry of their own;
 *                       empty: no quotas
 * @param templates      the template catalogue ({@code policy.templates})
 */
public record PolicyConfig(Boolean enabled, ConsentConfig consent, MessagingLimitConfig messagingLimit,
                           BillingConfig billing, Map<String, ClientQuotaConfig> clients, Templates templates) {
    /** The {@code policy.clients} entry for callers that have none of their own. */
    public static final String DEFAULT_CLIENT = "default";
    /** What a client name (the {@code wagate-client} header) may be. */
    public static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public PolicyConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        consent = consent == null ? ConsentConfig.defaults() : consent;
        messagingLimit = messagingLimit == null ? MessagingLimitConfig.defaults() : messagingLimit;
        billing = billing == null ? BillingConfig.defaults() : billing;
        templates = templates == null ? Templates.defaults() : templates;
        Map<String, ClientQuotaConfig> copy = new LinkedHashMap<>();
        if (clients != null) {
            clients.forEach((name, q) -> {
                String key = "policy.clients." + name;
                check(name != null && CLIENT_NAME.matcher(name).matches(), "policy.clients",
                        "names must be 1-64 letters, digits, '-' or '_'", "'" + name + "'");
                check(q != null, key, "must set messages_per_minute, messages_per_day or categories", "nothing");
                check(q.messagesPerMinute() == null || q.messagesPerMinute() > 0, key + ".messages_per_minute",
                        "must be > 0", q.messagesPerMinute());
                check(q.messagesPerDay() == null || q.messagesPerDay() > 0, key + ".messages_per_day",
                        "must be > 0", q.messagesPerDay());
                if (q.categories() != null) {
                    check(!q.categories().isEmpty(), key + ".categories",
                            "must list at least one of " + String.join(", ", ClientQuotaConfig.CATEGORIES)
                                    + " (leave it out to allow all)", "an empty list");
                    for (int i = 0; i < q.categories().size(); i++) {
                        String c = q.categories().get(i);
                        check(c != null && ClientQuotaConfig.CATEGORIES.contains(c), key + ".categories[" + i + "]",
                                "must be one of " + String.join(", ", ClientQuotaConfig.CATEGORIES),
                                c == null ? "nothing" : "'" + c + "'");
                        check(q.categories().indexOf(c) == i, key + ".categories[" + i + "]", "must not repeat",
                                "'" + c + "' a second time");
                    }
                }
                copy.put(name, q);
            });
        }
        clients = java.util.Collections.unmodifiableMap(copy);
    }

    public PolicyConfig(Boolean enabled) {
        this(enabled, null, null, null, null, null);
    }

    public static PolicyConfig defaults() {
        return new PolicyConfig(null);
    }

    /** Every check off. */
    public static PolicyConfig disabled() {
        return new PolicyConfig(false);
    }

    /** These settings with other consent settings. */
    public PolicyConfig withConsent(ConsentConfig c) {
        return new PolicyConfig(enabled, c, messagingLimit, billing, clients, templates);
    }

    /** These settings with another messaging limit. */
    public PolicyConfig withMessagingLimit(MessagingLimitConfig m) {
        return new PolicyConfig(enabled, consent, m, billing, clients, templates);
    }

    /** This policy with another price table. */
    public PolicyConfig withBilling(BillingConfig b) {
        return new PolicyConfig(enabled, consent, messagingLimit, b, clients, templates);
    }

    /** This policy with other per-client quotas. */
    public PolicyConfig withClients(Map<String, ClientQuotaConfig> c) {
        return new PolicyConfig(enabled, consent, messagingLimit, billing, c, templates);
    }

    /** This policy with another template catalogue config. */
    public PolicyConfig withTemplates(Templates t) {
        return new PolicyConfig(enabled, consent, messagingLimit, billing, clients, t);
    }

    /**
     * The template catalogue, synced from Meta at start, on this schedule, on demand and on
     * template webhooks.
     *
     * @param syncInterval how often every WABA's templates are fetched again (1m..7d, default 1h)
     */
    public record Templates(Duration syncInterval) {
        public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofHours(1);

        public Templates {
            syncInterval = syncInterval == null ? DEFAULT_SYNC_INTERVAL : syncInterval;
            check(syncInterval.compareTo(Duration.ofMinutes(1)) >= 0 && syncInterval.compareTo(Duration.ofDays(7)) <= 0,
                    "policy.templates.sync_interval", "must be between 1m and 7d", Durations.format(syncInterval));
        }

        public static Templates defaults() {
            return new Templates(null);
        }
    }
}
