package io.wagate.outbox;

/** No message has this id. Becomes NOT_FOUND. */
public final class MessageNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MessageNotFoundException(String id) {
        super("no message with id '" + id + "'");
    }
}
