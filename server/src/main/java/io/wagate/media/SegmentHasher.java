package io.wagate.media;

import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SHA-256 of one upload's plaintext, computed on another thread while the writer encrypts and
 * writes the following segments: on a 2-core machine this takes SHA-256 (the most expensive of
 * hash, encrypt and write per byte) off the upload's own thread.
 *
 * <p>The writer fills segment buffers taken from a fixed pool ({@link #take()}) and hands each
 * full one over ({@link #hash}); a task on the executor hashes handed-over buffers in order, one
 * task at a time, and returns each to the pool. Memory is the pool, allocated up front; when it is
 * empty the writer waits, so hashing is never more than the pool behind. If the executor refuses
 * the task (the store is closing), the writer's thread hashes. {@link #finish} waits until every
 * buffer is back and returns the digest.
 *
 * <p>Threading: {@link #take}, {@link #hash} and {@link #finish} are called by the one writer
 * thread; the digest is touched by one draining task at a time, and each buffer's return to the
 * pool publishes the digest's state to the writer that takes it.
 */
final class SegmentHasher {
  private final MessageDigest sha256;
  private final Executor executor;
  private final int buffers;
  private final BlockingQueue<byte[]> free;
  private final ConcurrentLinkedQueue<Chunk> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private boolean finished;

  private record Chunk(byte[] bytes, int length) {}

  SegmentHasher(Executor executor, int segmentBytes, int buffers) {
    if (buffers < 2) {
      throw new IllegalArgumentException("buffers must be >= 2, got " + buffers);
    }
    this.executor = executor;
    this.buffers = buffers;
    this.free = new ArrayBlockingQueue<>(buffers);
    for (int i = 0; i < buffers; i++) {
      free.add(new byte[segmentBytes]);
    }
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable in this JVM", e);
    }
  }

  /** Pool size for a segment size: 1 MiB of buffers, at least 2 and at most 8. */
  static int poolSize(int segmentBytes) {
    return Math.max(2, Math.min(8, (1 << 20) / segmentBytes));
  }

  /** A free buffer, waiting until hashing returns one. */
  byte[] take() throws InterruptedIOException {
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the plaintext hash");
    }
  }

  /**
   * Hands {@code bytes[0, length)} over for hashing. The caller may go on reading the buffer (to
   * encrypt it) but must not write to it; it comes back through {@link #take()}.
   */
  void hash(byte[] bytes, int length) {
    pending.add(new Chunk(bytes, length));
    if (draining.compareAndSet(false, true)) {
      schedule();
    }
  }

  /**
   * Waits until every handed-over buffer is hashed and returns the SHA-256 of all of them, in
   * hand-over order. Call once, after handing over the last buffer taken.
   */
  byte[] finish() throws InterruptedIOException {
    if (finished) {
      throw new IllegalStateException("already finished");
    }
    finished = true;
    for (int i = 0; i < buffers; i++) {
      take(); // every buffer back in the pool: every update happened before its return
    }
    return sha256.digest();
  }

  /** Runs {@link #drain} on the executor, or here if it refuses; the caller holds the draining flag. */
  private void schedule() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      drain();
    }
  }

  /**
   * Hashes at most a pool's worth of chunks, then gives the thread back (rescheduling itself if more
   * are pending), so a fast upload cannot hold a hashing thread while other uploads wait for it.
   */
  private void drain() {
    Chunk c;
    for (int n = 0; n < buffers && (c = pending.poll()) != null; n++) {
      sha256.update(c.bytes(), 0, c.length());
      free.add(c.bytes());
    }
    if (!pending.isEmpty()) {
      schedule(); // still holding the flag
      return;
    }
    draining.set(false);
    // a chunk added after the last poll and before the flag cleared found the flag set: take it now
    if (!pending.isEmpty() && draining.compareAndSet(false, true)) {
      schedule();
    }
  }
}
