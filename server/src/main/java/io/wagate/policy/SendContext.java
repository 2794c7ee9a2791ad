package io.wagate.policy;

import io.wagate.api.v1.SendRequest;
import io.wagate.config.NumberConfig;
import java.util.Optional;

/**
 * A send as the policy checks see it.
 *
 * @param request     the request as it will be queued (a check may replace it)
 * @param number      the sending number, resolved from {@code request.from}
 * @param client      the calling internal service ("" until clients are authenticated)
 * @param nowMillis   epoch milliseconds when the send arrived
 * @param template    the catalogue's entry for a template send, once the template check found it
 */
public record SendContext(SendRequest request, NumberConfig number, String client, long nowMillis,
                          Optional<TemplateInfo> template) {

    public SendContext {
        template = template == null ? Optional.empty() : template;
    }

    public SendContext(SendRequest request, NumberConfig number, String client, long nowMillis) {
        this(request, number, client, nowMillis, Optional.empty());
    }

    /** The same send with another request (the template found for the old one no longer applies). */
    public SendContext withRequest(SendRequest r) {
        return new SendContext(r, number, client, nowMillis, Optional.empty());
    }

    /** The same send, with the catalogue's entry for its template. */
    public SendContext withTemplate(TemplateInfo t) {
        return new SendContext(request, number, client, nowMillis, Optional.of(t));
    }

    public boolean isTemplate() {
        return request.hasTemplate();
    }
}
