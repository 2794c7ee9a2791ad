package io.wagate.cli.bench;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendResponse;
import io.wagate.api.v1.SendStreamResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * Drives Messages.Send or Messages.SendStream as a {@link LoadPlan} says and measures latency.
 *
 * <p>Closed loop ({@code rate == 0}): {@code concurrency} lanes; a unary lane is one caller with
 * one call in flight, whose answer sends its next request; a stream lane, driven by its own
 * thread, has up to {@code window}. Latency runs from the
 * moment a request is sent.
 *
 * <p>Open loop ({@code rate > 0}): one scheduler thread issues message {@code i} at
 * {@code start + i / rate}, round-robin over the lanes (one unary lane allowing
 * {@code concurrency} calls in flight, or {@code concurrency} stream lanes). Latency runs from the
 * intended send time, so a server stall that delays later sends is charged to them (no
 * coordinated omission).
 *
 * <p>Memory stays bounded: every lane holds a semaphore of in-flight requests, and a stream lane
 * that gets no answer within the timeout aborts the run. Not reusable: one instance, one run.
 */
public final class SendLoadGenerator {

  private static final long STALL_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int MAX_CHAIN_DEPTH = 32;
  private static final ThreadLocal<Integer> CHAIN_DEPTH = ThreadLocal.withInitial(() -> 0);

