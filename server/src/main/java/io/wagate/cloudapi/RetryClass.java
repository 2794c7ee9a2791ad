package io.wagate.cloudapi;

/**
 * What the dispatcher should do after a failed attempt, derived from Meta's error code (reference
 * §2.4). The classes are deliberately coarse: the dispatcher owns the actual delays and bounds.
 *
 * <p>Immutable enum; safe to share between threads.
 */
public enum RetryClass {
    /** Retry with backoff and jitter: transport failures, HTTP 5xx, codes 1 (bounded), 2, 131000, 131016, 133004. */
    TRANSIENT,
    /** 130429: the business number's throughput is exhausted; slow the whole number down and retry. */
    THROTTLED_NUMBER,
    /** 131056: too many messages to one recipient; retry that conversation only, after 4^X seconds. */
    THROTTLED_PAIR,
    /** 4, 80007: the app's or WABA's Graph call quota; back off for minutes, then retry. */
    QUOTA,
    /** 131057, 2494100: the account is in maintenance; retry after about a minute. */
    MAINTENANCE,
    /** 131049: per-user marketing limit; Meta warns that retrying within 24 hours fails again. */
    RETRY_AFTER_24H,
    /** 0, 10, 190, 200–299: credentials or permissions; pause the number and alert, do not spend attempts. */
    AUTH,
    /** 368, 131031: the number is blocked or locked for policy reasons; stop the number and alert. */
    POLICY,
    /** Anything else: the message cannot succeed as sent; fail it. */
    PERMANENT;

    /** True when a later attempt of the same message may succeed without anyone changing anything. */
    public boolean retryable() {
        return this != PERMANENT && this != AUTH && this != POLICY;
    }
}
