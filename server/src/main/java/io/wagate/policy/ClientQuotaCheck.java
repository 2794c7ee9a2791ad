package io.wagate.policy;

import java.util.Locale;

/**
 * The last send check: the calling client's limits ({@link ClientQuotas}). A template send is of
 * its template's category (from the catalogue check before it; unknown when the catalogue has not
 * named it), anything else is {@code service}.
 */
public final class ClientQuotaCheck implements SendCheck {
    private final ClientQuotas quotas;

    public ClientQuotaCheck(ClientQuotas quotas) {
        this.quotas = quotas;
    }

    @Override
    public SendContext check(SendContext ctx) {
        String category;
        String what;
        if (ctx.isTemplate()) {
            category = ctx.template().map(t -> t.category().name().toLowerCase(Locale.ROOT)).orElse(null);
            what = "template '" + ctx.request().getTemplate().getName() + "' ("
                    + ctx.request().getTemplate().getLanguage() + ")";
        } else {
            category = "service";
            what = "a " + ctx.request().getContentCase().name().toLowerCase(Locale.ROOT) + " message (not a template)";
        }
        quotas.take(ctx.client(), category, what, ctx.nowMillis());
        return ctx;
    }
}
