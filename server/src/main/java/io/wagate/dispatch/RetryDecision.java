package io.wagate.dispatch;

/**
 * What to do with a message after one attempt.
 *
 * @param kind          submitted, retry later, wait for reconciliation (Meta may have it), or fail now
 * @param delayMillis   for RETRY and UNCERTAIN: how long to wait
 * @param spendsAttempt for RETRY: whether the attempt counts against dispatch.max_attempts
 *                      (throttles and transport failures before the request left do not)
 */
public record RetryDecision(Kind kind, long delayMillis, boolean spendsAttempt) {
    /** The three ends of an attempt. */
    public enum Kind { SUBMITTED, RETRY, UNCERTAIN, FAIL }

    static final RetryDecision SUBMITTED = new RetryDecision(Kind.SUBMITTED, 0, true);
    static final RetryDecision FAIL = new RetryDecision(Kind.FAIL, 0, true);

    static RetryDecision uncertain(long windowMillis) {
        return new RetryDecision(Kind.UNCERTAIN, windowMillis, true);
    }

    static RetryDecision retry(long delayMillis, boolean spendsAttempt) {
        return new RetryDecision(Kind.RETRY, delayMillis, spendsAttempt);
    }
}
