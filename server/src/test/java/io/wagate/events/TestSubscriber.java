package io.wagate.events;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.StartPosition;
import io.wagate.api.v1.SubscribeRequest;
import io.wagate.api.v1.SubscribeResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real Subscribe stream for tests: collects what arrives; acks automatically or by hand. */
final class TestSubscriber implements ClientResponseObserver<SubscribeRequest, SubscribeResponse> {
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> rewinds = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    private final boolean autoAck;
    private volatile ClientCallStreamObserver<SubscribeRequest> requests;

    private TestSubscriber(boolean autoAck) {
        this.autoAck = autoAck;
    }

    static TestSubscriber open(EventsGrpc.EventsStub stub, SubscribeRequest.Open open, boolean autoAck) {
        TestSubscriber s = new TestSubscriber(autoAck);
        stub.subscribe(s);
        s.send(SubscribeRequest.newBuilder().setOpen(open).build());
        return s;
    }

    static SubscribeRequest.Open.Builder group(String name) {
        return SubscribeRequest.Open.newBuilder().setGroup(name)
                .setStart(StartPosition.newBuilder().setEarliest(true))
                .setAckDeadline(Durations.fromSeconds(30));
    }

    static SubscribeRequest.Open.Builder group(String name, EventFilter filter) {
        return group(name).setFilter(filter);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
        this.requests = requestStream;
    }

    @Override
    public void onNext(SubscribeResponse r) {
        if (r.hasEvent()) {
            events.add(r.getEvent());
            if (autoAck) {
                ack(r.getEvent().getOffset());
            }
        } else if (r.hasRewound()) {
            rewinds.add(r.getRewound().getOffset());
        }
    }

    @Override
    public void onError(Throwable t) {
        ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        ended.complete(Status.OK);
    }

    void ack(long... offsets) {
        SubscribeRequest.Ack.Builder b = SubscribeRequest.Ack.newBuilder();
        for (long o : offsets) {
            b.addOffsets(o);
        }
        send(SubscribeRequest.newBuilder().setAck(b).build());
    }

    void nack(long offset) {
        send(SubscribeRequest.newBuilder().setAck(SubscribeRequest.Ack.newBuilder().addNackOffsets(offset)).build());
    }

    synchronized void send(SubscribeRequest r) {
        requests.onNext(r);
    }

    /** Takes n events, failing if they do not all come within the timeout. */
    List<Event> take(int n, Duration timeout) throws InterruptedException {
        List<Event> out = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("got " + out.size() + " of " + n + " events within " + timeout);
            }
            out.add(e);
        }
        return out;
    }

    synchronized void close() {
        try {
            requests.onCompleted();
        } catch (IllegalStateException alreadyClosed) {
            // the server ended the stream first
        }
    }
}
