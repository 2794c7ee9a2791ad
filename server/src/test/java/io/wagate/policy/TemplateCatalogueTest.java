package io.wagate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wagate.api.v1.AccountUpdate;
import io.wagate.api.v1.CatalogueStatus;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.MessageTemplate;
import io.wagate.api.v1.SyncResult;
import io.wagate.cloudapi.CloudApiClient;
import io.wagate.cloudapi.TemplateResult;
import io.wagate.config.NumberConfig;
import io.wagate.events.EventLog;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue against Meta's template endpoints over a real socket, on a real RocksDB. */
class TemplateCatalogueTest {
    private static final String WABA = PolicyTemplates.WABA;
    private static final String NUMBER_ID = "100000000000001";

    @TempDir
    Path dir;
    private FakeTemplateMeta meta;
    private Database db;
    private EventLog log;
    private CloudApiClient client;
    private TemplateCatalogue catalogue;

    @BeforeEach
    void setUp() throws Exception {
        meta = new FakeTemplateMeta();
        client = new CloudApiClient(meta.baseUrl(), "v25.0", Duration.ofSeconds(2), Duration.ofSeconds(5));
        openCatalogue();
    }

    private void openCatalogue() {
        db = Database.open(StoreOptions.defaults(dir.resolve("db")));
        log = new EventLog(db, System::currentTimeMillis);
        catalogue = new TemplateCatalogue(db, log, client,
                List.of(new NumberConfig("support", NUMBER_ID, null, null, null, WABA)),
                Map.of(NUMBER_ID, FakeTemplateMeta.TOKEN), Duration.ofHours(1), System::currentTimeMillis);
    }

    private void closeCatalogue() {
        catalogue.close();
        db.close();
    }

    @AfterEach
    void tearDown() {
        closeCatalogue();
        client.close();
        meta.close();
    }

    @Test
    void sync_followsEveryPage() {
        meta.pageSize(40);
        for (int i = 0; i < 250; i++) {
            meta.add(WABA, String.format("bulk_%03d", i), i % 2 == 0 ? "en_US" : "pt_BR", "APPROVED", "MARKETING",
                    "POSITIONAL", "[{\"type\":\"BODY\",\"text\":\"Hi {{1}}\"}]");
        }
        SyncResult r = catalogue.sync(null).join().get(0);
        assertTrue(r.getOk(), r.getError());
        assertEquals(250, r.getTemplates());
        assertEquals(250, r.getAddedCount());
        assertEquals(250, catalogue.list(WABA).size());
        assertEquals(7, meta.requests.stream().filter(q -> q.startsWith("GET")).count(), "250 templates in pages of 40");
        assertTrue(meta.requests.get(1).contains("after=40"), meta.requests.get(1));
        assertTrue(meta.requests.get(0).contains("fields=name,category,status,language,components,parameter_format,id"),
                meta.requests.get(0));
        assertTrue(catalogue.versions(WABA, "bulk_249").orElseThrow().containsKey("pt_BR"));
    }

    @Test
    void sync_reportsWhatChanged() {
        PolicyTemplates.addTo(meta, WABA);
        assertEquals(PolicyTemplates.ALL.length, catalogue.sync(WABA).join().get(0).getAddedCount());
        meta.setStatus(WABA, "hello_world", "en_US", "PAUSED");
        meta.remove(WABA, "rejected_note");
        meta.add(WABA, "brand_new", "en_US", "PENDING", "UTILITY", "POSITIONAL", "[{\"type\":\"BODY\",\"text\":\"x\"}]");
        SyncResult r = catalogue.sync(WABA).join().get(0);
        assertEquals(List.of("brand_new/en_US"), r.getAddedList());
        assertEquals(List.of("rejected_note/en_US"), r.getRemovedList());
        assertEquals(List.of("hello_world/en_US: status APPROVED -> PAUSED"), r.getChangedList());
        assertEquals("PAUSED", entry("hello_world", "en_US").getStatus());
        SyncResult again = catalogue.sync(WABA).join().get(0);
        assertEquals(0, again.getAddedCount() + again.getRemovedCount() + again.getChangedCount());
    }

