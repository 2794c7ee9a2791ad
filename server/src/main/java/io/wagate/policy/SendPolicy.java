package io.wagate.policy;

import java.util.List;

/**
 * The policy checks a send passes before it is queued, in order: the template catalogue first
 * (so later checks know the template's category), then the customer-service window (which may
 * swap in a fallback template, checked again), consent, messaging limits and per-client quotas.
 */
public final class SendPolicy {
    /** No checks at all (policy disabled). */
    public static final SendPolicy NONE = new SendPolicy(List.of());

    private final List<SendCheck> checks;

    public SendPolicy(List<SendCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /**
     * @return the context to queue, whose request may differ from the one given
     * @throws PolicyException naming the rule that refused the send
     */
    public SendContext check(SendContext ctx) {
        SendContext c = ctx;
        for (SendCheck check : checks) {
            c = check.check(c);
        }
        return c;
    }

    public boolean isEmpty() {
        return checks.isEmpty();
    }
}
