package io.wagate.policy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The country of a WhatsApp user from the calling code of their number, as Meta prices messages
 * (reference §7.3): {@code 55...} is BR, and numbers sharing a calling code are told apart by
 * their area code ({@code +1 416...} is CA, {@code +1 212...} US) with Google's libphonenumber.
 *
 * <p>Stateless and thread-safe.
 */
public final class CallingCodes {
    /** What an unknown or unparsable number maps to (libphonenumber's "unknown region"). */
    public static final String UNKNOWN = "ZZ";
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private CallingCodes() {
    }

    /**
     * The ISO 3166 code of the country of {@code waId}, a number in international form without
     * {@code +} (as Meta's {@code recipient_id}), or {@link #UNKNOWN}.
     */
    public static String countryOf(String waId) {
        if (waId == null || waId.isEmpty() || waId.length() > 20) {
            return UNKNOWN;
        }
        for (int i = 0; i < waId.length(); i++) {
            if (waId.charAt(i) < '0' || waId.charAt(i) > '9') {
                return UNKNOWN; // a business-scoped user id, not a number
            }
        }
        try {
            PhoneNumber n = PHONES.parse("+" + waId, UNKNOWN);
            String region = PHONES.getRegionCodeForNumber(n);
            if (region == null) {
                // a valid calling code whose area the library cannot place: its main country
                region = PHONES.getRegionCodeForCountryCode(n.getCountryCode());
            }
            return region == null || region.equals("001") ? UNKNOWN : region;
        } catch (NumberParseException e) {
            return UNKNOWN;
        }
    }
}
