package io.wagate.cli.commands;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.SubscribeRequest;
import io.wagate.api.v1.SubscribeResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * One Events.Subscribe call as a queue the command's thread takes from: gRPC's thread puts what
 * the server sends, the command prints it and acknowledges it.
 *
 * <p>Threading: {@link #take}, {@link #ack}, {@link #drainEvents} and {@link #finish} are for the
 * command's thread only (a request stream is not thread-safe); {@link #stop} may be called from any
 * thread, a shutdown hook for instance. The server sends at most {@code max_in_flight}
 * unacknowledged events, so the queue stays bounded by that plus a few heartbeats.
 */
final class EventSubscription {

  private static final Object STOP = new Object();

  private final BlockingDeque<Object> inbox = new LinkedBlockingDeque<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile ClientCallStreamObserver<SubscribeRequest> requests;
  private volatile boolean endedByServer;

  private EventSubscription() {}

  /** Starts the call and sends {@code open}. */
  static EventSubscription open(EventsGrpc.EventsStub stub, SubscribeRequest.Open open) {
    EventSubscription s = new EventSubscription();
    stub.subscribe(s.new Receiver());
    s.requests.onNext(SubscribeRequest.newBuilder().setOpen(open).build());
    return s;
  }

  /**
   * Waits for what the server sends next.
   *
   * @return the response; null after {@link #stop} or when the server ended the call normally
   *     ({@link #endedByServer()} tells which)
   * @throws StatusRuntimeException when the call failed
   */
  SubscribeResponse take() throws InterruptedException {
    Object o = inbox.take();
    if (o == STOP) {
      return null;
    }
    if (o instanceof Ended e) {
      if (e.failure == null) {
        endedByServer = true;
        return null;
      }
      throw e.failure instanceof StatusRuntimeException sre ? sre : Status.fromThrowable(e.failure).asRuntimeException();
    }
    return (SubscribeResponse) o;
  }

  /** True when something is waiting to be taken, so an ack may wait for the next batch. */
  boolean hasWaiting() {
    return !inbox.isEmpty();
  }

  /** True once the server ended the call without an error. */
  boolean endedByServer() {
    return endedByServer;
  }

  /** Makes {@link #take} return null as soon as possible; safe from any thread. */
  void stop() {
    inbox.offerFirst(STOP);
  }

  /** Acknowledges {@code offsets} and asks for {@code nacks} to be delivered again now. */
  void ack(Collection<Long> offsets, Collection<Long> nacks) {
    if ((offsets.isEmpty() && nacks.isEmpty()) || ended.getCount() == 0) {
      return;
    }
    requests.onNext(SubscribeRequest.newBuilder()
        .setAck(SubscribeRequest.Ack.newBuilder().addAllOffsets(offsets).addAllNackOffsets(nacks))
        .build());
  }

  /** The offsets of the events received and not taken; they leave the queue. */
  List<Long> drainEvents() {
    List<Long> offsets = new ArrayList<>();
    for (Object o; (o = inbox.poll()) != null; ) {
      if (o instanceof SubscribeResponse r && r.hasEvent()) {
        offsets.add(r.getEvent().getOffset());
      } else if (o instanceof Ended) {
        inbox.offerFirst(o);
        break;
      }
    }
    return offsets;
  }

  /**
   * Ends the call: half-closes it, so the acks already sent are read before the server lets go,
   * waits up to {@code wait} for the server to end it, then cancels.
   */
  void finish(Duration wait) throws InterruptedException {
    if (ended.getCount() == 0) {
      return;
    }
    requests.onCompleted();
    if (!ended.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
      requests.cancel("wagatectl is done", null);
    }
  }

  /** Cancels the call at once; for failures of the command itself. */
  void cancel() {
    if (ended.getCount() != 0) {
      requests.cancel("wagatectl stopped", null);
    }
  }

  /** The end of the call, as gRPC reported it. */
  private record Ended(Throwable failure) {}

  private final class Receiver implements ClientResponseObserver<SubscribeRequest, SubscribeResponse> {

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
      requests = requestStream;
    }

    @Override
    public void onNext(SubscribeResponse response) {
      inbox.add(response);
    }

    @Override
    public void onError(Throwable t) {
      inbox.add(new Ended(t));
      ended.countDown();
    }

    @Override
    public void onCompleted() {
      inbox.add(new Ended(null));
      ended.countDown();
    }
  }
}
