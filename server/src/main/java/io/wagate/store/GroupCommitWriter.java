package io.wagate.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit: many callers, one synced WriteBatch ({@code WriteOptions.setSync(true)}) per
 * group, then every caller of the group is answered.
 *
 * <p>One writer thread, a daemon named {@value #THREAD_NAME}, drains a queue; a group is whatever
 * is queued when the previous sync finishes (up to {@link StoreOptions#maxGroupSize()} write
 * sets), so under load groups grow by themselves, and with one caller latency is one fsync. The
 * write sets of a group are applied in submission order in one atomic batch: a group is written
 * entirely or not at all.
 *
 * <p>Threading: {@link #submit} and {@link #write} may be called from any thread. Futures of a
 * committed group are completed, in submission order, on a second thread named
 * {@value #ACK_THREAD_NAME}, so the writer starts the next sync while callers are being answered
 * (continuations attached with non-async methods run there). Failures are completed on the writer
 * thread. Cancelling a returned future does not withdraw the write.
 *
 * <pre>{@code
 * db.writer().submit(new WriteSet().put(ColumnFamily.MESSAGES, Keys.u64(id), bytes))
 *     .whenComplete((ok, error) -> reply(error));
 * }</pre>
 */
public final class GroupCommitWriter {
  /** The name of the writer thread. */
  public static final String THREAD_NAME = "wagate-group-commit";
  /** The name of the thread that answers the callers of committed groups. */
  public static final String ACK_THREAD_NAME = "wagate-commit-ack";

  /** Writes one group durably, or throws a {@link StoreException} having written none of it. */
  @FunctionalInterface
  interface GroupSink {
    void commit(List<WriteSet> group);
  }

  /** Wakes the writer thread at close; never completed. */
  private static final Submission STOP = new Submission(new WriteSet());

  private final BlockingQueue<Submission> queue = new LinkedBlockingQueue<>();
  private final GroupSink sink;
  private final FreeSpaceGuard freeSpace;
  private final int maxGroupSize;
  private final Thread thread;
  private final ExecutorService acks;
  private volatile Thread ackThread;
  private final AtomicLong groupsCommitted = new AtomicLong();
  private final AtomicLong writesCommitted = new AtomicLong();
  private volatile boolean closed;

  GroupCommitWriter(GroupSink sink, FreeSpaceGuard freeSpace, int maxGroupSize) {
    this.sink = sink;
    this.freeSpace = freeSpace;
    this.maxGroupSize = maxGroupSize;
    this.thread = new Thread(this::run, THREAD_NAME);
    this.thread.setDaemon(true);
    this.acks = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, ACK_THREAD_NAME);
      t.setDaemon(true);
      ackThread = t;
      return t;
    });
  }

  void start() {
    thread.start();
  }

  /**
   * Queues {@code writes} for the next group.
   *
   * @return a future completed once the synced write holding {@code writes} returned; completed
   *     exceptionally with {@link StoreFullException} (refused for lack of disk space, nothing
   *     written), {@link StoreClosedException} (the database closed first, nothing written) or
   *     {@link StoreException} (the group's write failed, nothing of it written)
   */
  public CompletableFuture<Void> submit(WriteSet writes) {
    Objects.requireNonNull(writes, "writes");
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    try {
      freeSpace.check();
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
    Submission submission = new Submission(writes);
    queue.add(submission);
    // close() may have drained the queue between our check and add; if our entry is still
    // there, nobody else will answer it.
    if (closed && queue.remove(submission)) {
      submission.future.completeExceptionally(closedException());
    }
    return submission.future;
  }

  /**
   * Submits {@code writes} and waits until it is durable.
   *
   * @throws StoreFullException if refused or failed for lack of disk space
   * @throws StoreClosedException if the database closed first
   * @throws StoreException if the write failed, or the wait was interrupted (interrupt status is
   *     kept; the write may still be committed)
   */
  public void write(WriteSet writes) {
    CompletableFuture<Void> future = submit(writes);
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a group commit; the write may"
          + " still be committed", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new StoreException("group commit failed", cause);
    }
  }

  /** Number of groups written so far (one synced write each). */
  public long groupsCommitted() {
    return groupsCommitted.get();
  }

  /**
   * Number of write sets written so far; divided by {@link #groupsCommitted()}, the mean group
   * size.
   */
  public long writesCommitted() {
    return writesCommitted.get();
  }

  /**
   * Stops the writer: refuses new submissions, lets a group already being written finish, and
   * fails everything still queued with {@link StoreClosedException}. Returns when the writer
   * thread no longer touches the database. Idempotent.
   */
  void close() {
    closed = true;
    queue.add(STOP);
    boolean interrupted = false;
    // Unbounded on purpose: releasing the database under a running write would crash the JVM.
    while (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    // answer every group already committed before returning (unless called from an answer)
    acks.shutdown();
    while (Thread.currentThread() != ackThread && !acks.isTerminated()) {
      try {
        acks.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    List<Submission> rest = new ArrayList<>();
    queue.drainTo(rest);
    failAll(rest, closedException());
    // If close() runs on the writer thread (a continuation), let its loop see STOP and end.
    queue.add(STOP);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Submission> group = new ArrayList<>(maxGroupSize);
    while (true) {
      Submission first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        // Nobody interrupts this thread; if someone does, only STOP ends it.
        continue;
      }
      group.add(first);
      queue.drainTo(group, maxGroupSize - 1);
      boolean stop = group.remove(STOP);
      if (closed) {
        failAll(group, closedException());
      } else {
        commit(group);
      }
      group.clear();
      if (stop) {
        return;
      }
    }
  }

  private void commit(List<Submission> group) {
    List<WriteSet> writes = new ArrayList<>(group.size());
    for (Submission submission : group) {
      writes.add(submission.writes);
    }
    try {
      sink.commit(writes);
    } catch (StoreException e) {
      failAll(group, e);
      return;
    } catch (RuntimeException | Error e) {
      // Never let the writer thread die: every queued caller would wait forever.
      failAll(group, new StoreException("group commit failed", e));
      return;
    }
    groupsCommitted.incrementAndGet();
    writesCommitted.addAndGet(group.size());
    List<Submission> committed = List.copyOf(group);
    acks.execute(() -> {
      for (Submission submission : committed) {
        submission.future.complete(null);
      }
    });
  }

  private static void failAll(List<Submission> submissions, StoreException e) {
    for (Submission submission : submissions) {
      if (submission != STOP) {
        submission.future.completeExceptionally(e);
      }
    }
  }

  private static StoreClosedException closedException() {
    return new StoreClosedException("group commit: the database is closed", null);
  }

  /** A queued write set and its caller's future; identity-compared. */
  private static final class Submission {
    final WriteSet writes;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    Submission(WriteSet writes) {
      this.writes = writes;
    }
  }
}
