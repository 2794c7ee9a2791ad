package io.wagate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.wagate.TestAppliance;
import io.wagate.api.v1.BillingDimension;
import io.wagate.api.v1.BillingGrpc;
import io.wagate.api.v1.BillingReport;
import io.wagate.api.v1.BillingReportRequest;
import io.wagate.api.v1.BillingRow;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.Pricing;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.BillingRecord;
import io.wagate.sandbox.InboundSpec;
import io.wagate.sandbox.PolicyOptions;
import io.wagate.sandbox.SandboxTemplate;
import io.wagate.sandbox.ReceivedMessage;
import io.wagate.sandbox.WebhookBehaviour;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The billing meter on the real appliance, fed by the emulator's status webhooks: each priced
 * message counts once however often its pricing arrives, and the counts survive a restart.
 */
class BillingMeterTest {
    private static final String BR = "5511987654321";
    private static final String US = "12125550123";
    private static final String CA = "14165550123";
    private static final String GB = "447700900123";
    private static final String IN = "919812345678";

    @TempDir
    Path dir;
    private TestAppliance t;

    @BeforeEach
    void start() {
        t = TestAppliance.start(dir);
        t.meta.webhooks().setBehaviour(WebhookBehaviour.DEFAULT.withDelays(Duration.ofMillis(5), Duration.ofMillis(5),
                        Duration.ofMillis(5), Duration.ofMillis(5))
                .withTemplateCategory("promo", "marketing")
                .withTemplateCategory("receipt", "utility")
                .withTemplateCategory("otp", "authentication"));
        t.connectWebhooks();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private void sendTemplate(String to, String name) {
        t.messages().send(SendRequest.newBuilder().setFrom("support").setTo("+" + to)
                .setTemplate(Template.newBuilder().setName(name).setLanguage("en_US")).build());
    }

    private void sendText(String to) {
        sendText("sales", to);
    }

    private void sendText(String from, String to) {
        t.messages().send(SendRequest.newBuilder().setFrom(from).setTo("+" + to)
                .setText(Text.newBuilder().setBody("hi")).build());
    }

    private BillingGrpc.BillingBlockingStub billing() {
        return t.billing();
    }

    private BillingReport report(BillingDimension... by) {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        return billing().report(BillingReportRequest.newBuilder().setFrom(LocalDate.now(ZoneOffset.UTC).minusDays(1)
                .toString()).setTo(today).addAllGroupBy(List.of(by)).build());
    }

    /**
     * Waits until the meter counted {@code messages} messages, then until every status the emulator
     * planned (duplicates and second pricings included) is posted and metered, so a double count
     * would show.
     */
    private void settle(int messages) throws InterruptedException {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            BillingRow total = report().getTotals();
            return total.getBillable() + total.getFree() >= messages;
        });
        assertThat(t.meta.awaitWebhooksIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(t.appliance.billingMeter().awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
        assertThat(t.meta.received()).hasSize(messages);
    }

    /** What the emulator billed, from what it received: category/billable to count. */
    private Map<String, Long> emulatorTotals(Set<String> usersInWindow) {
        Map<String, String> categories = Map.of("promo", "marketing", "receipt", "utility", "otp", "authentication");
        Map<String, Long> out = new TreeMap<>();
        for (ReceivedMessage m : t.meta.received()) {
            boolean template = m.body().path("type").asText().equals("template");
            String category = template ? categories.get(m.body().path("template").path("name").asText()) : "service";
            String to = m.body().path("to").asText().replaceAll("[^0-9]", "");
            boolean billable = template && !(category.equals("utility") && usersInWindow.contains(to));
            out.merge(category + "/" + billable, 1L, Long::sum);
        }
        return out;
    }

    private static Map<String, Long> meterTotals(BillingReport r) {
        Map<String, Long> out = new TreeMap<>();
        for (BillingRow row : r.getRowsList()) {
            if (row.getBillable() > 0) {
                out.merge(row.getCategory() + "/true", row.getBillable(), Long::sum);
            }
            if (row.getFree() > 0) {
                out.merge(row.getCategory() + "/false", row.getFree(), Long::sum);
            }
        }
        return out;
    }

    @Test
    void mixedRun_countsEachPricedMessageOnce_asTheEmulatorBilledIt() throws Exception {
        t.meta.injectInbound(InboundSpec.text(GB, "hello").withNumber(TestAppliance.NUMBER_ID)); // GB's window opens
        t.meta.awaitWebhooksIdle(Duration.ofSeconds(10));
        t.meta.webhooks().setBehaviour(t.meta.webhooks().behaviour().withDuplicate(true).withReorder(true));
        sendTemplate(BR, "promo");
        sendTemplate(BR, "otp");
        sendTemplate(US, "promo");
        sendTemplate(CA, "receipt");
        sendTemplate(GB, "receipt"); // utility inside the window: free
        sendTemplate(IN, "otp");
        sendText(GB);
        sendText(US);
        settle(8);

        BillingReport byCategory = report(BillingDimension.BY_CATEGORY);
        assertThat(meterTotals(byCategory)).isEqualTo(emulatorTotals(Set.of(GB)));
        assertThat(meterTotals(byCategory)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "marketing/true", 2L, "authentication/true", 2L, "utility/true", 1L, "utility/false", 1L,
                "service/false", 2L));
        assertThat(byCategory.getTotals().getBillable()).isEqualTo(5);
        assertThat(byCategory.getTotals().getFree()).isEqualTo(3);
        // pricing came on sent and on delivered, each posted twice: 4 priced statuses per message
        assertThat(t.appliance.metrics().counter(BillingMeter.COUNTED).getCount()).isEqualTo(8);
        assertThat(t.appliance.metrics().counter(BillingMeter.REPEATS).getCount()).isGreaterThanOrEqualTo(8);

        Map<String, long[]> byCountry = new HashMap<>();
        for (BillingRow row : report(BillingDimension.BY_COUNTRY).getRowsList()) {
            byCountry.put(row.getCountry(), new long[] {row.getBillable(), row.getFree()});
        }
        assertThat(byCountry).containsOnlyKeys("BR", "US", "CA", "GB", "IN");
        assertThat(byCountry.get("BR")).containsExactly(2, 0);
        assertThat(byCountry.get("US")).containsExactly(1, 1);
        assertThat(byCountry.get("CA")).containsExactly(1, 0);
        assertThat(byCountry.get("GB")).containsExactly(0, 2);
        assertThat(byCountry.get("IN")).containsExactly(1, 0);

        Map<String, Long> byNumber = new HashMap<>();
        for (BillingRow row : report(BillingDimension.BY_NUMBER).getRowsList()) {
            byNumber.put(row.getNumber() + "/" + row.getPhoneNumberId(), row.getBillable() + row.getFree());
        }
        assertThat(byNumber).containsExactlyInAnyOrderEntriesOf(Map.of(
                "support/" + TestAppliance.NUMBER_ID, 6L, "sales/" + TestAppliance.OTHER_NUMBER_ID, 2L));
    }

