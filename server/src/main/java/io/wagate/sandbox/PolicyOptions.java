package io.wagate.sandbox;

/**
 * Which of Meta's policy rules the sandbox enforces on sends (docs/SANDBOX.md, "Policy rules").
 * Immutable; changeable at run time ({@link SandboxPolicy#setOptions}, {@code POST /_sandbox/policy}).
 *
 * @param rules template verdicts (132000, 132001, 132012, 132015, 132016), the customer service
 *     window (131047), opt-out (131050), the per-user marketing limit (131049), and pricing by the
 *     template catalogue's category with free entry points; off: every well-formed send is accepted
 *     and priced by {@link WebhookBehaviour#templateCategories()}
 * @param autoApprove new and edited templates are APPROVED at once (with their webhook) instead of PENDING
 * @param marketingLimit most marketing templates delivered to one user per moving 24 h (Meta's
 *     per-user marketing limit); more fail with 131049; 0 for no limit
 */
public record PolicyOptions(boolean rules, boolean autoApprove, int marketingLimit) {

    /** The per-user marketing limit in policy-rules mode. */
    public static final int DEFAULT_MARKETING_LIMIT = 2;
    /** No rules, templates wait for review, the default limit (used once rules are on). */
    public static final PolicyOptions OFF = new PolicyOptions(false, false, DEFAULT_MARKETING_LIMIT);

    public PolicyOptions {
        if (marketingLimit < 0 || marketingLimit > 1000) {
            throw new IllegalArgumentException("policy.marketing_limit must be 0..1000 (0: no limit), got " + marketingLimit);
        }
    }

    public PolicyOptions withRules(boolean on) {
        return new PolicyOptions(on, autoApprove, marketingLimit);
    }

    public PolicyOptions withAutoApprove(boolean on) {
        return new PolicyOptions(rules, on, marketingLimit);
    }

    public PolicyOptions withMarketingLimit(int limit) {
        return new PolicyOptions(rules, autoApprove, limit);
    }
}
