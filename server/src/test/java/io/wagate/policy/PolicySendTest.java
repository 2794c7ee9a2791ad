package io.wagate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.wagate.TestAppliance;
import io.wagate.api.v1.ContactBookGrpc;
import io.wagate.api.v1.CreateTemplateRequest;
import io.wagate.api.v1.DeleteTemplateRequest;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.GetTemplateRequest;
import io.wagate.api.v1.GetWindowRequest;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.ListTemplatesRequest;
import io.wagate.api.v1.ListTemplatesResponse;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.Referral;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendResponse;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.api.v1.SyncResult;
import io.wagate.api.v1.SyncTemplatesRequest;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplatesGrpc;
import io.wagate.api.v1.Text;
import io.wagate.api.v1.WindowInfo;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.config.PolicyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends through the whole appliance with policy on: the template check against a catalogue synced
 * from Meta's template endpoints (over a real socket), the customer-service window from inbound
 * messages and statuses in the event log, fallback templates, and the Templates and ContactBook
 * services.
 */
class PolicySendTest {
    private static final String WABA = PolicyTemplates.WABA;
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;
    private FakeTemplateMeta meta;
    private TestAppliance t;

    @BeforeEach
    void setUp() throws Exception {
        meta = new FakeTemplateMeta();
        PolicyTemplates.addTo(meta, WABA);
        t = TestAppliance.start(dir);
    }

    @AfterEach
    void tearDown() {
        t.close();
        meta.close();
    }

    /** Policy on; the support number in the sample WABA, Meta's template endpoints at the fake. */
    private void policyOn() throws InterruptedException {
        ApplianceConfig c = TestAppliance.config(dir, meta.baseUrl(), TestAppliance.fastRetries(), null);
        List<NumberConfig> numbers = List.of(c.numbers().get(0).withWabaId(WABA), c.numbers().get(1));
        t.reconfigure(new ApplianceConfig(c.mode(), c.dataDir(), c.grpc(), c.cloudApi(), numbers, c.outbox(),
                c.dispatch(), c.store(), c.shutdownTimeout(), c.webhook(), c.events(), c.media(), PolicyConfig.defaults()));
    }

    private void policyOnAndSynced() throws InterruptedException {
        policyOn();
        waitFor(() -> t.appliance.templates().status(WABA).hasLastSyncedAt());
    }

    private TemplatesGrpc.TemplatesBlockingStub templates() {
        return TemplatesGrpc.newBlockingStub(t.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private ContactBookGrpc.ContactBookBlockingStub contacts() {
        return ContactBookGrpc.newBlockingStub(t.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static SendRequest.Builder to(String user) {
        return SendRequest.newBuilder().setFrom("support").setTo(user);
    }

    private static SendRequest text(String user) {
        return to(user).setText(Text.newBuilder().setBody("hello")).build();
    }

    private StatusRuntimeException refused(SendRequest r, Status.Code code) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> t.messages().send(r));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().getDescription());
        return e;
    }

    private static ErrorInfo info(StatusRuntimeException e) throws Exception {
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        for (com.google.protobuf.Any a : s.getDetailsList()) {
            if (a.is(ErrorInfo.class)) {
                return a.unpack(ErrorInfo.class);
            }
        }
        throw new AssertionError("no ErrorInfo in " + s);
    }

    @Test
    void templateSends_followTheRuleTable() throws Exception {
        policyOnAndSynced();
        for (PolicyTemplates.Case c : PolicyTemplates.table()) {
            SendRequest r = to("+16505550001").setTemplate(c.send()).build();
            if (c.verdict() == 0) {
                assertFalse(t.messages().send(r).getId().isEmpty(), c.what());
                continue;
            }
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> t.messages().send(r), c.what());
            Status.Code expected = c.verdict() == 132000 || c.verdict() == 132012 ? Status.Code.INVALID_ARGUMENT
                    : Status.Code.FAILED_PRECONDITION;
            assertEquals(expected, e.getStatus().getCode(), c.what());
            ErrorInfo info = info(e);
            assertEquals("policy.wagate.io", info.getDomain());
            assertEquals(String.valueOf(c.verdict()), info.getMetadataOrThrow("meta_code"), c.what());
            assertTrue(e.getStatus().getDescription().contains("template '" + c.send().getName() + "'"),
                    e.getStatus().getDescription());
        }
    }

