package io.wagate.webhook;

import io.wagate.api.v1.Event;
import io.wagate.events.EventSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * An in-memory {@link EventSink} for server tests until the real event log is available: dedupes
 * by id like the log, and lets a test hold back or fail the answer.
 */
final class RecordingSink implements EventSink {

    private final List<Event> stored = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private volatile Supplier<CompletableFuture<Void>> gate = () -> CompletableFuture.completedFuture(null);

    /** Every later append completes only when the future returned by {@code gate} does. */
    void gate(Supplier<CompletableFuture<Void>> gate) {
        this.gate = gate;
    }

    @Override
    public CompletableFuture<AppendResult> append(List<Event> events) {
        return gate.get().thenApply(v -> {
            synchronized (this) {
                int fresh = 0;
                for (Event e : events) {
                    if (ids.add(e.getId())) {
                        stored.add(e);
                        fresh++;
                    }
                }
                return new AppendResult(fresh, events.size() - fresh);
            }
        });
    }

    synchronized List<Event> stored() {
        return List.copyOf(stored);
    }
}