  /** Where a closed-loop caller continues when its answers arrive inline. */
  private static final class Trampoline {
    static final java.util.concurrent.ExecutorService POOL =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "bench-trampoline");
          t.setDaemon(true);
          return t;
        });
  }

  private final Channel channel;
  private final LoadPlan plan;
  private final RequestSource requests;
  private final Recorder latencies = new Recorder(3);
  private final LongAdder ok = new LongAdder();
  private final Map<Status.Code, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicLong lastMeasuredAnswer = new AtomicLong(Long.MIN_VALUE);
  private final AtomicReference<Status> abort = new AtomicReference<>();
  private final long timeoutNanos;
  private Schedule schedule;

  /** A generator sending {@code requests} over {@code channel}. */
  public SendLoadGenerator(Channel channel, LoadPlan plan, RequestSource requests) {
    this.channel = channel;
    this.plan = plan;
    this.requests = requests;
    this.timeoutNanos = plan.timeout().toNanos();
  }

  /** Runs the plan to the end and returns what was measured. */
  public LoadResult run() throws InterruptedException {
    List<Lane> lanes = new ArrayList<>();
    int laneCount = plan.openLoop() && plan.mode() == LoadPlan.Mode.UNARY ? 1 : plan.concurrency();
    for (int i = 0; i < laneCount; i++) {
      lanes.add(
          plan.mode() == LoadPlan.Mode.UNARY
              ? new UnaryLane(plan.openLoop() ? plan.concurrency() : 1)
              : new StreamLane(plan.window()));
    }
    schedule = new Schedule(System.nanoTime(), plan.warmup(), plan.count(), plan.duration());
    List<Thread> drivers = new ArrayList<>();
    if (!plan.openLoop() && plan.mode() == LoadPlan.Mode.UNARY) {
      // closed-loop unary callers need no thread each: every answer sends that caller's next
      // request from the callback, which keeps the load generator's own CPU use low
      CountDownLatch callersDone = new CountDownLatch(lanes.size());
      for (Lane lane : lanes) {
        ((UnaryLane) lane).chain(callersDone);
      }
      callersDone.await();
    } else if (plan.openLoop()) {
      drivers.add(new Thread(() -> openLoop(lanes), "bench-scheduler"));
    } else {
      for (int i = 0; i < lanes.size(); i++) {
        Lane lane = lanes.get(i);
        drivers.add(new Thread(() -> closedLoop(lane), "bench-caller-" + i));
      }
    }
    for (Thread t : drivers) {
      t.setDaemon(true);
      t.start();
    }
    for (Thread t : drivers) {
      t.join();
    }
    for (Lane lane : lanes) {
      lane.finish();
    }
    long last = lastMeasuredAnswer.get();
    long measured = last == Long.MIN_VALUE ? 0 : last - schedule.warmupEndNanos();
    Map<Status.Code, Long> errorCounts = new EnumMap<>(Status.Code.class);
    errors.forEach((code, n) -> errorCounts.put(code, n.sum()));
    return new LoadResult(ok.sum(), errorCounts, latencies.getIntervalHistogram(), measured, abort.get());
  }

  private void closedLoop(Lane lane) {
    try {
      while (lane.acquire()) {
        long now = System.nanoTime();
        Schedule.Admission a = schedule.admit(now);
        if (a == Schedule.Admission.STOP) {
          lane.release();
          return;
        }
        lane.send(requests.next(), now, a == Schedule.Admission.MEASURED);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(Status.CANCELLED.withDescription("interrupted"));
    }
  }

  private void openLoop(List<Lane> lanes) {
    double nanosPerMessage = 1e9 / plan.rate();
    long start = schedule.startNanos();
    try {
      for (long i = 0; ; i++) {
        long intended = start + (long) (i * nanosPerMessage);
        for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        Schedule.Admission a = schedule.admit(intended);
        if (a == Schedule.Admission.STOP) {
          return;
        }
        Lane lane = lanes.get((int) (i % lanes.size()));
        if (!lane.acquire()) {
          return;
        }
        lane.send(requests.next(), intended, a == Schedule.Admission.MEASURED);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(Status.CANCELLED.withDescription("interrupted"));
    }
  }

  private void answered(long sentAt, boolean measured, Status.Code error) {
    if (!measured) {
      return;
    }
    long now = System.nanoTime();
    if (error == null) {
      latencies.recordValue(Math.max(0, now - sentAt));
      ok.increment();
    } else {
      errors.computeIfAbsent(error, c -> new LongAdder()).increment();
    }
    lastMeasuredAnswer.accumulateAndGet(now, Math::max);
  }

  private void abort(Status why) {
    abort.compareAndSet(null, why);
    schedule.stop();
  }

  /** Requests in flight on one call (unary: many calls) with a bound. */
  private abstract class Lane {
    final Semaphore inFlight;
    final int permits;

    Lane(int permits) {
      this.permits = permits;
      this.inFlight = new Semaphore(permits);
    }

    /** Waits for room; false (and the run aborted) if none came within the timeout. */
    boolean acquire() throws InterruptedException {
      if (inFlight.tryAcquire(timeoutNanos + STALL_SLACK_NANOS, TimeUnit.NANOSECONDS)) {
        return true;
      }
      stalled();
      return false;
    }

    void release() {
      inFlight.release();
    }

    abstract void send(SendRequest request, long sentAt, boolean measured);

    abstract void stalled();

    /** Waits for every answer, then ends the lane. */
    void finish() throws InterruptedException {
      if (inFlight.tryAcquire(permits, timeoutNanos + STALL_SLACK_NANOS, TimeUnit.NANOSECONDS)) {
        inFlight.release(permits);
      } else {
        stalled();
      }
    }
  }

  private final class UnaryLane extends Lane {
    private final MessagesGrpc.MessagesStub stub = MessagesGrpc.newStub(channel);
    private CountDownLatch chainDone;

    UnaryLane(int permits) {
      super(permits);
    }

    /** Drives this lane as one closed-loop caller: each answer sends the next request. */
    void chain(CountDownLatch done) {
      chainDone = done;
      next();
    }

    private void next() {
      int depth = CHAIN_DEPTH.get();
      if (depth > MAX_CHAIN_DEPTH) {
        // answers that came inline (a call failing at once) would otherwise nest without end
        Trampoline.POOL.execute(this::next);
        return;
      }
      CHAIN_DEPTH.set(depth + 1);
      try {
        long now = System.nanoTime();
        Schedule.Admission a = schedule.admit(now);
        if (a == Schedule.Admission.STOP || !inFlight.tryAcquire()) {
          chainDone.countDown();
          return;
        }
        send(requests.next(), now, a == Schedule.Admission.MEASURED);
      } finally {
        CHAIN_DEPTH.set(depth);
      }
    }

    @Override
    void release() {
      super.release();
      if (chainDone != null) {
        next();
      }
    }

    @Override
    void send(SendRequest request, long sentAt, boolean measured) {
      stub.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
          .send(
              request,
              new StreamObserver<SendResponse>() {
                @Override
                public void onNext(SendResponse value) {}

                @Override
                public void onError(Throwable t) {
                  answered(sentAt, measured, Status.fromThrowable(t).getCode());
                  release();
                }

                @Override
                public void onCompleted() {
                  answered(sentAt, measured, null);
                  release();
                }
              });
    }

    @Override
    void stalled() {
      // unreachable while deadlines work; kept so a stuck call cannot hang the run
      abort(Status.DEADLINE_EXCEEDED.withDescription("a Send did not end within --timeout"));
    }
  }

  private final class StreamLane extends Lane
      implements ClientResponseObserver<SendRequest, SendStreamResponse> {

    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile ClientCallStreamObserver<SendRequest> requestStream;
    private volatile Status.Code failure;
    private volatile boolean cancelled;

    StreamLane(int window) {
      super(window);
      MessagesGrpc.newStub(channel).sendStream(this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SendRequest> stream) {
      this.requestStream = stream;
    }

    @Override
    void send(SendRequest request, long sentAt, boolean measured) {
      pending.add(new Pending(sentAt, measured));
      if (failure != null) {
        drain(failure);
        return;
      }
      requestStream.onNext(request);
    }

    @Override
    public void onNext(SendStreamResponse response) {
      Pending p = pending.poll();
      if (p == null) {
        abort(Status.INTERNAL.withDescription("SendStream answered more requests than were sent"));
        return;
      }
      Status.Code error =
          response.hasError() ? Status.fromCodeValue(response.getError().getGrpcCode()).getCode() : null;
      answered(p.sentAt(), p.measured(), error);
      release();
    }

    @Override
    public void onError(Throwable t) {
      Status status = Status.fromThrowable(t);
      failure = status.getCode();
      abort(status);
      drain(failure);
      closed.countDown();
    }

    @Override
    public void onCompleted() {
      failure = Status.Code.INTERNAL;
      if (!pending.isEmpty()) {
        abort(Status.INTERNAL.withDescription("SendStream ended before answering every request"));
      }
      drain(failure);
      closed.countDown();
    }

    @Override
    void stalled() {
      abort(Status.DEADLINE_EXCEEDED.withDescription("no SendStream answer within --timeout"));
      cancelled = true;
      requestStream.cancel("benchmark stalled", null);
    }

    @Override
    void finish() throws InterruptedException {
      super.finish();
      if (!cancelled && failure == null) {
        requestStream.onCompleted();
      }
      if (!closed.await(timeoutNanos, TimeUnit.NANOSECONDS) && !cancelled) {
        cancelled = true;
        requestStream.cancel("benchmark finished", null);
      }
    }

    private void drain(Status.Code code) {
      for (Pending p = pending.poll(); p != null; p = pending.poll()) {
        answered(p.sentAt(), p.measured(), code);
        release();
      }
    }
  }

  private record Pending(long sentAt, boolean measured) {}
}
