package io.wagate.policy;

import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.ContactWindow;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.WindowInfo;
import java.util.Optional;

/**
 * The second send check: a free-form (non-template) message needs an open customer-service window
 * (the user wrote within 24 h) or an open free entry point window. Outside both, a send with a
 * {@code fallback_template} becomes that template (checked like any template send: an invalid one
 * is refused naming {@code fallback_template}); without one it is refused with WINDOW_CLOSED, as
 * Meta would with 131047. Templates always pass.
 *
 * <p>One database point read per free-form send (the window, kept by the status reconciler);
 * thread-safe.
 */
public final class WindowCheck implements SendCheck {
    /** Meta's "Re-engagement message": more than 24 hours since the user last replied. */
    public static final int RE_ENGAGEMENT = 131047;

    private final ContactWindows windows;
    private final TemplateCheck templates;

    public WindowCheck(ContactWindows windows, TemplateCheck templates) {
        this.windows = windows;
        this.templates = templates;
    }

    @Override
    public SendContext check(SendContext ctx) {
        SendRequest r = ctx.request();
        if (r.hasTemplate()) {
            return ctx;
        }
        Optional<ContactWindow> window = windows.get(ctx.number().phoneNumberId(), r.getTo());
        if (window.isPresent() && window.get().hasWindowClosesAt()
                && ctx.nowMillis() < Timestamps.toMillis(window.get().getWindowClosesAt())) {
            return ctx; // the common case, decided without building the full answer
        }
        WindowInfo w = ContactWindows.evaluate(window, r.getTo(), ctx.nowMillis());
        if (w.getFreeFormAllowed()) {
            return ctx;
        }
        if (r.hasFallbackTemplate()) {
            TemplateInfo info = templates.validate("fallback_template", ctx.number(), r.getFallbackTemplate());
            SendRequest fallback = r.toBuilder().setTemplate(r.getFallbackTemplate()).clearFallbackTemplate().build();
            return ctx.withRequest(fallback).withTemplate(info);
        }
        throw new PolicyException(PolicyException.Kind.PRECONDITION, "WINDOW_CLOSED", RE_ENGAGEMENT,
                "a free-form message cannot be sent from " + ctx.number().alias() + ": " + w.getReason()
                        + "; send an approved template instead (or set fallback_template)");
    }
}
