package io.wagate.events;

/** No consumer group has this name. */
public final class GroupNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GroupNotFoundException(String name) {
        super("no consumer group named '" + name + "'");
    }
}
