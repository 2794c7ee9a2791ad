package io.wagate.events;

import io.wagate.api.v1.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where events are stored. The webhook receiver answers Meta only once the returned future has
 * completed: by then every event is durable (synced) or was already stored.
 */
public interface EventSink {

    /**
     * Stores the events whose id is not stored yet, atomically with respect to concurrent calls
     * (two posts carrying the same event store it once). The log assigns {@code offset} and
     * {@code stored_at}; other fields are stored as given.
     *
     * @return completes when the new events are durable; fails with the store's error (for
     *         example {@link io.wagate.store.StoreFullException}) having stored none of them
     */
    CompletableFuture<AppendResult> append(List<Event> events);

    /** How many of the events were new, and how many were already stored. */
    record AppendResult(int stored, int duplicates) {
    }
}
