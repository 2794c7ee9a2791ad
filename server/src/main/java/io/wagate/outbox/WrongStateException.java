package io.wagate.outbox;

/** The message is in a state that does not allow the operation. Becomes FAILED_PRECONDITION. */
public final class WrongStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WrongStateException(String message) {
        super(message);
    }
}
