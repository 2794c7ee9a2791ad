package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import io.wagate.cloudapi.RetryClass;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sending to Meta.
 *
 * @param maxInFlight      requests to Meta awaiting an answer, across all numbers
 * @param maxAttempts      attempts that reached Meta before a transient error becomes FAILED
 * @param initialBackoff   first retry delay; doubles per attempt, with full jitter
 * @param maxBackoff       cap of the retry delay
 * @param inboundHeadroomPercent share of each number's throughput left unused by sends, because
 *                         Meta counts inbound messages against the same limit
 * @param reconciliationWindow how long a message whose request may have reached Meta (UNCERTAIN)
 *                         waits for a status before it is sent again
 * @param retryOverrides   Meta error code → retry class name (for example {@code 131048:
 *                         transient}), overriding the built-in table for that code
 */
public record DispatchConfig(Integer maxInFlight, Integer maxAttempts, Duration initialBackoff,
                             Duration maxBackoff, Integer inboundHeadroomPercent, Duration reconciliationWindow,
                             Map<String, String> retryOverrides) {

    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    public static final int DEFAULT_MAX_ATTEMPTS = 12;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
    public static final int DEFAULT_INBOUND_HEADROOM_PERCENT = 10;
    public static final Duration DEFAULT_RECONCILIATION_WINDOW = Duration.ofMinutes(2);

    public DispatchConfig {
        maxInFlight = maxInFlight == null ? DEFAULT_MAX_IN_FLIGHT : maxInFlight;
        maxAttempts = maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
        initialBackoff = initialBackoff == null ? DEFAULT_INITIAL_BACKOFF : initialBackoff;
        maxBackoff = maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff;
        check(maxInFlight > 0 && maxInFlight <= 65_536, "dispatch.max_in_flight", "must be 1..65536", maxInFlight);
        check(maxAttempts > 0, "dispatch.max_attempts", "must be > 0", maxAttempts);
        check(initialBackoff.toMillis() > 0, "dispatch.initial_backoff", "must be > 0",
                Durations.format(initialBackoff));
        check(maxBackoff.compareTo(initialBackoff) >= 0, "dispatch.max_backoff",
                "must be >= dispatch.initial_backoff", Durations.format(maxBackoff));
        inboundHeadroomPercent = inboundHeadroomPercent == null ? DEFAULT_INBOUND_HEADROOM_PERCENT
                : inboundHeadroomPercent;
        check(inboundHeadroomPercent >= 0 && inboundHeadroomPercent <= 90, "dispatch.inbound_headroom_percent",
                "must be 0..90", inboundHeadroomPercent);
        reconciliationWindow = reconciliationWindow == null ? DEFAULT_RECONCILIATION_WINDOW : reconciliationWindow;
        check(reconciliationWindow.toMillis() > 0, "dispatch.reconciliation_window", "must be > 0",
                Durations.format(reconciliationWindow));
        retryOverrides = retryOverrides == null ? Map.of() : Map.copyOf(retryOverrides);
        for (Map.Entry<String, String> e : retryOverrides.entrySet()) {
            check(e.getKey().matches("[1-9]\\d{0,8}"), "dispatch.retry_overrides",
                    "keys must be Meta error codes", "'" + e.getKey() + "'");
            check(RETRY_CLASSES.contains(e.getValue()), "dispatch.retry_overrides." + e.getKey(),
                    "must be one of " + RETRY_CLASSES, "'" + e.getValue() + "'");
        }
    }

    /** The names {@code retry_overrides} accepts (the retry classes of the error-code table). */
    public static final List<String> RETRY_CLASSES = Arrays.stream(RetryClass.values())
            .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();

    /** Only the first four settings; the rest default. */
    public DispatchConfig(Integer maxInFlight, Integer maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this(maxInFlight, maxAttempts, initialBackoff, maxBackoff, null, null, null);
    }

    public static DispatchConfig defaults() {
        return new DispatchConfig(null, null, null, null);
    }

    /** The same settings with another reconciliation window. */
    public DispatchConfig withReconciliationWindow(Duration window) {
        return new DispatchConfig(maxInFlight, maxAttempts, initialBackoff, maxBackoff, inboundHeadroomPercent,
                window, retryOverrides);
    }

    /** The override of Meta error {@code code}, if configured. */
    public Optional<RetryClass> retryOverride(int code) {
        String name = retryOverrides.get(Integer.toString(code));
        return name == null ? Optional.empty() : Optional.of(RetryClass.valueOf(name.toUpperCase(Locale.ROOT)));
    }
}
