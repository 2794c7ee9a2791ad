package io.wagate.outbox;

/** The outbox holds as many unfinished messages as it may (outbox.max_pending). Becomes RESOURCE_EXHAUSTED. */
public final class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(long limit) {
        super("the outbox already holds " + limit + " unfinished messages (outbox.max_pending); retry later");
    }
}
