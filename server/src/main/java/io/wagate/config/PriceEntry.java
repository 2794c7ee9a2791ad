package io.wagate.config;

import java.math.BigDecimal;

/**
 * One price of the billing meter's table: what Meta charges per billable message of a category to
 * recipients in a country. Validated as part of {@link BillingConfig}, which can name its index.
 *
 * @param category one of {@link BillingConfig#CATEGORIES}
 * @param country  an ISO 3166 region code such as {@code BR}, or {@code "*"} for every country
 *                 without a price of its own
 * @param price    per message, in {@code policy.billing.currency}; exact decimal
 */
public record PriceEntry(String category, String country, BigDecimal price) {
}
