package io.wagate.policy;

import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.CatalogueStatus;
import io.wagate.api.v1.Template;
import io.wagate.config.NumberConfig;
import java.util.Map;
import java.util.Optional;

/**
 * The first send check: a template send must match an approved template of the sending number's
 * WhatsApp Business Account in the catalogue ({@link TemplateValidator}'s rules). Fills in the
 * template's category for later checks. Free-form sends pass untouched.
 *
 * <p>Reads the catalogue's in-memory index only; thread-safe.
 */
public final class TemplateCheck implements SendCheck {
    private final TemplateCatalogue catalogue;

    public TemplateCheck(TemplateCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public SendContext check(SendContext ctx) {
        if (!ctx.request().hasTemplate()) {
            return ctx;
        }
        return ctx.withTemplate(validate("template", ctx.number(), ctx.request().getTemplate()));
    }

    /**
     * Checks {@code t}, sent from {@code number}, against the catalogue.
     *
     * @param field how the request names it, for messages ({@code template}, {@code fallback_template})
     * @throws PolicyException when it may not be sent: TEMPLATE_CATALOGUE_NOT_SYNCED when the
     *     catalogue of the number's WABA was never synced (or the number has no waba_id), else the
     *     rule it breaks
     */
    public TemplateInfo validate(String field, NumberConfig number, Template t) {
        String waba = number.wabaId();
        if (waba == null) {
            throw new PolicyException(PolicyException.Kind.PRECONDITION, "TEMPLATE_CATALOGUE_NOT_SYNCED", 0,
                    field + ": template '" + t.getName() + "' (" + t.getLanguage() + ") cannot be checked: number "
                            + number.alias() + " has no waba_id configured (numbers[" + number.alias()
                            + "].waba_id), so its templates are not synced");
        }
        Optional<Map<String, CatalogueEntry>> versions = catalogue.versions(waba, t.getName());
        if (versions.isEmpty()) {
            CatalogueStatus s = catalogue.status(waba);
            String why = s.hasLastAttemptAt()
                    ? "the last attempt, at " + Timestamps.toString(s.getLastAttemptAt()) + ", failed: " + s.getLastError()
                    : "the first sync has not finished yet";
            throw new PolicyException(PolicyException.Kind.PRECONDITION, "TEMPLATE_CATALOGUE_NOT_SYNCED", 0,
                    field + ": template '" + t.getName() + "' (" + t.getLanguage() + ") cannot be checked: the"
                            + " template catalogue of WABA " + waba + " was never synced; " + why);
        }
        return TemplateValidator.validate(field, t, versions.get());
    }
}