    @Test
    void templateSend_beforeFirstSync_refusedSayingWhy() throws Exception {
        meta.failWith(503);
        policyOn();
        waitFor(() -> t.appliance.templates().status(WABA).hasLastAttemptAt());
        SendRequest r = to("+16505550001").setTemplate(Template.newBuilder().setName("hello_world")
                .setLanguage("en_US")).build();
        StatusRuntimeException e = refused(r, Status.Code.FAILED_PRECONDITION);
        assertEquals("TEMPLATE_CATALOGUE_NOT_SYNCED", info(e).getReason());
        assertTrue(e.getStatus().getDescription().contains("never synced")
                && e.getStatus().getDescription().contains("Service temporarily unavailable"), e.getStatus().getDescription());
        ListTemplatesResponse list = templates().list(ListTemplatesRequest.getDefaultInstance());
        assertTrue(list.getCatalogues(0).getLastError().contains("Service temporarily unavailable"));

        meta.failWith(0);
        SyncResult s = templates().sync(SyncTemplatesRequest.getDefaultInstance()).getResults(0);
        assertTrue(s.getOk());
        assertEquals(PolicyTemplates.ALL.length, s.getAddedCount());
        assertFalse(t.messages().send(r).getId().isEmpty());
    }

    @Test
    void freeForm_toUserWhoNeverWrote_refused() throws Exception {
        policyOnAndSynced();
        StatusRuntimeException e = refused(text("+16505550002"), Status.Code.FAILED_PRECONDITION);
        ErrorInfo info = info(e);
        assertEquals("WINDOW_CLOSED", info.getReason());
        assertEquals("131047", info.getMetadataOrThrow("meta_code"));
        assertTrue(e.getStatus().getDescription().contains("user +16505550002 never wrote"), e.getStatus().getDescription());
        assertTrue(t.messages().list(io.wagate.api.v1.ListMessagesRequest.getDefaultInstance()).getMessagesList()
                .isEmpty(), "nothing queued");
    }

    @Test
    void freeForm_windowOpen_closed_reopened() throws Exception {
        policyOnAndSynced();
        long now = System.currentTimeMillis();
        inbound("16505550003", now - 2 * HOUR, false);
        assertFalse(t.messages().send(text("+16505550003")).getId().isEmpty(), "window open");

        inbound("16505550004", now - 25 * HOUR, false);
        StatusRuntimeException e = refused(text("+16505550004"), Status.Code.FAILED_PRECONDITION);
        assertTrue(e.getStatus().getDescription().contains("closed at " + Timestamps.toString(
                Timestamps.fromMillis(now - HOUR))), e.getStatus().getDescription());
        WindowInfo closed = window("16505550004");
        assertFalse(closed.getFreeFormAllowed());
        assertEquals(Timestamps.fromMillis(now - 25 * HOUR), closed.getLastInboundAt());

        inbound("16505550004", now - 60_000, false);
        assertFalse(t.messages().send(text("+16505550004")).getId().isEmpty(), "reopened by a new message");
        WindowInfo open = window("+16505550004");
        assertTrue(open.getFreeFormAllowed());
        assertEquals(Timestamps.fromMillis(now - 60_000 + 24 * HOUR), open.getWindowClosesAt());
        assertEquals(open.getWindowClosesAt(), open.getFreeFormUntil());
    }

