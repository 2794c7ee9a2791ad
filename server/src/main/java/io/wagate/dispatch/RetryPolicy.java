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
    /** How long an auth or policy error stops a number before one message tries again. */
    static final long AUTH_PAUSE_MS = 5 * 60_000;

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
                // nothing reached Meta: the number's circuit waits for the uplink; no attempt spent
                return RetryDecision.retry(0, false);
            }
            // Meta may have accepted it: wait for a status carrying our id before sending again
            return RetryDecision.uncertain(config.reconciliationWindow().toMillis());
        }
        SendResult.MetaError e = (SendResult.MetaError) result;
        RetryClass retryClass = retryClassOf(e);
        boolean known = config.retryOverride(e.code()).isPresent() || ErrorCodeTable.lookup(e.code()).isPresent();
        switch (retryClass) {
            case TRANSIENT:
                // code 1 and codes missing from the table: a few tries, then FAILED with Meta's details
                int limit = e.code() == 1 || !known ? Math.min(MAX_ATTEMPTS_UNKNOWN, config.maxAttempts())
                        : config.maxAttempts();
                return attempts >= limit ? RetryDecision.FAIL : RetryDecision.retry(backoff(attempts), true);
            case THROTTLED_NUMBER:
                // the number's pacer slows down and holds the number; the message goes first again
                return RetryDecision.retry(0, false);
            case THROTTLED_PAIR:
                // the recipient's pair limiter holds this conversation for 4^X s; others go on
                return RetryDecision.retry(0, false);
            case MAINTENANCE:
                return RetryDecision.retry(MAINTENANCE_DELAY_MS, false);
            case QUOTA:
                return RetryDecision.retry(QUOTA_DELAY_MS, false);
            case RETRY_AFTER_24H:
                return RetryDecision.retry(AFTER_24H_MS, true);
            case AUTH:
            case POLICY:
                // the whole number pauses (and alerts); the message waits with it, attempt not spent
                return RetryDecision.retry(AUTH_PAUSE_MS, false);
            default:
                if (!known && e.httpStatus() < 500 && attempts < Math.min(MAX_ATTEMPTS_UNKNOWN, config.maxAttempts())) {
                    // a code we do not know yet: retry a bounded number of times rather than guess
                    return RetryDecision.retry(backoff(attempts), true);
                }
                return RetryDecision.FAIL;
        }
    }

    /** The class of Meta's error: the configured override for its code, else the table's. */
    RetryClass retryClassOf(SendResult.MetaError e) {
        return config.retryOverride(e.code()).orElse(e.retryClass());
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
