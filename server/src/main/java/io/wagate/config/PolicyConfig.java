package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.time.Duration;

/**
 * WhatsApp's rules that the appliance enforces before a message is queued (templates, the
 * customer-service window, consent, messaging limits, per-client quotas) and the billing meter.
 *
 * @param enabled   false turns every send check off (for benchmarks and for appliances whose callers
 *                  do their own policing); the billing meter and the template catalogue keep running
 * @param templates the template catalogue ({@code policy.templates})
 */
public record PolicyConfig(Boolean enabled, Templates templates) {

    public PolicyConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        templates = templates == null ? Templates.defaults() : templates;
    }

    public PolicyConfig(Boolean enabled) {
        this(enabled, null);
    }

    public static PolicyConfig defaults() {
        return new PolicyConfig(null, null);
    }

    /** Every check off. */
    public static PolicyConfig disabled() {
        return new PolicyConfig(false, null);
    }

    /** This policy with another template catalogue config. */
    public PolicyConfig withTemplates(Templates t) {
        return new PolicyConfig(enabled, t);
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