    @Test
    void failedSync_keepsCatalogueAndSaysWhy() {
        PolicyTemplates.addTo(meta, WABA);
        catalogue.sync(WABA).join();
        CatalogueStatus good = catalogue.status(WABA);
        meta.failWith(503);
        SyncResult r = catalogue.sync(WABA).join().get(0);
        assertFalse(r.getOk());
        assertTrue(r.getError().contains("(#2) Service temporarily unavailable"), r.getError());
        assertEquals(PolicyTemplates.ALL.length, r.getTemplates());
        assertEquals(PolicyTemplates.ALL.length, catalogue.list(WABA).size(), "the old catalogue is kept");
        CatalogueStatus s = catalogue.status(WABA);
        assertEquals(good.getLastSyncedAt(), s.getLastSyncedAt());
        assertTrue(s.getLastError().contains("Service temporarily unavailable"), s.getLastError());
        assertTrue(s.hasLastAttemptAt());
    }

    @Test
    void neverSynced_knowsNothing_evenAfterAFailedAttempt() {
        meta.failWith(500);
        assertFalse(catalogue.sync(WABA).join().get(0).getOk());
        assertTrue(catalogue.versions(WABA, "hello_world").isEmpty(), "never synced: no answer at all");
        assertFalse(catalogue.status(WABA).hasLastSyncedAt());
        meta.failWith(0);
        assertTrue(catalogue.sync(WABA).join().get(0).getOk());
        assertEquals(Map.of(), catalogue.versions(WABA, "hello_world").orElseThrow(), "synced: known to be absent");
    }

    @Test
    void catalogue_survivesRestart() {
        PolicyTemplates.addTo(meta, WABA);
        catalogue.sync(WABA).join();
        closeCatalogue();
        meta.failWith(500);
        openCatalogue();
        assertEquals(PolicyTemplates.ALL.length, catalogue.list(WABA).size());
        assertTrue(catalogue.status(WABA).hasLastSyncedAt());
        assertEquals("APPROVED", entry("order_update", "es_ES").getStatus());
    }

    @Test
    void statusWebhook_appliedAtOnce_categoryAndQualityToo() throws Exception {
        PolicyTemplates.addTo(meta, WABA);
        catalogue.sync(WABA).join();
        catalogue.start();
        String id = entry("order_update", "en_US").getId();
        webhook("message_template_status_update", "{\"event\":\"PAUSED\",\"message_template_id\":" + id
                + ",\"message_template_name\":\"order_update\",\"message_template_language\":\"en_US\","
                + "\"reason\":\"LOW_QUALITY\"}");
        waitFor(() -> entry("order_update", "en_US").getStatus().equals("PAUSED"));
        assertEquals("LOW_QUALITY", entry("order_update", "en_US").getStatusReason());
        assertEquals("APPROVED", entry("order_update", "es_ES").getStatus(), "other languages untouched");
        webhook("template_category_update", "{\"message_template_id\":" + id + ",\"message_template_name\":"
                + "\"order_update\",\"message_template_language\":\"en_US\",\"previous_category\":\"UTILITY\","
                + "\"new_category\":\"MARKETING\"}");
        webhook("message_template_quality_update", "{\"previous_quality_score\":\"GREEN\",\"new_quality_score\":"
                + "\"YELLOW\",\"message_template_id\":" + id + ",\"message_template_name\":\"order_update\","
                + "\"message_template_language\":\"en_US\"}");
        waitFor(() -> entry("order_update", "en_US").getQualityScore().equals("YELLOW"));
        assertEquals("MARKETING", entry("order_update", "en_US").getCategory());
        webhook("message_template_status_update", "{\"event\":\"FLAGGED\",\"message_template_id\":" + id
                + ",\"message_template_name\":\"order_update\",\"message_template_language\":\"en_US\"}");
        webhook("message_template_status_update", "{\"event\":\"REINSTATED\",\"message_template_id\":" + id
                + ",\"message_template_name\":\"order_update\",\"message_template_language\":\"en_US\"}");
        waitFor(() -> entry("order_update", "en_US").getStatus().equals("APPROVED"));
        // a webhook of another WABA changes nothing
        webhookOf("999", "message_template_status_update", "{\"event\":\"DISABLED\",\"message_template_id\":" + id
                + ",\"message_template_name\":\"order_update\",\"message_template_language\":\"en_US\"}");
        // applied in order: the cursor passes both, and the status stays
        closeCatalogue();
        openCatalogue();
        assertEquals("APPROVED", entry("order_update", "en_US").getStatus(), "durable");
        assertEquals("YELLOW", entry("order_update", "en_US").getQualityScore());
    }