    @Test
    void restart_keepsCountsExact_andCountingGoesOn() throws Exception {
        sendTemplate(BR, "promo");
        sendTemplate(US, "otp");
        settle(2);
        BillingReport before = report(BillingDimension.BY_CATEGORY, BillingDimension.BY_COUNTRY);
        assertThat(before.getTotals().getBillable()).isEqualTo(2);

        t.closeAppliance();
        t.open();
        t.connectWebhooks();
        assertThat(t.appliance.billingMeter().awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
        assertThat(report(BillingDimension.BY_CATEGORY, BillingDimension.BY_COUNTRY).getRowsList())
                .isEqualTo(before.getRowsList());

        sendTemplate(BR, "promo");
        settle(3);
        BillingReport after = report(BillingDimension.BY_CATEGORY, BillingDimension.BY_COUNTRY);
        assertThat(after.getTotals().getBillable()).isEqualTo(3);
        assertThat(after.getRowsList()).anySatisfy(r -> {
            assertThat(r.getCategory()).isEqualTo("marketing");
            assertThat(r.getCountry()).isEqualTo("BR");
            assertThat(r.getBillable()).isEqualTo(2);
        });
    }

    private Event priced(String eventId, String wamid, String status, long second, String type, String category) {
        return Event.newBuilder().setId(eventId).setKind(EventKind.STATUS)
                .setPhoneNumberId(TestAppliance.NUMBER_ID).setUser(BR)
                .setStatus(StatusUpdate.newBuilder().setWamid(wamid).setStatus(status).setRecipientId(BR)
                        .setAt(Timestamp.newBuilder().setSeconds(second))
                        .setPricing(Pricing.newBuilder().setBillable(type.equals("regular")).setPricingModel("PMP")
                                .setType(type).setCategory(category)))
                .build();
    }

    @Test
    void redeliveredAndRepricedStatuses_countOnce_onTheDayOfTheFirst() throws Exception {
        long day1 = LocalDate.of(2026, 3, 31).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        t.appliance.eventLog().append(List.of(
                priced("a1", "wamid.A", "sent", day1 + 86_399, "regular", "marketing"),
                priced("a2", "wamid.A", "delivered", day1 + 86_401, "regular", "marketing"),
                priced("a3", "wamid.A", "read", day1 + 86_500, "regular", "marketing"),
                priced("b1", "wamid.B", "sent", day1 + 90_000, "free_entry_point", "marketing"),
                priced("c1", "wamid.C", "failed", day1 + 90_000, "regular", "authentication-international"),
                priced("d1", "wamid.D", "sent", day1 + 90_000, "regular", "authentication-international")))
                .join();
        // a redelivery stored under other event ids (as after a lost 200) in a later batch
        t.appliance.eventLog().append(List.of(
                priced("a1-again", "wamid.A", "sent", day1 + 86_399, "regular", "marketing"),
                priced("b2", "wamid.B", "delivered", day1 + 90_001, "free_entry_point", "marketing"))).join();
        assertThat(t.appliance.billingMeter().awaitCaughtUp(Duration.ofSeconds(10))).isTrue();

        BillingReport r = billing().report(BillingReportRequest.newBuilder().setFrom("2026-03-31").setTo("2026-04-01")
                .addGroupBy(BillingDimension.BY_DAY).addGroupBy(BillingDimension.BY_CATEGORY)
                .addGroupBy(BillingDimension.BY_PRICING_TYPE).build());
        assertThat(r.getRowsList()).extracting(row -> row.getDay() + " " + row.getCategory() + " "
                        + row.getPricingType() + " " + row.getBillable() + "/" + row.getFree())
                .containsExactly(
                        "2026-03-31 marketing regular 1/0",
                        "2026-04-01 authentication_international regular 1/0",
                        "2026-04-01 marketing free_entry_point 0/1");
        // the last day is inclusive, the day after it is not in the range
        BillingReport firstDay = billing().report(BillingReportRequest.newBuilder().setFrom("2026-03-31")
                .setTo("2026-03-31").build());
        assertThat(firstDay.getRowsList()).hasSize(1);
        assertThat(firstDay.getTotals().getBillable()).isEqualTo(1);
        assertThat(firstDay.getTotals().getFree()).isZero();
    }

    @Test
    void expiry_forgetsOnlyWamidsCountedBeforeTheCut() throws Exception {
        t.appliance.eventLog().append(List.of(priced("e1", "wamid.E", "sent", 1_775_000_000L, "regular", "utility")))
                .join();
        assertThat(t.appliance.billingMeter().awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
        BillingMeter meter = t.appliance.billingMeter();
        assertThat(meter.expireNow(System.currentTimeMillis() - BillingMeter.DEDUPE_MEMORY.toMillis())).isZero();
        t.appliance.eventLog().append(List.of(priced("e2", "wamid.E", "delivered", 1_775_000_001L, "regular",
                "utility"))).join();
        assertThat(meter.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
        assertThat(t.appliance.metrics().counter(BillingMeter.COUNTED).getCount()).isEqualTo(1);
        // once forgotten (older than the memory), a priced status would count as a new message
        assertThat(meter.expireNow(System.currentTimeMillis() + 1)).isEqualTo(1);
        assertThat(meter.expireNow(System.currentTimeMillis() + 1)).isZero();
    }

    /** The meter's cells summed by the keys {@code key} picks, from a report grouped as given. */
    private Map<String, Long> meterBy(java.util.function.Function<BillingRow, String> key, BillingDimension... by) {
        Map<String, Long> out = new TreeMap<>();
        for (BillingRow row : report(by).getRowsList()) {
            if (row.getBillable() > 0) {
                out.merge(key.apply(row) + "/billable", row.getBillable(), Long::sum);
            }
            if (row.getFree() > 0) {
                out.merge(key.apply(row) + "/free", row.getFree(), Long::sum);
            }
        }
        return out;
    }

    private Map<String, Long> emulatorBy(java.util.function.Function<BillingRecord, String> key) {
        Map<String, Long> out = new TreeMap<>();
        for (BillingRecord r : t.meta.billing()) {
            out.merge(key.apply(r) + (r.billable() ? "/billable" : "/free"), 1L, Long::sum);
        }
        return out;
    }

    private static SandboxTemplate template(String name, String category) {
        return SandboxTemplate.fromJson("{\"name\":\"" + name + "\",\"language\":\"en_US\",\"category\":\""
                + category + "\",\"components\":[{\"type\":\"BODY\",\"text\":\"" + name + " for you\"}]}");
    }

    private void sendTemplate(String from, String to, String name) {
        t.messages().send(SendRequest.newBuilder().setFrom(from).setTo("+" + to)
                .setTemplate(Template.newBuilder().setName(name).setLanguage("en_US")).build());
    }

    @Test
    void mixedRunUnderTheEmulatorsPolicyRules_totalsEqualTheEmulatorsBillingRecordExactly() throws Exception {
        t.meta.policy().setOptions(PolicyOptions.OFF.withRules(true).withMarketingLimit(0));
        t.meta.templates().add(template("promo", "MARKETING"));
        t.meta.templates().add(template("receipt", "UTILITY"));
        t.meta.templates().add(template("otp", "AUTHENTICATION"));
        String optedOut = "447700900999";
        t.meta.policy().stopMarketing(TestAppliance.NUMBER_ID, optedOut);
        // GB wrote: its customer-service window is open; BR came from an ad: a free entry point
        t.meta.injectInbound(InboundSpec.text(GB, "hello").withNumber(TestAppliance.NUMBER_ID));
        t.meta.injectInbound(InboundSpec.text(BR, "I saw your ad").withNumber(TestAppliance.NUMBER_ID)
                .withReferral(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"headline\":\"Sale\"}")));
        assertThat(t.meta.awaitWebhooksIdle(Duration.ofSeconds(10))).isTrue();
        t.meta.webhooks().setBehaviour(t.meta.webhooks().behaviour().withDuplicate(true).withReorder(true));

        sendTemplate("support", BR, "promo");     // free entry point
        sendText("support", BR);                  // free entry point
        sendTemplate("support", GB, "receipt");   // utility in the window: free
        sendText("support", GB);                  // service in the window: free
        sendTemplate("support", GB, "promo");     // marketing: billed even in the window
        sendTemplate("support", US, "promo");
        sendTemplate("support", US, "otp");
        sendTemplate("sales", CA, "receipt");     // utility outside the window: billed
        sendTemplate("sales", IN, "otp");
        sendTemplate("sales", IN, "otp");
        sendTemplate("support", optedOut, "promo"); // 131050: fails at Meta, never priced
        int priced = 10;
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> t.meta.billing().size() >= priced);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            BillingRow total = report().getTotals();
            return total.getBillable() + total.getFree() >= priced;
        });
        assertThat(t.meta.awaitWebhooksIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(t.appliance.billingMeter().awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
        assertThat(t.meta.billing()).hasSize(priced);

        Map<String, Long> byCategory = meterBy(BillingRow::getCategory, BillingDimension.BY_CATEGORY);
        assertThat(byCategory).isEqualTo(emulatorBy(BillingRecord::category));
        assertThat(byCategory).containsExactlyInAnyOrderEntriesOf(Map.of(
                "marketing/billable", 2L, "marketing/free", 1L, "utility/billable", 1L, "utility/free", 1L,
                "authentication/billable", 3L, "service/free", 2L));
        assertThat(meterBy(BillingRow::getPricingType, BillingDimension.BY_PRICING_TYPE))
                .isEqualTo(emulatorBy(BillingRecord::type))
                .containsEntry("free_entry_point/free", 2L);
        assertThat(meterBy(r -> r.getCategory() + "/" + r.getCountry(), BillingDimension.BY_CATEGORY,
                BillingDimension.BY_COUNTRY))
                .isEqualTo(emulatorBy(r -> r.category() + "/" + CallingCodes.countryOf(r.recipient())));
        assertThat(meterBy(BillingRow::getPhoneNumberId, BillingDimension.BY_NUMBER))
                .isEqualTo(emulatorBy(BillingRecord::phoneNumberId));
        BillingRow total = report().getTotals();
        assertThat(total.getBillable()).isEqualTo(t.meta.billing().stream().filter(BillingRecord::billable).count());
        assertThat(total.getFree()).isEqualTo(t.meta.billing().stream().filter(r -> !r.billable()).count());
    }
}
