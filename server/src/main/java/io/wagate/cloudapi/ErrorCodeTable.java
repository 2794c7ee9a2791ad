package io.wagate.cloudapi;

import static io.wagate.cloudapi.RetryClass.AUTH;
import static io.wagate.cloudapi.RetryClass.MAINTENANCE;
import static io.wagate.cloudapi.RetryClass.PERMANENT;
import static io.wagate.cloudapi.RetryClass.POLICY;
import static io.wagate.cloudapi.RetryClass.QUOTA;
import static io.wagate.cloudapi.RetryClass.RETRY_AFTER_24H;
import static io.wagate.cloudapi.RetryClass.THROTTLED_NUMBER;
import static io.wagate.cloudapi.RetryClass.THROTTLED_PAIR;
import static io.wagate.cloudapi.RetryClass.TRANSIENT;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Meta's synchronous error codes (reference §2.3) with the retry class of each (§2.4): the one
 * table in the code base. The Cloud API client classifies errors with it and the sandbox takes its
 * titles and default HTTP statuses from it, so both sides agree.
 *
 * <p>Code 1 ("API Unknown") is {@link RetryClass#TRANSIENT} but Meta means "limited retry, then
 * fail": the dispatcher bounds attempts for it, this table does not. The range 200–299 is one
 * family of permission errors, all {@link RetryClass#AUTH}.
 *
 * <p>Stateless and immutable; safe from any thread.
 */
public final class ErrorCodeTable {

    private static final int PERMISSION_RANGE_FIRST = 200;
    private static final int PERMISSION_RANGE_LAST = 299;
    private static final Map<Integer, MetaErrorCode> CODES = build();

    private ErrorCodeTable() {
    }

    /** The row for {@code code}, including every code of the 200–299 permission family. */
    public static Optional<MetaErrorCode> lookup(int code) {
        MetaErrorCode row = CODES.get(code);
        if (row == null && code >= PERMISSION_RANGE_FIRST && code <= PERMISSION_RANGE_LAST) {
            row = new MetaErrorCode(code, "Permission error", 403, AUTH);
        }
        return Optional.ofNullable(row);
    }

    /**
     * The retry class of an error Meta answered with. Unknown codes fall back on the HTTP status:
     * a 5xx is Meta's trouble and may pass ({@code TRANSIENT}), anything else is ours ({@code PERMANENT}).
     */
    public static RetryClass classify(int code, int httpStatus) {
        return lookup(code).map(MetaErrorCode::retryClass)
                .orElse(httpStatus >= 500 ? TRANSIENT : PERMANENT);
    }

    /** Meta's title for {@code code}, or a generic one for codes not in the table. */
    public static String title(int code) {
        return lookup(code).map(MetaErrorCode::title).orElse("Unknown error");
    }

    /** The HTTP status Meta historically answered {@code code} with; 400 for codes not in the table. */
    public static int httpStatus(int code) {
        return lookup(code).map(MetaErrorCode::httpStatus).orElse(400);
    }

    /** Every explicit row, in code order (the 200–299 family appears once, as 200). */
    public static Collection<MetaErrorCode> all() {
        return CODES.values();
    }

    private static Map<Integer, MetaErrorCode> build() {
        Map<Integer, MetaErrorCode> m = new LinkedHashMap<>();
        row(m, 0, "AuthException", 401, AUTH);
        row(m, 1, "API Unknown", 400, TRANSIENT);
        row(m, 2, "API Service", 503, TRANSIENT);
        row(m, 3, "API Method", 500, PERMANENT);
        row(m, 4, "API Too Many Calls", 400, QUOTA);
        row(m, 10, "API Permission Denied", 403, AUTH);
        row(m, 33, "This business phone number has been deleted", 400, PERMANENT);
        row(m, 100, "Invalid parameter", 400, PERMANENT);
        row(m, 190, "Access token has expired", 401, AUTH);
        row(m, 200, "API Permission", 403, AUTH);
        row(m, 368, "Temporarily blocked for policies violations", 403, POLICY);
        row(m, 80007, "Rate limit issues", 400, QUOTA);
        row(m, 130403, "Business has blocked this user", 400, PERMANENT);
        row(m, 130429, "Rate limit hit", 400, THROTTLED_NUMBER);
        row(m, 130472, "User's number is part of an experiment", 400, PERMANENT);
        row(m, 130497, "Business account is restricted from messaging users in this country", 400, PERMANENT);
        row(m, 131000, "Something went wrong", 500, TRANSIENT);
        row(m, 131005, "Access denied", 403, PERMANENT);
        row(m, 131008, "Required parameter is missing", 400, PERMANENT);
        row(m, 131009, "Parameter value is not valid", 400, PERMANENT);
        // Sources differ between 500 and 503; 503 is what a proxy in front of a busy service says.
        row(m, 131016, "Service unavailable", 503, TRANSIENT);
        row(m, 131021, "Recipient cannot be sender", 400, PERMANENT);
        row(m, 131026, "Message undeliverable", 400, PERMANENT);
        row(m, 131031, "Business Account locked", 403, POLICY);
        row(m, 131037, "WhatsApp provided number needs display name approval before message can be sent", 400, PERMANENT);
        row(m, 131042, "Business eligibility payment issue", 400, PERMANENT);
        row(m, 131045, "Incorrect certificate", 500, PERMANENT);
        row(m, 131047, "Re-engagement message", 400, PERMANENT);
        row(m, 131048, "Spam rate limit hit", 400, PERMANENT);
        row(m, 131049, "This message was not delivered to maintain healthy ecosystem engagement", 400, RETRY_AFTER_24H);
        row(m, 131050, "User has stopped marketing messages from this business", 400, PERMANENT);
        row(m, 131051, "Unsupported message type", 400, PERMANENT);
        row(m, 131052, "Media download error", 400, PERMANENT);
        row(m, 131053, "Media upload error", 400, PERMANENT);
        row(m, 131055, "Method not allowed", 400, PERMANENT);
        row(m, 131056, "(Business Account, Consumer Account) pair rate limit hit", 400, THROTTLED_PAIR);
        row(m, 131057, "Account in maintenance mode", 500, MAINTENANCE);
        row(m, 131063, "Marketing messages are disabled on Cloud API for this business account", 400, PERMANENT);
        row(m, 131064, "Messaging limit reduced due to template classification violations", 400, PERMANENT);
        row(m, 132000, "Number of parameters does not match the expected number of params", 400, PERMANENT);
        row(m, 132001, "Template name does not exist in the translation", 404, PERMANENT);
        row(m, 132005, "Translated text too long", 400, PERMANENT);
        row(m, 132007, "Template Format Character Policy Violated", 400, PERMANENT);
        row(m, 132012, "Parameter format does not match format in the created template", 400, PERMANENT);
        row(m, 132015, "Template is Paused", 400, PERMANENT);
        row(m, 132016, "Template is Disabled", 400, PERMANENT);
        row(m, 132018, "There was an issue with the parameters in your template", 400, PERMANENT);
        row(m, 132068, "Flow is in blocked state", 400, PERMANENT);
        row(m, 132069, "Flow is in throttled state", 400, PERMANENT);
        row(m, 133000, "Incomplete deregistration", 500, PERMANENT);
        row(m, 133004, "Server temporarily unavailable", 503, TRANSIENT);
        row(m, 133005, "Two step verification PIN mismatch", 400, PERMANENT);
        row(m, 133006, "Phone number re-verification needed", 400, PERMANENT);
        row(m, 133008, "Too many two step verification PIN guesses for this phone number", 400, PERMANENT);
        row(m, 133009, "Two step verification PIN guessed too fast", 400, PERMANENT);
        row(m, 133010, "Phone number not registered", 400, PERMANENT);
        // "Retry after 5 minutes": a plain backoff covers it, no dedicated class needed.
        row(m, 133015, "Please wait a few minutes before attempting to register this phone number", 400, TRANSIENT);
        row(m, 133016, "Account register deregister rate limit exceeded", 400, PERMANENT);
        row(m, 134011, "WhatsApp Payments terms of service not accepted", 400, PERMANENT);
        row(m, 134100, "Only marketing template messages are allowed", 400, PERMANENT);
        // Template still syncing to the Marketing Messages API: Meta says it settles within 10 minutes.
        row(m, 134101, "Template is still syncing", 400, TRANSIENT);
        row(m, 134102, "Template unavailable", 500, TRANSIENT);
        row(m, 135000, "Generic user error", 400, PERMANENT);
        row(m, 1752041, "Duplicate onboarding", 400, PERMANENT);
        row(m, 2494100, "Account in maintenance mode", 400, MAINTENANCE);
        return Collections.unmodifiableMap(m);
    }

    private static void row(Map<Integer, MetaErrorCode> m, int code, String title, int http, RetryClass rc) {
        m.put(code, new MetaErrorCode(code, title, http, rc));
    }
}