    @Test
    void webhookForUnknownTemplate_resyncs() throws Exception {
        PolicyTemplates.addTo(meta, WABA);
        catalogue.sync(WABA).join();
        catalogue.start();
        String id = meta.add(WABA, "made_elsewhere", "en_US", "APPROVED", "UTILITY", "POSITIONAL",
                "[{\"type\":\"BODY\",\"text\":\"x\"}]");
        webhook("message_template_status_update", "{\"event\":\"APPROVED\",\"message_template_id\":" + id
                + ",\"message_template_name\":\"made_elsewhere\",\"message_template_language\":\"en_US\"}");
        waitFor(() -> catalogue.versions(WABA, "made_elsewhere").orElseThrow().containsKey("en_US"));
    }

    @Test
    void createAndDelete_goToMetaThenCatalogue() {
        PolicyTemplates.addTo(meta, WABA);
        catalogue.sync(WABA).join();
        ObjectNode body = new ObjectMapper().createObjectNode().put("name", "new_one").put("language", "de_DE")
                .put("category", "UTILITY").put("parameter_format", "POSITIONAL");
        body.putArray("components").addObject().put("type", "BODY").put("text", "Hallo {{1}}");
        Object created = catalogue.create(WABA, body).join();
        MessageTemplate t = (MessageTemplate) created;
        assertEquals("PENDING", t.getStatus());
        assertEquals(t, entry("new_one", "de_DE"));
        assertEquals(List.of("1"), catalogue.versions(WABA, "new_one").orElseThrow().get("de_DE").shape().body());
        Object again = catalogue.create(WABA, body).join();
        assertTrue(again instanceof TemplateResult.Failed f && f.describe().contains("already exists"), again.toString());

        Object deleted = catalogue.delete(WABA, "order_update", "es_ES").join();
        assertEquals(List.of("order_update/es_ES"), deleted);
        assertTrue(meta.requests.stream().anyMatch(q -> q.startsWith("DELETE") && q.contains("hsm_id")), meta.requests.toString());
        assertEquals(List.of("en_US"), List.copyOf(catalogue.versions(WABA, "order_update").orElseThrow().keySet()));
        assertEquals(List.of("new_one/de_DE"), catalogue.delete(WABA, "new_one", "").join());
        assertTrue(catalogue.versions(WABA, "new_one").orElseThrow().isEmpty());
        assertEquals(PolicyTemplates.ALL.length - 1, meta.count(WABA));
    }

    private MessageTemplate entry(String name, String language) {
        return catalogue.versions(WABA, name).orElseThrow().get(language).template();
    }

    private void webhook(String field, String value) {
        webhookOf(WABA, field, value);
    }

    private void webhookOf(String waba, String field, String value) {
        log.append(List.of(Event.newBuilder().setId(UUID.randomUUID().toString()).setKind(EventKind.ACCOUNT_UPDATE)
                .setWabaId(waba).setAccountUpdate(AccountUpdate.newBuilder().setField(field).setValueJson(value))
                .build())).join();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
