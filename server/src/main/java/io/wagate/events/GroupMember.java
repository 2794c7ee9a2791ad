package io.wagate.events;

import io.wagate.api.v1.Event;

/**
 * One subscriber's stream as a consumer group drives it. All calls come from the group's lane in
 * {@link ConsumerGroups} (a delivery thread holding the group's lock), one at a time, and must
 * not block.
 */
public interface GroupMember {

    /** Whether the stream can take another message now without buffering (flow control). */
    boolean isReady();

    void send(Event event);

    /** The group was moved: events come again from {@code offset}. */
    void rewound(long offset);

    /** Nothing was sent for a while; {@code head} is the newest stored offset. */
    void heartbeat(long head);

    /** The subscription ends (the group was deleted, the appliance stops). */
    void close(GroupClosedException reason);
}
