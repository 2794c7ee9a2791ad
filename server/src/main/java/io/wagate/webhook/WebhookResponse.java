package io.wagate.webhook;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What Meta is answered: a status and a short plain-text reason. Reasons name what was wrong and
 * never echo a secret, a signature or the body.
 */
record WebhookResponse(HttpResponseStatus status, String reason) {

    static WebhookResponse of(HttpResponseStatus status, String reason) {
        return new WebhookResponse(status, reason);
    }
}
