package io.wagate.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.wagate.TestAppliance;
import io.wagate.api.v1.BillingDimension;
import io.wagate.api.v1.BillingReport;
import io.wagate.api.v1.BillingReportRequest;
import io.wagate.api.v1.BillingRow;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.Pricing;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.config.BillingConfig;
import io.wagate.config.PolicyConfig;
import io.wagate.config.PriceEntry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Billing.Report}: grouping, estimated cost from the price table, and bad requests. */
class BillingServiceTest {
    private static final long DAY = LocalDate.of(2026, 11, 2).atStartOfDay(ZoneOffset.UTC).toEpochSecond();

    @TempDir
    Path dir;
    private TestAppliance t;
    private int events;

    @BeforeEach
    void start() {
        t = TestAppliance.start(dir);
        t.reconfigure(t.config().withPolicy(PolicyConfig.disabled().withBilling(new BillingConfig("EUR", List.of(
                new PriceEntry("marketing", "*", new BigDecimal("0.0600")),
                new PriceEntry("marketing", "BR", new BigDecimal("0.0125")),
                new PriceEntry("authentication", "*", new BigDecimal("0.0300")))))));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /** {@code n} priced messages to {@code recipient}, {@code day} days after 2026-11-02. */
    private void priced(int n, String number, String recipient, int day, String type, String category) {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events++;
            batch.add(Event.newBuilder().setId("e" + events).setKind(EventKind.STATUS).setPhoneNumberId(number)
                    .setUser(recipient)
                    .setStatus(StatusUpdate.newBuilder().setWamid("wamid." + events).setStatus("sent")
                            .setRecipientId(recipient).setAt(Timestamp.newBuilder().setSeconds(DAY + day * 86_400L + i))
                            .setPricing(Pricing.newBuilder().setBillable(type.equals("regular")).setType(type)
                                    .setCategory(category).setPricingModel("PMP")))
                    .build());
        }
        t.appliance.eventLog().append(batch).join();
    }

