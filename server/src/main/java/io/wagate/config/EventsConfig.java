package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.time.Duration;

/**
 * The durable event log.
 *
 * @param retention  events older than this are deleted, and so is the memory of their ids (Meta
 *                   redelivers for up to 7 days, so a shorter retention can let a late
 *                   redelivery in twice)
 */
public record EventsConfig(Duration retention) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public EventsConfig {
        retention = retention == null ? DEFAULT_RETENTION : retention;
        check(retention.compareTo(Duration.ofMinutes(1)) >= 0, "events.retention", "must be at least 1m",
                Durations.format(retention));
    }

    public static EventsConfig defaults() {
        return new EventsConfig(null);
    }
}
