package io.wagate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Countries of WhatsApp numbers, as Meta prices them: by calling code, and area code under +1 and +7. */
class CallingCodesTest {

    @Test
    void callingCodes_andSharedCodesByAreaCode() {
        assertThat(CallingCodes.countryOf("5511987654321")).isEqualTo("BR");
        assertThat(CallingCodes.countryOf("12125550123")).isEqualTo("US");
        assertThat(CallingCodes.countryOf("14165550123")).isEqualTo("CA");
        assertThat(CallingCodes.countryOf("18765550123")).isEqualTo("JM");
        assertThat(CallingCodes.countryOf("447700900123")).isEqualTo("GB");
        assertThat(CallingCodes.countryOf("919812345678")).isEqualTo("IN");
        assertThat(CallingCodes.countryOf("79161234567")).isEqualTo("RU");
        assertThat(CallingCodes.countryOf("77011234567")).isEqualTo("KZ");
        assertThat(CallingCodes.countryOf("4915123456789")).isEqualTo("DE");
    }

    @Test
    void whatIsNotACountrysNumber_isUnknown() {
        assertThat(CallingCodes.countryOf("")).isEqualTo(CallingCodes.UNKNOWN);
        assertThat(CallingCodes.countryOf(null)).isEqualTo(CallingCodes.UNKNOWN);
        assertThat(CallingCodes.countryOf("US.13491208655302741918")).isEqualTo(CallingCodes.UNKNOWN);
        assertThat(CallingCodes.countryOf("80012345678")).isEqualTo(CallingCodes.UNKNOWN); // +800, no country
        assertThat(CallingCodes.countryOf("999123456")).isEqualTo(CallingCodes.UNKNOWN);  // no such calling code
        assertThat(CallingCodes.countryOf("1".repeat(21))).isEqualTo(CallingCodes.UNKNOWN);
    }
}
