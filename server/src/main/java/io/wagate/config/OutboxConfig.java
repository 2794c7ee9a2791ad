package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.time.Duration;

/**
 * Accepting messages.
 *
 * @param idempotencyWindow how long an idempotency key keeps returning its first message
 * @param defaultValidity   how long a message is attempted when the caller sets no validity
 * @param maxValidity       the most a caller may ask for (Meta itself retries for 30 days)
 * @param maxPending        accepted messages not yet ended; beyond it Send is RESOURCE_EXHAUSTED
 */
public record OutboxConfig(Duration idempotencyWindow, Duration defaultValidity, Duration maxValidity,
                           Long maxPending) {

    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);
    public static final Duration MAX_VALIDITY = Duration.ofDays(30);
    public static final long DEFAULT_MAX_PENDING = 5_000_000L;

    public OutboxConfig {
        idempotencyWindow = idempotencyWindow == null ? DEFAULT_IDEMPOTENCY_WINDOW : idempotencyWindow;
        defaultValidity = defaultValidity == null ? DEFAULT_VALIDITY : defaultValidity;
        maxValidity = maxValidity == null ? MAX_VALIDITY : maxValidity;
        maxPending = maxPending == null ? DEFAULT_MAX_PENDING : maxPending;
        check(idempotencyWindow.toMillis() > 0, "outbox.idempotency_window", "must be > 0",
                Durations.format(idempotencyWindow));
        check(maxValidity.toMillis() > 0 && maxValidity.compareTo(MAX_VALIDITY) <= 0, "outbox.max_validity",
                "must be > 0 and at most 30d", Durations.format(maxValidity));
        check(defaultValidity.toMillis() > 0 && defaultValidity.compareTo(maxValidity) <= 0,
                "outbox.default_validity", "must be > 0 and at most outbox.max_validity",
                Durations.format(defaultValidity));
        check(maxPending > 0, "outbox.max_pending", "must be > 0", maxPending);
    }

    public static OutboxConfig defaults() {
        return new OutboxConfig(null, null, null, null);
    }
}
