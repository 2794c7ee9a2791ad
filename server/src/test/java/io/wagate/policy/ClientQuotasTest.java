package io.wagate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.config.ClientQuotaConfig;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-client quotas with a clock the test moves: per minute, per UTC day, categories, restarts. */
class ClientQuotasTest {
    /** 2026-11-02T23:59:00Z */
    private static final long T0 = LocalDate.of(2026, 11, 2).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
            + 86_340_000L;

    @TempDir
    Path dir;
    private Database db;
    private ClientQuotas quotas;

    private ClientQuotas open(Map<String, ClientQuotaConfig> clients) {
        db = Database.open(StoreOptions.defaults(dir.resolve("db")));
        quotas = new ClientQuotas(db, clients);
        return quotas;
    }

    private void reopen(Map<String, ClientQuotaConfig> clients) {
        quotas.close();
        db.close();
        open(clients);
    }

    @AfterEach
    void close() {
        if (quotas != null) {
            quotas.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static PolicyException refused(Runnable r) {
        try {
            r.run();
        } catch (PolicyException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void perMinute_refillsEvenly_andSaysWhenTheNextSendIsPossible() {
        open(Map.of("crm", new ClientQuotaConfig(6L, null, null)));
        for (int i = 0; i < 6; i++) {
            quotas.take("crm", "service", "a text message", T0 + i);
        }
        PolicyException e = refused(() -> quotas.take("crm", "service", "a text message", T0 + 6));
        assertThat(e.kind()).isEqualTo(PolicyException.Kind.EXHAUSTED);
        assertThat(e.reason()).isEqualTo("CLIENT_QUOTA");
        assertThat(e.getMessage()).contains("client 'crm'").contains("6 messages per minute")
                .contains("next send is possible in 9994 ms");
        // one token every 10 s
        assertThatThrownBy(() -> quotas.take("crm", "service", "x", T0 + 9_999)).isInstanceOf(PolicyException.class);
        quotas.take("crm", "service", "x", T0 + 10_005);
        assertThatThrownBy(() -> quotas.take("crm", "service", "x", T0 + 10_006)).isInstanceOf(PolicyException.class);
        // a quiet minute fills the bucket, never beyond its size
        long later = T0 + 600_000;
        for (int i = 0; i < 6; i++) {
            quotas.take("crm", "service", "x", later);
        }
        assertThatThrownBy(() -> quotas.take("crm", "service", "x", later)).isInstanceOf(PolicyException.class);
    }

    @Test
    void perDay_resetsAtUtcMidnight_andARefusedSendTakesNothing() {
        open(Map.of("crm", new ClientQuotaConfig(null, 3L, null)));
        for (int i = 0; i < 3; i++) {
            quotas.take("crm", "service", "x", T0);
        }
        PolicyException e = refused(() -> quotas.take("crm", "service", "x", T0 + 59_999));
        assertThat(e.kind()).isEqualTo(PolicyException.Kind.EXHAUSTED);
        assertThat(e.getMessage()).contains("client 'crm' has used its 3 messages per day; the quota resets at"
                + " 2026-11-03T00:00:00Z");
        assertThat(quotas.usedToday("crm", T0)).isEqualTo(3);
        quotas.take("crm", "service", "x", T0 + 60_000); // 00:00 the next day
        assertThat(quotas.usedToday("crm", T0 + 60_000)).isEqualTo(1);
    }

    @Test
    void restart_keepsTheDaysUsage() {
        Map<String, ClientQuotaConfig> config = Map.of("crm", new ClientQuotaConfig(null, 5L, null));
        open(config);
        for (int i = 0; i < 4; i++) {
            quotas.take("crm", "service", "x", T0);
        }
        quotas.flush();
        quotas.take("crm", "service", "x", T0); // the fifth: written by close
        reopen(config);
        assertThat(quotas.usedToday("crm", T0)).isEqualTo(5);
        assertThatThrownBy(() -> quotas.take("crm", "service", "x", T0 + 1)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("5 messages per day");
        // the next day starts from nothing, also after a restart
        reopen(config);
        assertThat(quotas.usedToday("crm", T0 + 60_000)).isZero();
    }

    @Test
    void categories_refuseWhatIsNotAllowed_withoutTakingQuota() {
        open(Map.of("alerts", new ClientQuotaConfig(null, 1L, List.of("utility", "service"))));
        PolicyException e = refused(() -> quotas.take("alerts", "marketing", "template 'promo' (en_US)", T0));
        assertThat(e.kind()).isEqualTo(PolicyException.Kind.DENIED);
        assertThat(e.reason()).isEqualTo("CATEGORY_NOT_ALLOWED");
        assertThat(e.getMessage()).isEqualTo("client 'alerts' may send utility, service only;"
                + " template 'promo' (en_US) is marketing");
        PolicyException unknown = refused(() -> quotas.take("alerts", null, "template 'x' (en)", T0));
        assertThat(unknown.getMessage()).contains("template 'x' (en) is of an unknown category");
        assertThat(quotas.usedToday("alerts", T0)).isZero();
        quotas.take("alerts", "utility", "template 'receipt' (en)", T0);
        assertThat(quotas.usedToday("alerts", T0)).isEqualTo(1);
    }

    @Test
    void clientsWithoutAnEntry_shareTheDefault_orHaveNoLimits() {
        Map<String, ClientQuotaConfig> c = new LinkedHashMap<>();
        c.put("crm", new ClientQuotaConfig(null, 1L, null));
        c.put("default", new ClientQuotaConfig(null, 2L, null));
        open(c);
        quotas.take("crm", "service", "x", T0);
        quotas.take("", "service", "x", T0);
        quotas.take("billing-job", "service", "x", T0);
        PolicyException anonymous = refused(() -> quotas.take("", "service", "x", T0));
        assertThat(anonymous.getMessage()).startsWith("the anonymous client (no wagate-client header) (under the"
                + " 'default' quota of clients without their own) has used its 2 messages per day");
        PolicyException e = refused(() -> quotas.take("reports", "service", "x", T0));
        assertThat(e.getMessage()).contains("client 'reports' (under the 'default' quota of clients without their own)");
        assertThat(quotas.entryOf("reports")).contains("default");
        assertThat(quotas.entryOf("crm")).contains("crm");

        reopen(Map.of("crm", new ClientQuotaConfig(null, 1L, null)));
        for (int i = 0; i < 100; i++) {
            quotas.take("reports", "marketing", "x", T0);
        }
        assertThat(quotas.entryOf("reports")).isEmpty();
    }

    @Test
    void theCheck_takesTheTemplatesCategory_serviceForOtherMessages_unknownWhenTheCatalogueSaidNothing() {
        open(Map.of("crm", new ClientQuotaConfig(null, null, List.of("utility", "service"))));
        ClientQuotaCheck check = new ClientQuotaCheck(quotas);
        io.wagate.api.v1.SendRequest text = io.wagate.api.v1.SendRequest.newBuilder().setFrom("support").setTo("+1")
                .setText(io.wagate.api.v1.Text.newBuilder().setBody("hi")).build();
        io.wagate.api.v1.SendRequest promo = io.wagate.api.v1.SendRequest.newBuilder().setFrom("support").setTo("+1")
                .setTemplate(io.wagate.api.v1.Template.newBuilder().setName("promo").setLanguage("pt_BR")).build();
        SendContext ok = new SendContext(text, null, "crm", T0);
        assertThat(check.check(ok)).isSameAs(ok);
        SendContext utility = new SendContext(promo, null, "crm", T0)
                .withTemplate(new TemplateInfo("promo", "pt_BR", TemplateInfo.Category.UTILITY));
        assertThat(check.check(utility)).isSameAs(utility);
        assertThat(refused(() -> check.check(new SendContext(promo, null, "crm", T0)
                .withTemplate(new TemplateInfo("promo", "pt_BR", TemplateInfo.Category.MARKETING)))).getMessage())
                .isEqualTo("client 'crm' may send utility, service only; template 'promo' (pt_BR) is marketing");
        assertThat(refused(() -> check.check(new SendContext(promo, null, "crm", T0))).getMessage())
                .contains("template 'promo' (pt_BR) is of an unknown category (not in the template catalogue)");
        // the anonymous caller has no entry and there is no default: no limits
        assertThat(check.check(new SendContext(promo, null, "", T0)).client()).isEmpty();
    }
}
