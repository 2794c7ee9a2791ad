package io.wagate.dispatch;

import io.wagate.cloudapi.ErrorCodeTable;
import io.wagate.cloudapi.RetryClass;
import io.wagate.cloudapi.SendResult;
import io.wagate.config.DispatchConfig;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns the result of one attempt into a {@link RetryDecision}, following the retry classes of
 * the error-code table (reference §2.4). Throttles are never turned into a permanent failure;
 * only validity ends a throttled message. Step 2 (pacing, circuits, number pauses) refines the
 * delays; the classification stays here.
 *
 * <p>Stateless and thread-safe.
 */
public final class RetryPolicy {
    /** Code 1 ("API Unknown") is retried, but only this many times. */
    static final int MAX_ATTEMPTS_UNKNOWN = 3;
    static final long MAINTENANCE_DELAY_MS = 60_000;
    static final long QUOTA_DELAY_MS = 5 * 60_000;
    static final long AFTER_24H_MS = 24 * 3600_000L;

    private final DispatchConfig config;

    public RetryPolicy(DispatchConfig config) {
        this.config = config;
    }

    /**
     * @param attempts attempts already spent, this one included
     */
    public RetryDecision decide(SendResult result, int attempts) {
        if (result instanceof SendResult.Accepted || result instanceof SendResult.Acknowledged) {
            return RetryDecision.SUBMITTED;
        }
        if (result instanceof SendResult.TransportFailure) {
            SendResult.TransportFailure t = (SendResult.TransportFailure) result;
            if (!t.requestMayHaveBeenSent()) {
                // nothing reached Meta: wait for the uplink without spending the attempt
                return RetryDecision.retry(backoff(attempts), false);
            }
            // Meta may have accepted it: wait for a status carrying our id before sending again
            return RetryDecision.uncertain(config.reconciliationWindow().toMillis());
        }
        SendResult.MetaError e = (SendResult.MetaError) result;
        RetryClass retryClass = config.retryOverride(e.code()).orElse(e.retryClass());
        boolean known = config.retryOverride(e.code()).isPresent() || ErrorCodeTable.lookup(e.code()).isPresent();
        switch (retryClass) {
            case TRANSIENT:
                // code 1 and codes missing from the table: a few tries, then FAILED with Meta's details
                int limit = e.code() == 1 || !known ? Math.min(MAX_ATTEMPTS_UNKNOWN, config.maxAttempts())
                        : config.maxAttempts();
                return attempts >= limit ? RetryDecision.FAIL : RetryDecision.retry(backoff(attempts), true);
            case THROTTLED_NUMBER:
                return RetryDecision.retry(backoff(attempts), false);
            case THROTTLED_PAIR:
                // Meta: retry after 4^X seconds
                return RetryDecision.retry(Math.min(config.maxBackoff().toMillis(),
                        (long) Math.pow(4, Math.min(attempts - 1, 10)) * 1000), false);
            case MAINTENANCE:
                return RetryDecision.retry(jitter(MAINTENANCE_DELAY_MS), false);
            case QUOTA:
                return RetryDecision.retry(jitter(QUOTA_DELAY_MS), false);
            case RETRY_AFTER_24H:
                return RetryDecision.retry(AFTER_24H_MS, true);
            default:
                if (!known && e.httpStatus() < 500 && attempts < Math.min(MAX_ATTEMPTS_UNKNOWN, config.maxAttempts())) {
                    // a code we do not know yet: retry a bounded number of times rather than guess
                    return RetryDecision.retry(backoff(attempts), true);
                }
                return RetryDecision.FAIL;
        }
    }

    /** Exponential backoff with equal jitter: half fixed, half random, capped. */
    long backoff(int attempts) {
        long base = config.initialBackoff().toMillis();
        long cap = config.maxBackoff().toMillis();
        int shift = Math.max(0, Math.min(attempts - 1, 30));
        long exp = Math.min(cap, base << shift);
        return jitter(exp);
    }

    private static long jitter(long delay) {
        long half = delay / 2;
        return half + ThreadLocalRandom.current().nextLong(half + 1);
    }
}
