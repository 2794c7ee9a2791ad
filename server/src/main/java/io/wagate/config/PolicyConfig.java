package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.time.Duration;

/**
 * WhatsApp's rules that the appliance enforces before a message is queued (templates, the
 * customer-service window, consent, messaging limits, per-client quotas) and the billing meter.
 *
 * @param enabled        false turns every send check off (for benchmarks and for appliances whose
 *                       callers do their own policing); the billing meter, the template catalogue and
 *                       the consent registry keep running
 * @param consent        {@code policy.consent}: opt-in/opt-out keywords and whether marketing needs an opt-in
 * @param messagingLimit {@code policy.messaging_limit}: the portfolio's messaging limit tier
 * @param templates      {@code policy.templates}: the template catalogue
 */
public record PolicyConfig(Boolean enabled, ConsentConfig consent, MessagingLimitConfig messagingLimit,
                           Templates templates) {

    public PolicyConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        consent = consent == null ? ConsentConfig.defaults() : consent;
        messagingLimit = messagingLimit == null ? MessagingLimitConfig.defaults() : messagingLimit;
        templates = templates == null ? Templates.defaults() : templates;
    }

    public PolicyConfig(Boolean enabled, ConsentConfig consent, MessagingLimitConfig messagingLimit) {
        this(enabled, consent, messagingLimit, null);
    }

    public PolicyConfig(Boolean enabled) {
        this(enabled, null, null, null);
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
        return new PolicyConfig(enabled, c, messagingLimit, templates);
    }

    /** These settings with another messaging limit. */
    public PolicyConfig withMessagingLimit(MessagingLimitConfig m) {
        return new PolicyConfig(enabled, consent, m, templates);
    }

    /** These settings with another template catalogue config. */
    public PolicyConfig withTemplates(Templates t) {
        return new PolicyConfig(enabled, consent, messagingLimit, t);
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
