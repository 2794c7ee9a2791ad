package io.wagate.policy;

import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.ConsentChange;
import io.wagate.api.v1.ConsentRecord;
import io.wagate.api.v1.ConsentSource;
import io.wagate.api.v1.ConsentState;
import java.util.Optional;

/**
 * The consent rule, third of the send checks: a MARKETING template (as the template check found
 * it in the catalogue) to a user who opted out of marketing from the sending number is refused
 * with reason {@code OPTED_OUT} and Meta's code 131050; with {@code require_opt_in_for_marketing},
 * marketing to a user with no opt-in is refused too ({@code NO_OPT_IN}). Utility and
 * authentication templates and free-form messages are not marketing and pass.
 *
 * <p>One database read per marketing send; thread-safe.
 */
public final class ConsentCheck implements SendCheck {
    public static final String OPTED_OUT = "OPTED_OUT";
    public static final String NO_OPT_IN = "NO_OPT_IN";
    /** Meta's code for a marketing message to a user who stopped them. */
    public static final int META_OPTED_OUT = 131050;

    private final ConsentRegistry registry;
    private final boolean requireOptIn;

    public ConsentCheck(ConsentRegistry registry, boolean requireOptInForMarketing) {
        this.registry = registry;
        this.requireOptIn = requireOptInForMarketing;
    }

    @Override
    public SendContext check(SendContext ctx) {
        Optional<TemplateInfo> t = ctx.template();
        if (t.isEmpty() || t.get().category() != TemplateInfo.Category.MARKETING) {
            return ctx;
        }
        String user = ctx.request().getTo();
        Optional<ConsentRecord> r = registry.get(ctx.number().phoneNumberId(), user);
        if (r.isPresent() && ConsentRegistry.optedOut(r.get())) {
            throw new PolicyException(PolicyException.Kind.PRECONDITION, OPTED_OUT, META_OPTED_OUT,
                    "user " + user + " opted out of marketing messages from number " + ctx.number().alias()
                            + " " + describe(r.get().getCurrent()) + "; " + what(t.get()) + " is not sent"
                            + " (utility and authentication templates still are)");
        }
        if (requireOptIn && (r.isEmpty() || r.get().getCurrent().getState() != ConsentState.OPTED_IN)) {
            throw new PolicyException(PolicyException.Kind.PRECONDITION, NO_OPT_IN, 0,
                    "user " + user + " has no opt-in with number " + ctx.number().alias()
                            + " and policy.consent.require_opt_in_for_marketing is on; " + what(t.get()) + " is not sent");
        }
        return ctx;
    }

    private static String what(TemplateInfo t) {
        return "marketing template '" + t.name() + "' (" + t.language() + ")";
    }

    /** "on 2026-11-25T14:00:00Z by keyword STOP (en) in message wamid.X" and the like. */
    static String describe(ConsentChange c) {
        String when = "on " + Timestamps.toString(c.getAt());
        return when + " " + switch (c.getSource()) {
            case CONSENT_SOURCE_KEYWORD -> "by writing " + c.getKeyword()
                    + (c.getMessageId().isEmpty() ? "" : " (message " + c.getMessageId() + ")");
            case CONSENT_SOURCE_META_131050 -> "when Meta refused message " + c.getMessageId()
                    + " with 131050 (the user stopped marketing messages)";
            case CONSENT_SOURCE_USER_PREFERENCES -> "by stopping marketing messages in WhatsApp (Meta's"
                    + " user_preferences webhook)";
            case CONSENT_SOURCE_API -> "through the API" + (c.getNote().isEmpty() ? "" : " (" + c.getNote() + ")");
            default -> "(source " + sourceName(c.getSource()) + ")";
        };
    }

    private static String sourceName(ConsentSource s) {
        return s.name();
    }
}
