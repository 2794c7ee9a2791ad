package io.wagate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code policy.billing} (the price table) and {@code policy.clients} (quotas) as loaded from YAML. */
class BillingAndClientsConfigTest {
    private final ConfigLoader loader = new ConfigLoader();
    private static final String MINIMAL = "data_dir: /tmp/w\nnumbers:\n  - alias: support\n"
            + "    phone_number_id: \"106540352242922\"\n    access_token_env: TOKEN\n";

    private static String prices(String... entries) {
        StringBuilder b = new StringBuilder(MINIMAL + "policy:\n  billing:\n    currency: EUR\n    prices:\n");
        for (String e : entries) {
            b.append("      - ").append(e).append('\n');
        }
        return b.toString();
    }

    private void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> loader.parse(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }

    @Test
    void absent_meansUsdWithoutPricesAndNoQuotas() {
        PolicyConfig p = loader.parse(MINIMAL).policy();
        assertThat(p.enabled()).isTrue();
        assertThat(p.billing().currency()).isEqualTo("USD");
        assertThat(p.billing().prices()).isEmpty();
        assertThat(p.clients()).isEmpty();
        assertThat(loader.parse(MINIMAL + "policy:\n  enabled: false\n").policy().enabled()).isFalse();
    }

    @Test
    void priceTable_isExactDecimals_andTheCountryPriceBeatsTheWildcard() {
        BillingConfig b = loader.parse(prices("{category: marketing, country: \"*\", price: 0.0625}",
                "{category: marketing, country: BR, price: 0.0125}",
                "{category: authentication_international, country: IN, price: \"0.0280\"}",
                "{category: utility, country: US, price: 0}")).policy().billing();
        assertThat(b.currency()).isEqualTo("EUR");
        assertThat(b.priceOf("marketing", "BR")).isEqualTo(new BigDecimal("0.0125"));
        assertThat(b.priceOf("marketing", "DE")).isEqualTo(new BigDecimal("0.0625"));
        assertThat(b.priceOf("authentication_international", "IN")).isEqualTo(new BigDecimal("0.0280"));
        assertThat(b.priceOf("utility", "US")).isEqualByComparingTo("0");
        assertThat(b.priceOf("utility", "BR")).isNull();
        assertThat(b.priceOf("service", "US")).isNull();
        // 0.1 is not a double here: three of them are exactly 0.3
        BillingConfig tenth = loader.parse(prices("{category: marketing, country: \"*\", price: 0.1}"))
                .policy().billing();
        assertThat(tenth.priceOf("marketing", "BR").multiply(BigDecimal.valueOf(3))).isEqualTo(new BigDecimal("0.3"));
    }

    @Test
    void badPriceTables_nameTheItem() {
        assertError(prices("{category: marketing, country: BR, price: -0.01}"),
                "policy.billing.prices[0].price must be >= 0, got -0.01");
        assertError(prices("{category: marketing, country: BR, price: 1}", "{category: promo, country: BR, price: 1}"),
                "policy.billing.prices[1].category must be one of marketing, utility, authentication,"
                        + " authentication_international, service, marketing_lite, got 'promo'");
        assertError(prices("{category: marketing, country: XX, price: 1}"), "policy.billing.prices[0].country must be");
        assertError(prices("{category: marketing, country: br, price: 1}"), "got 'br'");
        assertError(prices("{category: marketing, country: BR}"), "policy.billing.prices[0].price is required");
        assertError(prices("{country: BR, price: 1}"), "policy.billing.prices[0].category must be one of");
        assertError(prices("{category: marketing, price: 1}"), "policy.billing.prices[0].country must be");
        assertError(prices("{category: utility, country: \"*\", price: 1}", "{category: utility, country: \"*\", price: 2}"),
                "policy.billing.prices[1] must not repeat a category and country, got utility * a second time");
        assertError(prices("{category: marketing, country: BR, price: lots}"), "policy.billing.prices[0].price");
        assertError(prices("{category: marketing, country: BR, price: 1, currency: USD}"),
                "unknown key 'policy.billing.prices[0].currency'");
        assertError(MINIMAL + "policy:\n  billing:\n    currency: usd\n", "policy.billing.currency must be an ISO 4217");
        assertError(MINIMAL + "policy:\n  billing:\n    currency: ABC\n", "got 'ABC'");
    }

    @Test
    void clients_loadWithTheirLimits() {
        PolicyConfig p = loader.parse(MINIMAL + "policy:\n  clients:\n"
                + "    crm:\n      messages_per_minute: 600\n      messages_per_day: 20000\n"
                + "      categories: [utility, service]\n"
                + "    default:\n      messages_per_day: 100\n").policy();
        assertThat(p.clients()).containsOnlyKeys("crm", "default");
        ClientQuotaConfig crm = p.clients().get("crm");
        assertThat(crm.messagesPerMinute()).isEqualTo(600);
        assertThat(crm.messagesPerDay()).isEqualTo(20_000);
        assertThat(crm.categories()).isEqualTo(List.of("utility", "service"));
        assertThat(crm.allows("marketing")).isFalse();
        assertThat(p.clients().get("default").allows("marketing")).isTrue();
        assertThat(p.clients().get("default").messagesPerMinute()).isNull();
    }

    @Test
    void badClients_nameTheItem() {
        String c = MINIMAL + "policy:\n  clients:\n";
        assertError(c + "    crm:\n      messages_per_minute: 0\n", "policy.clients.crm.messages_per_minute must be > 0, got 0");
        assertError(c + "    crm:\n      messages_per_day: -1\n", "policy.clients.crm.messages_per_day must be > 0, got -1");
        assertError(c + "    crm:\n      categories: [utility, promo]\n",
                "policy.clients.crm.categories[1] must be one of marketing, utility, authentication, service, got 'promo'");
        assertError(c + "    crm:\n      categories: [utility, utility]\n",
                "policy.clients.crm.categories[1] must not repeat, got 'utility' a second time");
        assertError(c + "    crm:\n      categories: []\n", "policy.clients.crm.categories must list at least one");
        assertError(c + "    crm:\n", "policy.clients.crm must set messages_per_minute");
        assertError(c + "    \"bad name\":\n      messages_per_day: 1\n", "policy.clients names must be 1-64 letters");
        assertError(c + "    crm:\n      messages_per_hour: 1\n", "unknown key 'policy.clients.crm.messages_per_hour'");
    }
}
