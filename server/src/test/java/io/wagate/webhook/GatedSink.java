package io.wagate.webhook;

import io.wagate.api.v1.Event;
import io.wagate.events.EventSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The real event log behind a gate a test can hold shut, to prove that Meta's answer waits for
 * the store: an append is handed to the log only once the gate's future completes, and fails
 * with it.
 */
final class GatedSink implements EventSink {

    private final EventSink log;
    private volatile Supplier<CompletableFuture<Void>> gate = () -> CompletableFuture.completedFuture(null);

    GatedSink(EventSink log) {
        this.log = log;
    }

    /** Every later append waits for the future {@code gate} returns. */
    void gate(Supplier<CompletableFuture<Void>> gate) {
        this.gate = gate;
    }

    @Override
    public CompletableFuture<AppendResult> append(List<Event> events) {
        return gate.get().thenCompose(v -> log.append(events));
    }
}
