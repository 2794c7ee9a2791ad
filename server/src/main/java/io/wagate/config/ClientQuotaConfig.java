package io.wagate.config;

import java.util.List;

/**
 * The limits of one internal client ({@code policy.clients.NAME}). Validated by {@link PolicyConfig},
 * which knows the client's name.
 *
 * @param messagesPerMinute sends accepted in any 60 s (a token bucket refilled evenly); null: no limit
 * @param messagesPerDay    sends accepted per UTC day; null: no limit
 * @param categories        what the client may send: marketing, utility, authentication (templates
 *                          of that category) and service (everything that is not a template); null: all
 */
public record ClientQuotaConfig(Long messagesPerMinute, Long messagesPerDay, List<String> categories) {
    /** The categories a client may be allowed. */
    public static final List<String> CATEGORIES = List.of("marketing", "utility", "authentication", "service");

    public ClientQuotaConfig {
        categories = categories == null ? null : List.copyOf(categories);
    }

    /** Whether this client may send messages of {@code category} (one of {@link #CATEGORIES}; null: unknown, allowed only when every category is). */
    public boolean allows(String category) {
        return categories == null || (category != null && categories.contains(category));
    }
}
