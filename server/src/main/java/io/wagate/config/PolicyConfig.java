package io.wagate.config;

/**
 * WhatsApp's rules that the appliance enforces before a message is queued (templates, the
 * customer-service window, consent, messaging limits, per-client quotas) and the billing meter.
 *
 * @param enabled        false turns every send check off (for benchmarks and for appliances whose
 *                       callers do their own policing); the billing meter, the template catalogue and
 *                       the consent registry keep running
 * @param consent        {@code policy.consent}: opt-in/opt-out keywords and whether marketing needs an opt-in
 * @param messagingLimit {@code policy.messaging_limit}: the portfolio's messaging limit tier
 */
public record PolicyConfig(Boolean enabled, ConsentConfig consent, MessagingLimitConfig messagingLimit) {

    public PolicyConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        consent = consent == null ? ConsentConfig.defaults() : consent;
        messagingLimit = messagingLimit == null ? MessagingLimitConfig.defaults() : messagingLimit;
    }

    public PolicyConfig(Boolean enabled) {
        this(enabled, null, null);
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
        return new PolicyConfig(enabled, c, messagingLimit);
    }

    /** These settings with another messaging limit. */
    public PolicyConfig withMessagingLimit(MessagingLimitConfig m) {
        return new PolicyConfig(enabled, consent, m);
    }
}
