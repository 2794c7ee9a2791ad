package io.wagate.events;

/** Why the appliance ended a subscription. */
public final class GroupClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Whether the subscriber should reconnect (the appliance stops) or not (the group is gone). */
    private final boolean retryable;

    public GroupClosedException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
