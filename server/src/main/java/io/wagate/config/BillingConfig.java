package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The billing meter's price table ({@code policy.billing}): counts of billable messages become an
 * estimated cost by the most specific price (the recipient's country over {@code "*"}).
 *
 * @param currency the currency of every price, an ISO 4217 code (default {@value #DEFAULT_CURRENCY})
 * @param prices   per message, by category and country; none: counts only
 */
public record BillingConfig(String currency, List<PriceEntry> prices) {
    public static final String DEFAULT_CURRENCY = "USD";
    /** The pricing categories Meta reports in status webhooks (reference §4.6), as spelt here. */
    public static final List<String> CATEGORIES = List.of("marketing", "utility", "authentication",
            "authentication_international", "service", "marketing_lite");
    /** Every country without a price of its own. */
    public static final String ANY_COUNTRY = "*";

    public BillingConfig {
        currency = currency == null ? DEFAULT_CURRENCY : currency;
        prices = prices == null ? List.of() : List.copyOf(prices);
        check(validCurrency(currency), "policy.billing.currency", "must be an ISO 4217 currency code such as USD",
                "'" + currency + "'");
        Set<String> seen = new HashSet<>();
        Set<String> regions = PhoneNumberUtil.getInstance().getSupportedRegions();
        for (int i = 0; i < prices.size(); i++) {
            PriceEntry p = prices.get(i);
            String key = "policy.billing.prices[" + i + "]";
            check(p != null, key, "must be {category, country, price}", "nothing");
            check(p.category() != null && CATEGORIES.contains(p.category()), key + ".category",
                    "must be one of " + String.join(", ", CATEGORIES),
                    p.category() == null ? "nothing" : "'" + p.category() + "'");
            check(p.country() != null && (p.country().equals(ANY_COUNTRY) || regions.contains(p.country())),
                    key + ".country", "must be an upper-case ISO 3166 country code with a calling code (such as BR)"
                            + " or \"*\"", p.country() == null ? "nothing" : "'" + p.country() + "'");
            check(p.price() != null, key + ".price", "is required (a decimal per message)", "nothing");
            check(p.price().signum() >= 0, key + ".price", "must be >= 0", p.price().toPlainString());
            check(seen.add(p.category() + '/' + p.country()), key, "must not repeat a category and country",
                    p.category() + " " + p.country() + " a second time");
        }
    }

    public static BillingConfig defaults() {
        return new BillingConfig(null, null);
    }

    /**
     * The price of one billable message of {@code category} to {@code country}: the country's own,
     * else the {@code "*"} one; null when the table has neither.
     */
    public BigDecimal priceOf(String category, String country) {
        BigDecimal any = null;
        for (PriceEntry p : prices) {
            if (p.category().equals(category)) {
                if (p.country().equals(country)) {
                    return p.price();
                }
                if (p.country().equals(ANY_COUNTRY)) {
                    any = p.price();
                }
            }
        }
        return any;
    }

    private static boolean validCurrency(String code) {
        if (!code.equals(code.toUpperCase(Locale.ROOT))) {
            return false;
        }
        try {
            java.util.Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
