package io.wagate.cloudapi;

/**
 * One row of Meta's error-code table (reference §2.3).
 *
 * <p>{@code httpStatus} is the status from Meta's older table, which the sandbox uses as its
 * default; Meta now says to branch on {@code code}, never on the status. Codes whose old table had
 * no status get 400, the status Graph uses for client errors.
 *
 * @param code Meta's error code
 * @param title Meta's title, the text after "(#code) " in the synchronous {@code message}
 * @param httpStatus the HTTP status Meta historically answered with
 * @param retryClass what the dispatcher should do with it
 */
public record MetaErrorCode(int code, String title, int httpStatus, RetryClass retryClass) {
}
