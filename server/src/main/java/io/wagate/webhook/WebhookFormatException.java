package io.wagate.webhook;

/**
 * A webhook body that is not what Meta sends: not JSON, not a {@code whatsapp_business_account}
 * notification, or missing a part that events cannot be made without. The message names the
 * place, e.g. {@code entry[0].changes[1].value.statuses[0].id: missing}, never the payload, so it
 * is safe to log and to send back in the 400 answer.
 */
public final class WebhookFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WebhookFormatException(String message) {
        super(message);
    }

    public WebhookFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
