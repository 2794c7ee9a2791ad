package io.wagate.webhook;

import java.util.Map;
import java.util.Optional;

/**
 * Maps Meta's phone-number id to the alias of a configured number. Webhooks for a number that is
 * not configured are still stored, with an empty alias, so nothing Meta sends is lost.
 */
@FunctionalInterface
public interface NumberAliases {

    Optional<String> aliasOf(String phoneNumberId);

    /** A fixed table: phone-number id to alias. */
    static NumberAliases of(Map<String, String> aliasByPhoneNumberId) {
        Map<String, String> copy = Map.copyOf(aliasByPhoneNumberId);
        return id -> Optional.ofNullable(copy.get(id));
    }
}
