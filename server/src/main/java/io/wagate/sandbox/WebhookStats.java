package io.wagate.sandbox;

/**
 * What the sandbox's webhook delivery did since start (or {@link SandboxWebhooks#resetStats()}); a snapshot.
 *
 * @param statuses status notifications generated (duplicates count twice)
 * @param inbound inbound messages injected
 * @param posted POSTs attempted, first tries and retries
 * @param answeredOk POSTs answered 200
 * @param retried POSTs that were retries of an earlier failed one
 * @param failedAttempts POSTs that failed (refused, timed out, non-200)
 * @param droppedExpired notifications dropped because their POST still failed at the max age
 * @param droppedOverflow notifications dropped because {@link WebhookOptions#capacity()} was reached
 * @param pending notifications not yet answered 200 or dropped (waiting, batched, posting or awaiting a retry)
 * @param inFlight POSTs awaiting an answer now
 * @param paused whether delivery is paused
 */
public record WebhookStats(long statuses, long inbound, long posted, long answeredOk, long retried,
                           long failedAttempts, long droppedExpired, long droppedOverflow, long pending, int inFlight,
                           boolean paused) {
}
