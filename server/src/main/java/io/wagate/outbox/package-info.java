/** Accepting messages (validation, idempotency), per-conversation FIFO scheduling, priority lanes, leases. */
package io.wagate.outbox;
