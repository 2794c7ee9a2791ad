package io.wagate.cloudapi;

/**
 * The outcome of one request to the Cloud API messages endpoint. Every outcome is data: Meta's
 * errors and network failures are results, not exceptions, because the dispatcher must decide
 * per case whether to retry, pause the number, reconcile or fail the message.
 *
 * <p>{@link MetaError} and {@link TransportFailure} are also the failures of the media calls
 * ({@link MediaResult}).
 *
 * <p>All implementations are immutable records; safe to pass between threads.
 */
public sealed interface SendResult
        permits SendResult.Accepted, SendResult.Acknowledged, SendResult.MetaError, SendResult.TransportFailure {

    /**
     * Meta answered 200 to a send: the message is accepted (not yet delivered).
     *
     * @param wamid Meta's message id, at most 128 characters
     * @param waId the recipient's WhatsApp id as Meta resolved it; may differ from the input, null
     *     when Meta did not return one (for example for a business-scoped user id)
     * @param messageStatus template pacing status ({@code accepted}, ...), null for other types
     */
    record Accepted(String wamid, String waId, String messageStatus) implements SendResult {
    }

    /** Meta answered {@code {"success": true}}: the answer to a mark-read (and typing indicator). */
    record Acknowledged() implements SendResult {
    }

    /**
     * Meta (or something in front of it) answered with an error.
     *
     * @param httpStatus the HTTP status
     * @param code Meta's error code; 0 when the body was not Meta's error envelope
     * @param subcode {@code error_subcode} when present (deprecated by Meta, still seen)
     * @param type the Graph error type, usually {@code OAuthException}; null if absent
     * @param title {@code error.message} without its "(#code) " prefix
     * @param details {@code error.error_data.details}, or a description of an unreadable body
     * @param fbtraceId Meta's trace id, for support tickets; null if absent
     * @param retryClass what to do next
     */
    record MetaError(int httpStatus, int code, Integer subcode, String type, String title, String details,
                     String fbtraceId, RetryClass retryClass) implements SendResult, MediaResult {
    }

    /**
     * No HTTP answer was obtained.
     *
     * @param requestMayHaveBeenSent false when the connection was never established (connect
     *     refused, DNS, TLS handshake, connect timeout): resending cannot duplicate. True when the
     *     request may have reached Meta (timeout or reset after connecting): Meta may have accepted
     *     it, so the message is uncertain until a status webhook says otherwise
     * @param description what happened, for operators; never contains credentials
     * @param retryClass always {@link RetryClass#TRANSIENT}
     */
    record TransportFailure(boolean requestMayHaveBeenSent, String description, RetryClass retryClass)
            implements SendResult, MediaResult {

        /** A transport failure with its only retry class, {@code TRANSIENT}. */
        public TransportFailure(boolean requestMayHaveBeenSent, String description) {
            this(requestMayHaveBeenSent, description, RetryClass.TRANSIENT);
        }
    }
}
