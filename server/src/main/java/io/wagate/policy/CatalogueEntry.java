package io.wagate.policy;

import io.wagate.api.v1.MessageTemplate;
import java.util.Locale;

/**
 * One template of the catalogue: Meta's record and what its components ask of a send, parsed once
 * when the entry is made (never per send).
 *
 * @param template as stored (Meta's fields, the catalogue's status and quality)
 * @param shape    the header, body and buttons a send must fill
 */
public record CatalogueEntry(MessageTemplate template, TemplateShape shape) {

    /** An entry for {@code t}, parsing its components. */
    public static CatalogueEntry of(MessageTemplate t) {
        TemplateShape shape;
        try {
            shape = TemplateShape.parse(t.getComponentsJson());
        } catch (IllegalArgumentException notJson) {
            shape = new TemplateShape(null, null, java.util.List.of());
        }
        return new CatalogueEntry(t, shape);
    }

    /** The template's category, or null when Meta gave one this build does not know. */
    public TemplateInfo.Category category() {
        try {
            return TemplateInfo.Category.valueOf(template.getCategory().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    public boolean isNamed() {
        return "NAMED".equalsIgnoreCase(template.getParameterFormat());
    }

    /** name/language, as sync results and logs name it. */
    public String key() {
        return template.getName() + "/" + template.getLanguage();
    }
}
