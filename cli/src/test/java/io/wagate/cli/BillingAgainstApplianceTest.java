package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.Pricing;
import io.wagate.api.v1.StatusUpdate;
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

/** {@code wagatectl billing report} against the real appliance: table, CSV, grouping, bad input. */
class BillingAgainstApplianceTest {
  private static final long NOV_2 = LocalDate.of(2026, 11, 2).atStartOfDay(ZoneOffset.UTC).toEpochSecond();

  @TempDir Path dataDir;
  private ApplianceFixture wagate;
  private int n;

  @BeforeEach
  void start() throws Exception {
    wagate = ApplianceFixture.inProcess(dataDir);
    priced(3, "5511987654321", 0, "regular", "marketing");
    priced(1, "14165550123", 0, "regular", "authentication-international");
    priced(2, "12125550123", 1, "free_customer_service", "service");
    assertThat(wagate.appliance.billingMeter().awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
  }

  @AfterEach
  void stop() {
    wagate.close();
  }

  private void priced(int count, String recipient, int day, String type, String category) {
    List<Event> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      n++;
      batch.add(Event.newBuilder().setId("e" + n).setKind(EventKind.STATUS)
          .setPhoneNumberId(ApplianceFixture.NUMBER_ID).setUser(recipient)
          .setStatus(StatusUpdate.newBuilder().setWamid("wamid." + n).setStatus("sent").setRecipientId(recipient)
              .setAt(Timestamp.newBuilder().setSeconds(NOV_2 + day * 86_400L + i))
              .setPricing(Pricing.newBuilder().setType(type).setBillable(type.equals("regular")).setCategory(category)))
          .build());
    }
    wagate.appliance.eventLog().append(batch).join();
  }

  @Test
  void table_byCategory_isTheDefault_withATotal() {
    CliRun r = wagate.run("billing", "report", "--from", "2026-11-01", "--to", "2026-11-30");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines()).containsExactly(
        "billing 2026-11-01 to 2026-11-30 (UTC days, both included), estimated in USD",
        "CATEGORY                      BILLABLE  FREE  EST. COST  NOTE",
        "authentication_international  1         0     0 USD      no price for authentication_international/CA",
        "marketing                     3         0     0 USD      no price for marketing/BR",
        "service                       0         2     0 USD      -",
        "TOTAL                         4         2     0 USD      no price for authentication_international/CA,"
            + " marketing/BR");
  }

  @Test
  void csv_hasAHeaderRow_andOneRowPerGroup() {
    CliRun r = wagate.run("billing", "report", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "day,country",
        "--by", "number", "--csv");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(
        "day,number,phone_number_id,country,billable,free,estimated_cost,currency,missing_prices\r\n"
            + "2026-11-02,support," + ApplianceFixture.NUMBER_ID + ",BR,3,0,0,USD,marketing/BR\r\n"
            + "2026-11-02,support," + ApplianceFixture.NUMBER_ID + ",CA,1,0,0,USD,authentication_international/CA\r\n"
            + "2026-11-03,support," + ApplianceFixture.NUMBER_ID + ",US,0,2,0,USD,\r\n");
  }

  @Test
  void numberFilter_andJson() {
    CliRun r = wagate.run("billing", "report", "--from", "2026-11-03", "--to", "2026-11-03", "--number", "support",
        "--by", "type", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"pricing_type\": \"free_customer_service\"", "\"free\": \"2\"");
  }

  @Test
  void badInput_isAUsageErrorOrTheServersRefusal() {
    CliRun badDay = wagate.run("billing", "report", "--from", "2026-11-31", "--to", "2026-11-30");
    assertThat(badDay.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badDay.err()).contains("Invalid value for option '--from': expected a day as YYYY-MM-DD, got '2026-11-31'");

    CliRun badBy = wagate.run("billing", "report", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "week");
    assertThat(badBy.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badBy.err()).contains("expected number, category, country, day or type, got 'week'");

    CliRun missing = wagate.run("billing", "report", "--from", "2026-11-01");
    assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("--to");

    CliRun backwards = wagate.run("billing", "report", "--from", "2026-11-30", "--to", "2026-11-01");
    assertThat(backwards.exit()).as(backwards.out()).isEqualTo(ExitCodes.USAGE); // the server's INVALID_ARGUMENT
    assertThat(backwards.err()).contains("to").contains("must not be before from (2026-11-30)");

    CliRun unknown = wagate.run("billing", "report", "--from", "2026-11-01", "--to", "2026-11-02", "--number", "nope");
    assertThat(unknown.err()).contains("unknown number 'nope'");

    CliRun badClient = wagate.run("billing", "report", "--from", "2026-11-01", "--to", "2026-11-02", "--client", "a b");
    assertThat(badClient.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badClient.err()).contains("--client must be 1-64 letters, digits, '-' or '_', got 'a b'");
  }

  @Test
  void client_isSentAsTheHeader_andKeepsIdempotencyKeysApart() {
    CliRun a = wagate.run("send", "--from", "support", "--to", "+15550001111", "--text", "hi", "--idempotency-key", "k1",
        "--client", "crm");
    CliRun b = wagate.run("send", "--from", "support", "--to", "+15550001111", "--text", "hi", "--idempotency-key", "k1",
        "--client", "shop");
    CliRun again = wagate.run("send", "--from", "support", "--to", "+15550001111", "--text", "hi", "--idempotency-key",
        "k1", "--client", "crm");
    assertThat(List.of(a.exit(), b.exit(), again.exit())).containsOnly(0);
    String id = a.out().split(" ")[1];
    assertThat(a.out()).startsWith("accepted ");
    assertThat(b.out()).startsWith("accepted ").doesNotContain(id);
    assertThat(again.out()).startsWith("duplicate of " + id);
  }
}
