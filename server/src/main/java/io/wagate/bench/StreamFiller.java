package io.wagate.bench;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendStreamResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Queues messages through one {@code SendStream}, keeping a bounded number unanswered, for the
 * benchmarks that need a backlog. Stops at the first refused message.
 */
final class StreamFiller {
    private static final int WINDOW = 1024;

    private StreamFiller() {
    }

    /**
     * Sends {@code count} requests and waits for every answer.
     *
     * @param requestOf   the i-th request
     * @param ratePerSecond null for as fast as answers come, else an open-loop rate
     * @throws IllegalStateException naming the first refused request
     */
    static void fill(ManagedChannel ch, long count, LongFunction<SendRequest> requestOf, Long ratePerSecond)
            throws InterruptedException {
        Semaphore window = new Semaphore(WINDOW);
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<SendRequest> requests = MessagesGrpc.newStub(ch).sendStream(new StreamObserver<>() {
            @Override
            public void onNext(SendStreamResponse r) {
                if (r.hasError()) {
                    done.completeExceptionally(new IllegalStateException("request " + r.getSequence()
                            + " was refused: " + r.getError().getMessage()));
                }
                window.release();
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        long start = System.nanoTime();
        for (long i = 0; i < count && !done.isDone(); i++) {
            if (ratePerSecond != null) {
                long wait = start + (long) (i * 1e9 / ratePerSecond) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            window.acquire();
            requests.onNext(requestOf.apply(i));
        }
        requests.onCompleted();
        done.join();
    }
}
