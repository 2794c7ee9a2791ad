package io.wagate.config;

/**
 * WhatsApp's rules that the appliance enforces before a message is queued (templates, the
 * customer-service window, consent, messaging limits, per-client quotas) and the billing meter.
 *
 * @param enabled false turns every send check off (for benchmarks and for appliances whose callers
 *                do their own policing); the billing meter and the template catalogue keep running
 */
public record PolicyConfig(Boolean enabled) {

    public PolicyConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
    }

    public static PolicyConfig defaults() {
        return new PolicyConfig(null);
    }

    /** Every check off. */
    public static PolicyConfig disabled() {
        return new PolicyConfig(false);
    }
}
