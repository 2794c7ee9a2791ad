package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.time.Duration;

/**
 * Sending to Meta.
 *
 * @param maxInFlight      requests to Meta awaiting an answer, across all numbers
 * @param maxAttempts      attempts that reached Meta before a transient error becomes FAILED
 * @param initialBackoff   first retry delay; doubles per attempt, with full jitter
 * @param maxBackoff       cap of the retry delay
 */
public record DispatchConfig(Integer maxInFlight, Integer maxAttempts, Duration initialBackoff,
                             Duration maxBackoff) {

    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    public static final int DEFAULT_MAX_ATTEMPTS = 12;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);

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
    }

    public static DispatchConfig defaults() {
        return new DispatchConfig(null, null, null, null);
    }
}
