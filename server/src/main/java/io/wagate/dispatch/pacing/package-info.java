/**
 * Pure, deterministic pacing for sends to Meta: token buckets, the adaptive per-number rate, the
 * per-recipient pair limit with its 131056 back-off, and the per-number outage circuit and pauses.
 *
 * <p>Nothing here does I/O, owns a thread or reads a clock: every method that depends on time
 * takes {@code long nowNanos}, a reading of a monotonic clock ({@link System#nanoTime()} in
 * production, a counter in tests). Instants are only ever compared by subtraction, so a clock
 * that wraps around {@code Long.MAX_VALUE} is handled; two readings must be less than about 292
 * years apart.
 */
package io.wagate.dispatch.pacing;
