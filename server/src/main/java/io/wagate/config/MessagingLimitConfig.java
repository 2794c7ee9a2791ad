package io.wagate.config;

import java.util.List;
import java.util.Locale;

/**
 * {@code policy.messaging_limit}: the business portfolio's messaging limit, the number of unique
 * users its numbers may reach outside their customer-service window in a moving 24 hours
 * (reference §3.3), shared by all numbers.
 *
 * @param tier one of Meta's tiers: 250 (a new portfolio, the default), 2000, 10000, 100000 or
 *             {@code unlimited}
 */
public record MessagingLimitConfig(String tier) {
    /** Meta's tiers, in order; {@code unlimited} is the fifth. */
    public static final List<Long> TIERS = List.of(250L, 2_000L, 10_000L, 100_000L);
    public static final String UNLIMITED = "unlimited";
    public static final String DEFAULT_TIER = "250";

    public MessagingLimitConfig {
        tier = tier == null ? DEFAULT_TIER : tier.trim().replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
        if (!tier.equals(UNLIMITED)) {
            long n;
            try {
                n = Long.parseLong(tier);
            } catch (NumberFormatException e) {
                n = -1;
            }
            ConfigException.check(TIERS.contains(n), "policy.messaging_limit.tier",
                    "must be one of 250, 2000, 10000, 100000 or unlimited", tier);
        }
    }

    public static MessagingLimitConfig defaults() {
        return new MessagingLimitConfig(null);
    }

    /** The limit as a number of users; {@link Long#MAX_VALUE} for unlimited. */
    public long limit() {
        return tier.equals(UNLIMITED) ? Long.MAX_VALUE : Long.parseLong(tier);
    }

    public boolean unlimited() {
        return tier.equals(UNLIMITED);
    }
}
