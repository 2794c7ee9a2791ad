package io.wagate.policy;

import java.util.Objects;

/**
 * A send refused by one of WhatsApp's rules, before it reached the queue. The message names the
 * rule and the item (template, component, parameter, user) so the caller can act on it.
 */
public final class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How the refusal reaches a gRPC caller. */
    public enum Kind {
        /** The request itself is wrong (parameter count or format): INVALID_ARGUMENT. */
        INVALID,
        /** Right request, wrong moment or state (window closed, template paused, opted out): FAILED_PRECONDITION. */
        PRECONDITION,
        /** A quota of the caller or the number is spent: RESOURCE_EXHAUSTED. */
        EXHAUSTED,
        /** The caller may not send this (category not allowed for this client): PERMISSION_DENIED. */
        DENIED
    }

    private final Kind kind;
    private final String reason;
    private final int metaCode;

    /**
     * @param reason   a short machine-readable reason, such as {@code WINDOW_CLOSED}
     * @param metaCode the error Meta would have answered (131047...), or 0
     */
    public PolicyException(Kind kind, String reason, int metaCode, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind);
        this.reason = Objects.requireNonNull(reason);
        this.metaCode = metaCode;
    }

    public Kind kind() {
        return kind;
    }

    public String reason() {
        return reason;
    }

    /** Meta's error code for the same refusal, or 0 when Meta has none. */
    public int metaCode() {
        return metaCode;
    }
}
