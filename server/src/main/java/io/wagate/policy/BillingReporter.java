package io.wagate.policy;

import io.wagate.api.v1.BillingDimension;
import io.wagate.api.v1.BillingReport;
import io.wagate.api.v1.BillingRow;
import io.wagate.config.BillingConfig;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the billing meter's counts into a report: rows grouped by the asked dimensions, each with
 * billable and free counts and the estimated cost (billable count x the most specific price of
 * the price table, country over {@code "*"}), in exact decimals.
 *
 * <p>A billable cell without a price is counted but adds nothing to the cost; the row names it in
 * {@code missing_prices} so a report never passes off an incomplete figure as the cost.
 *
 * <p>Stateless apart from its inputs; thread-safe.
 */
public final class BillingReporter {
    private final BillingMeter meter;
    private final BillingConfig prices;
    private final Map<String, String> aliases;

    /** @param aliases our numbers' aliases by phone-number id */
    public BillingReporter(BillingMeter meter, BillingConfig prices, Map<String, String> aliases) {
        this.meter = meter;
        this.prices = prices;
        this.aliases = Map.copyOf(aliases);
    }

    /**
     * The report of UTC days {@code from} to {@code to}, both inclusive, of the phone-number ids in
     * {@code numbers} (all when empty).
     */
    public BillingReport report(LocalDate from, LocalDate to, Collection<BillingDimension> groupBy, Set<String> numbers) {
        Set<BillingDimension> by = groupBy.isEmpty() ? Set.of() : java.util.EnumSet.copyOf(groupBy);
        Map<List<String>, Acc> groups = new HashMap<>();
        Acc total = new Acc();
        for (MeterCount c : meter.counts(from.toEpochDay(), to.toEpochDay() + 1, numbers)) {
            List<String> key = Arrays.asList(
                    by.contains(BillingDimension.BY_DAY) ? LocalDate.ofEpochDay(c.epochDay()).toString() : "",
                    by.contains(BillingDimension.BY_NUMBER) ? c.phoneNumberId() : "",
                    by.contains(BillingDimension.BY_CATEGORY) ? c.category() : "",
                    by.contains(BillingDimension.BY_COUNTRY) ? c.country() : "",
                    by.contains(BillingDimension.BY_PRICING_TYPE) ? c.type() : "");
            Acc group = groups.computeIfAbsent(key, k -> new Acc());
            group.add(c);
            total.add(c);
        }
        BillingReport.Builder r = BillingReport.newBuilder()
                .setCurrency(prices.currency())
                .setFrom(from.toString())
                .setTo(to.toString())
                .setMeteredOffset(meter.cursor());
        List<List<String>> keys = new ArrayList<>(groups.keySet());
        keys.sort(KEY_ORDER);
        for (List<String> k : keys) {
            BillingRow.Builder row = groups.get(k).toRow()
                    .setDay(k.get(0))
                    .setPhoneNumberId(k.get(1))
                    .setNumber(k.get(1).isEmpty() ? "" : aliases.getOrDefault(k.get(1), ""))
                    .setCategory(k.get(2))
                    .setCountry(k.get(3))
                    .setPricingType(k.get(4));
            r.addRows(row);
        }
        if (keys.isEmpty() && by.isEmpty()) {
            r.addRows(total.toRow());
        }
        return r.setTotals(total.toRow()).build();
    }

    private static final Comparator<List<String>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    /** The sums of one group. */
    private final class Acc {
        long billable;
        long free;
        BigDecimal cost = BigDecimal.ZERO;
        final Set<String> missing = new TreeSet<>();

        void add(MeterCount c) {
            if (!c.billable()) {
                free += c.count();
                return;
            }
            billable += c.count();
            BigDecimal price = prices.priceOf(c.category(), c.country());
            if (price == null) {
                missing.add(c.category() + "/" + c.country());
            } else {
                cost = cost.add(price.multiply(BigDecimal.valueOf(c.count())));
            }
        }

        BillingRow.Builder toRow() {
            return BillingRow.newBuilder()
                    .setBillable(billable)
                    .setFree(free)
                    .setEstimatedCost(cost.toPlainString())
                    .setCurrency(prices.currency())
                    .addAllMissingPrices(missing);
        }
    }
}