    @Test
    void repeatedIdempotencyKey_answersTheFirstSend_evenWhenTheRulesNowSayNo() throws Exception {
        policyOnAndSynced();
        long now = System.currentTimeMillis();
        inbound("16505550014", now - 2 * HOUR, false);
        SendRequest r = to("+16505550014").setText(Text.newBuilder().setBody("hi")).setIdempotencyKey("k-14").build();
        SendResponse first = t.messages().send(r);
        inbound("16505550015", now - 30 * HOUR, false); // another user: closed
        SendRequest closed = to("+16505550015").setText(Text.newBuilder().setBody("hi")).setIdempotencyKey("k-14")
                .build();
        SendResponse again = t.messages().send(closed);
        assertTrue(again.getDuplicate());
        assertEquals(first.getId(), again.getId());
        refused(to("+16505550015").setText(Text.newBuilder().setBody("hi")).setIdempotencyKey("k-15").build(),
                Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void freeEntryPoint_72hAfterFirstReplyToAReferral() throws Exception {
        policyOnAndSynced();
        long now = System.currentTimeMillis();
        // replied within 24 h of the referral: free-form until reply + 72 h, though the 24 h window closed
        inbound("16505550005", now - 30 * HOUR, true);
        sentStatus("16505550005", now - 29 * HOUR);
        waitFor(() -> window("16505550005").hasFreeEntryPointUntil());
        WindowInfo w = window("16505550005");
        assertTrue(w.getFreeFormAllowed());
        assertEquals(Timestamps.fromMillis(now - 29 * HOUR + 72 * HOUR), w.getFreeEntryPointUntil());
        assertEquals(w.getFreeEntryPointUntil(), w.getFreeFormUntil());
        assertFalse(t.messages().send(text("+16505550005")).getId().isEmpty());
        // a later reply does not move it
        sentStatus("16505550005", now - 28 * HOUR);
        Thread.sleep(200);
        assertEquals(Timestamps.fromMillis(now - 29 * HOUR + 72 * HOUR), window("16505550005").getFreeEntryPointUntil());

        // first reply more than 24 h after the referral: no free entry point
        inbound("16505550006", now - 60 * HOUR, true);
        sentStatus("16505550006", now - 30 * HOUR);
        Thread.sleep(200);
        assertFalse(window("16505550006").hasFreeEntryPointUntil());
        refused(text("+16505550006"), Status.Code.FAILED_PRECONDITION);

        // free entry point over: replied 99 h ago
        inbound("16505550007", now - 100 * HOUR, true);
        sentStatus("16505550007", now - 99 * HOUR);
        waitFor(() -> window("16505550007").hasFreeEntryPointUntil());
        StatusRuntimeException e = refused(text("+16505550007"), Status.Code.FAILED_PRECONDITION);
        assertTrue(e.getStatus().getDescription().contains("free entry point window closed at"),
                e.getStatus().getDescription());
    }

    @Test
    void fallbackTemplate_usedWhenWindowClosed_andCheckedLikeAnyTemplate() throws Exception {
        policyOnAndSynced();
        Template hello = Template.newBuilder().setName("hello_world").setLanguage("en_US").build();
        SendResponse r = t.messages().send(to("+16505550008").setText(Text.newBuilder().setBody("hi"))
                .setFallbackTemplate(hello).build());
        Message m = t.messages().get(GetMessageRequest.newBuilder().setId(r.getId()).build());
        assertTrue(m.getRequest().hasTemplate(), "the fallback was queued: " + m.getRequest());
        assertEquals("hello_world", m.getRequest().getTemplate().getName());
        assertFalse(m.getRequest().hasFallbackTemplate());

        // window open: the text goes as it is
        inbound("16505550009", System.currentTimeMillis(), false);
        SendResponse open = t.messages().send(to("+16505550009").setText(Text.newBuilder().setBody("hi"))
                .setFallbackTemplate(hello).build());
        assertTrue(t.messages().get(GetMessageRequest.newBuilder().setId(open.getId()).build()).getRequest().hasText());

        int before = t.messages().list(io.wagate.api.v1.ListMessagesRequest.getDefaultInstance()).getMessagesCount();
        SendRequest bad = to("+16505550008").setText(Text.newBuilder().setBody("hi"))
                .setFallbackTemplate(Template.newBuilder().setName("order_update").setLanguage("en_US")).build();
        StatusRuntimeException e = refused(bad, Status.Code.INVALID_ARGUMENT);
        assertTrue(e.getStatus().getDescription().startsWith("fallback_template: template 'order_update' (en_US): body"),
                e.getStatus().getDescription());
        assertEquals("132000", info(e).getMetadataOrThrow("meta_code"));
        SendRequest paused = to("+16505550008").setText(Text.newBuilder().setBody("hi"))
                .setFallbackTemplate(Template.newBuilder().setName("paused_promo").setLanguage("en_US")).build();
        assertTrue(refused(paused, Status.Code.FAILED_PRECONDITION).getStatus().getDescription()
                .startsWith("fallback_template: "));
        assertEquals(before, t.messages().list(io.wagate.api.v1.ListMessagesRequest.getDefaultInstance())
                .getMessagesCount(), "nothing queued");
    }

    @Test
    void fallbackTemplate_onATemplateSendOrMalformed_isABadRequest() throws Exception {
        policyOnAndSynced();
        Template hello = Template.newBuilder().setName("hello_world").setLanguage("en_US").build();
        StatusRuntimeException e = refused(to("+16505550010").setTemplate(hello).setFallbackTemplate(hello).build(),
                Status.Code.INVALID_ARGUMENT);
        assertEquals("fallback_template", violation(e).getField());
        StatusRuntimeException malformed = refused(to("+16505550010").setText(Text.newBuilder().setBody("x"))
                .setFallbackTemplate(Template.newBuilder().setName("Bad Name").setLanguage("en_US")).build(),
                Status.Code.INVALID_ARGUMENT);
        assertEquals("fallback_template.name", violation(malformed).getField());
    }

    @Test
    void getWindow_badInput() throws Exception {
        policyOnAndSynced();
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> contacts().getWindow(
                GetWindowRequest.newBuilder().setFrom("nope").setUser("1").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getStatus().getCode());
        assertEquals("from", violation(unknown).getField());
        StatusRuntimeException noUser = assertThrows(StatusRuntimeException.class, () -> contacts().getWindow(
                GetWindowRequest.newBuilder().setFrom("support").build()));
        assertEquals("user", violation(noUser).getField());
        WindowInfo never = window("16505550011");
        assertFalse(never.getFreeFormAllowed());
        assertTrue(never.getReason().contains("never wrote"), never.getReason());
        assertFalse(never.hasWindow());
    }

    @Test
    void templatesService_listGetCreateDelete() throws Exception {
        policyOnAndSynced();
        ListTemplatesResponse all = templates().list(ListTemplatesRequest.getDefaultInstance());
        assertEquals(PolicyTemplates.ALL.length, all.getTemplatesCount());
        assertEquals(WABA, all.getCatalogues(0).getWabaId());
        assertEquals(PolicyTemplates.ALL.length, all.getCatalogues(0).getTemplates());
        assertEquals(List.of("paused_promo"), templates().list(ListTemplatesRequest.newBuilder().setStatus("paused")
                .build()).getTemplatesList().stream().map(x -> x.getName()).toList());
        assertEquals(3, templates().list(ListTemplatesRequest.newBuilder().setCategory("MARKETING").setStatus("APPROVED")
                .build()).getTemplatesCount() + 1, "welcome_named and promo_image are approved marketing templates");
        assertEquals(2, templates().get(GetTemplateRequest.newBuilder().setName("order_update").build())
                .getTemplatesCount());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> templates().get(
                GetTemplateRequest.newBuilder().setName("order_update").setLanguage("fr_FR").build())).getStatus().getCode());

        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> templates().create(
                CreateTemplateRequest.newBuilder().setNumber("support").setName("x_y").setLanguage("en_US")
                        .setCategory("PROMO").setComponentsJson("[{\"type\":\"BODY\",\"text\":\"hi\"}]").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertEquals("category", violation(bad).getField());
        StatusRuntimeException noBody = assertThrows(StatusRuntimeException.class, () -> templates().create(
                CreateTemplateRequest.newBuilder().setName("x_y").setLanguage("en_US").setCategory("UTILITY")
                        .setComponentsJson("[{\"type\":\"FOOTER\",\"text\":\"hi\"}]").build()));
        assertEquals("components_json", violation(noBody).getField());
        assertEquals(PolicyTemplates.ALL.length, meta.count(WABA), "nothing sent to Meta");

        var created = templates().create(CreateTemplateRequest.newBuilder().setName("x_y").setLanguage("en_US")
                .setCategory("utility").setComponentsJson("[{\"type\":\"BODY\",\"text\":\"hi {{1}}\"}]").build());
        assertEquals("PENDING", created.getStatus());
        assertEquals("UTILITY", created.getCategory());
        StatusRuntimeException pending = refused(to("+16505550012").setTemplate(Template.newBuilder().setName("x_y")
                .setLanguage("en_US")).build(), Status.Code.FAILED_PRECONDITION);
        assertTrue(pending.getStatus().getDescription().contains("PENDING"));
        StatusRuntimeException dup = assertThrows(StatusRuntimeException.class, () -> templates().create(
                CreateTemplateRequest.newBuilder().setName("x_y").setLanguage("en_US").setCategory("UTILITY")
                        .setComponentsJson("[{\"type\":\"BODY\",\"text\":\"hi {{1}}\"}]").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, dup.getStatus().getCode());
        assertTrue(dup.getStatus().getDescription().contains("already exists"), dup.getStatus().getDescription());

        StatusRuntimeException noWaba = assertThrows(StatusRuntimeException.class, () -> templates().sync(
                SyncTemplatesRequest.newBuilder().setNumber("sales").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noWaba.getStatus().getCode());
        assertEquals("number", violation(noWaba).getField());
        assertTrue(violation(noWaba).getDescription().contains("sales has no waba_id"), violation(noWaba).toString());
        StatusRuntimeException salesTemplate = refused(SendRequest.newBuilder().setFrom("sales").setTo("+16505550013")
                .setTemplate(Template.newBuilder().setName("hello_world").setLanguage("en_US")).build(),
                Status.Code.FAILED_PRECONDITION);
        assertEquals("TEMPLATE_CATALOGUE_NOT_SYNCED", info(salesTemplate).getReason());
        assertTrue(salesTemplate.getStatus().getDescription().contains("numbers[sales].waba_id"));

        assertEquals(List.of("x_y/en_US"), templates().delete(DeleteTemplateRequest.newBuilder().setName("x_y").build())
                .getDeletedList());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> templates().delete(
                DeleteTemplateRequest.newBuilder().setName("x_y").build())).getStatus().getCode());
    }

    // ---- helpers ----

    private WindowInfo window(String user) {
        return contacts().getWindow(GetWindowRequest.newBuilder().setFrom("support").setUser(user).build());
    }

    private static BadRequest.FieldViolation violation(StatusRuntimeException e) throws Exception {
        for (com.google.protobuf.Any a : StatusProto.fromThrowable(e).getDetailsList()) {
            if (a.is(BadRequest.class)) {
                return a.unpack(BadRequest.class).getFieldViolations(0);
            }
        }
        throw new AssertionError("no BadRequest in " + e.getStatus());
    }

    /** An inbound message from {@code waId} at {@code atMillis}, stored as the webhook would, then applied. */
    private void inbound(String waId, long atMillis, boolean referral) throws InterruptedException {
        InboundMessage.Builder in = InboundMessage.newBuilder().setWamid("wamid." + UUID.randomUUID()).setType("text")
                .setFrom(waId).setSentAt(Timestamps.fromMillis(atMillis));
        if (referral) {
            in.setReferral(Referral.newBuilder().setSourceType("ad").setSourceId("ad-1"));
        }
        append(Event.newBuilder().setKind(EventKind.INBOUND_MESSAGE).setInbound(in).setUser(waId));
        Timestamp at = Timestamps.fromMillis(atMillis);
        waitFor(() -> t.appliance.contactWindows().get(TestAppliance.NUMBER_ID, waId)
                .map(w -> Timestamps.compare(w.getLastInboundAt(), at) >= 0).orElse(false));
    }

    /** A "sent" status of a message to {@code waId} (sent by any system on the number) at {@code atMillis}. */
    private void sentStatus(String waId, long atMillis) {
        append(Event.newBuilder().setKind(EventKind.STATUS).setUser(waId).setStatus(StatusUpdate.newBuilder()
                .setWamid("wamid." + UUID.randomUUID()).setStatus("sent").setRecipientId(waId)
                .setAt(Timestamps.fromMillis(atMillis))));
    }

    private void append(Event.Builder e) {
        t.appliance.eventLog().append(List.of(e.setId(UUID.randomUUID().toString())
                .setPhoneNumberId(TestAppliance.NUMBER_ID).setNumber("support").build())).join();
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