    private void fill() throws InterruptedException {
        priced(3, TestAppliance.NUMBER_ID, "5511987654321", 0, "regular", "marketing");        // BR 3 x 0.0125
        priced(2, TestAppliance.NUMBER_ID, "4915123456789", 0, "regular", "marketing");        // DE 2 x 0.06
        priced(1, TestAppliance.OTHER_NUMBER_ID, "12125550123", 1, "regular", "authentication"); // US 0.03
        priced(4, TestAppliance.OTHER_NUMBER_ID, "12125550123", 1, "regular", "utility");      // no price
        priced(5, TestAppliance.NUMBER_ID, "5511987654321", 2, "free_customer_service", "service");
        assertThat(t.appliance.billingMeter().awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
    }

    private BillingReport report(String from, String to, BillingDimension... by) {
        return t.billing().report(BillingReportRequest.newBuilder().setFrom(from).setTo(to).addAllGroupBy(List.of(by))
                .build());
    }

    @Test
    void cost_isBillableTimesTheMostSpecificPrice_andMissingPricesAreNamed() throws Exception {
        fill();
        BillingReport r = report("2026-11-01", "2026-11-30", BillingDimension.BY_CATEGORY, BillingDimension.BY_COUNTRY);
        assertThat(r.getCurrency()).isEqualTo("EUR");
        assertThat(r.getRowsList()).extracting(BillingServiceTest::line).containsExactly(
                "authentication US 1/0 0.0300 []",
                "marketing BR 3/0 0.0375 []",
                "marketing DE 2/0 0.1200 []",
                "service BR 0/5 0 []",
                "utility US 4/0 0 [utility/US]");
        BillingRow total = r.getTotals();
        assertThat(total.getBillable()).isEqualTo(10);
        assertThat(total.getFree()).isEqualTo(5);
        assertThat(new BigDecimal(total.getEstimatedCost())).isEqualByComparingTo("0.1875");
        assertThat(total.getMissingPricesList()).containsExactly("utility/US");
        assertThat(total.getCurrency()).isEqualTo("EUR");
    }

    @Test
    void groupsByNumberAndDay_filtersByNumber_andBoundsAreInclusive() throws Exception {
        fill();
        BillingReport byNumber = report("2026-11-02", "2026-11-04", BillingDimension.BY_NUMBER);
        assertThat(byNumber.getRowsList()).extracting(row -> row.getNumber() + " " + row.getPhoneNumberId() + " "
                        + row.getBillable() + "/" + row.getFree())
                .containsExactly("support " + TestAppliance.NUMBER_ID + " 5/5",
                        "sales " + TestAppliance.OTHER_NUMBER_ID + " 5/0");
        BillingReport oneDay = t.billing().report(BillingReportRequest.newBuilder().setFrom("2026-11-03")
                .setTo("2026-11-03").addNumbers("sales").addGroupBy(BillingDimension.BY_DAY).build());
        assertThat(oneDay.getRowsList()).extracting(row -> row.getDay() + " " + row.getBillable())
                .containsExactly("2026-11-03 5");
        BillingReport bySupportId = t.billing().report(BillingReportRequest.newBuilder().setFrom("2026-11-02")
                .setTo("2026-11-03").addNumbers(TestAppliance.NUMBER_ID).build());
        assertThat(bySupportId.getRowsList()).hasSize(1);
        assertThat(bySupportId.getTotals().getBillable()).isEqualTo(5);
        assertThat(bySupportId.getTotals().getFree()).isZero(); // the free ones were on the 4th
        BillingReport empty = report("2026-10-01", "2026-10-31");
        assertThat(empty.getRowsList()).hasSize(1);
        assertThat(empty.getTotals().getBillable()).isZero();
        assertThat(empty.getTotals().getEstimatedCost()).isEqualTo("0");
    }

    private static String line(BillingRow row) {
        return row.getCategory() + " " + row.getCountry() + " " + row.getBillable() + "/" + row.getFree() + " "
                + row.getEstimatedCost() + " " + row.getMissingPricesList();
    }

    private static void assertInvalid(Runnable call, String field, String description) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            com.google.rpc.Status s = StatusProto.fromThrowable(e);
            BadRequest br = s.getDetailsList().stream().filter(a -> a.is(BadRequest.class)).findFirst()
                    .map(a -> {
                        try {
                            return a.unpack(BadRequest.class);
                        } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                            throw new AssertionError(x);
                        }
                    }).orElseThrow();
            assertThat(br.getFieldViolations(0).getField()).isEqualTo(field);
            assertThat(br.getFieldViolations(0).getDescription()).contains(description);
        });
    }

    @Test
    void badRanges_areInvalidArgumentsNamingTheField() {
        assertInvalid(() -> report("", "2026-11-30"), "from", "is required");
        assertInvalid(() -> report("2026-11-01", "30.11.2026"), "to", "must be a UTC day as YYYY-MM-DD, got '30.11.2026'");
        assertInvalid(() -> report("2026-02-30", "2026-03-01"), "from", "got '2026-02-30'");
        assertInvalid(() -> report("2026-11-30", "2026-11-01"), "to", "must not be before from (2026-11-30)");
        assertInvalid(() -> report("2025-01-01", "2026-02-05"), "to", "at most 400 days, got 401");
        assertThat(report("2025-01-01", "2026-02-04").getTotals().getBillable()).isZero(); // 400 days is fine
        assertInvalid(() -> t.billing().report(BillingReportRequest.newBuilder().setFrom("2026-11-01").setTo("2026-11-02")
                .addNumbers("support").addNumbers("marketing-line").build()), "numbers[1]", "unknown number 'marketing-line'");
        assertInvalid(() -> t.billing().report(BillingReportRequest.newBuilder().setFrom("2026-11-01").setTo("2026-11-02")
                .addGroupByValue(0).build()), "group_by[0]", "must be BY_NUMBER");
        assertInvalid(() -> t.billing().report(BillingReportRequest.newBuilder().setFrom("2026-11-01").setTo("2026-11-02")
                .addGroupBy(BillingDimension.BY_DAY).addGroupByValue(42).build()), "group_by[1]", "got 42");
    }
}
