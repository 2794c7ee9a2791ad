package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The window (131047) with the free entry point, opt-out (131050) and the per-user marketing limit
 * (131049), pricing in statuses, the billing record, and the template and preference webhooks,
 * with policy rules on, over real sockets to a recording receiver.
 */
class SandboxPolicyRulesTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "tok";
    static final String USER = "16505551234";
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String ORDER = "{\"name\":\"order_update\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":"
            + "\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"A1\"},{\"type\":\"text\",\"text\":\"shipped\"}]}]}";
    static final String SALE = "{\"name\":\"spring_sale\",\"language\":{\"code\":\"en_US\"},\"components\":["
            + "{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"link\":\"https://x.example/a.jpg\"}}]},"
            + "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"20%\"}]},"
            + "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"s\"}]}]}";
    static final String LOGIN = "{\"name\":\"login_code\",\"language\":{\"code\":\"en_US\"},\"components\":["
            + "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"123456\"}]},"
            + "{\"type\":\"button\",\"sub_type\":\"copy_code\",\"index\":\"0\",\"parameters\":[{\"type\":\"coupon_code\","
            + "\"coupon_code\":\"123456\"}]}]}";

    WebhookReceiver receiver;
    SandboxEmulator sandbox;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN).withPolicyRules()
                .withTemplates(SampleTemplates.all())
                .withWebhooks(WebhookOptions.to(receiver.uri(), WebhookReceiver.SECRET)
                        .withBehaviour(SandboxWebhookStatusTest.fast(WebhookBehaviour.DEFAULT).withSkipRead(true))));
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    SandboxHttp.Response post(String to, String typeAndContent) throws Exception {
        String json = "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\"," + typeAndContent + "}";
        return SandboxHttp.post(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/messages", TOKEN, json, Duration.ofSeconds(5));
    }

    SandboxHttp.Response text(String to) throws Exception {
        return post(to, "\"type\":\"text\",\"text\":{\"body\":\"hello\"}");
    }

    String template(String to, String template) throws Exception {
        SandboxHttp.Response r = post(to, "\"type\":\"template\",\"template\":" + template);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        return r.body().path("messages").get(0).path("id").asText();
    }

    String accepted(SandboxHttp.Response r) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        return r.body().path("messages").get(0).path("id").asText();
    }

    void inbound(String from, Instant at) {
        sandbox.injectInbound(InboundSpec.text(from, "hi").withTimestamp(at));
    }

    List<JsonNode> statusesOf(String wamid) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : receiver.acceptedStatuses()) {
            if (s.path("id").asText().equals(wamid)) {
                out.add(s);
            }
        }
        return out;
    }

    JsonNode pricingOf(String wamid) {
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        return statusesOf(wamid).get(0).path("pricing");
    }

    /** Every change of {@code field} posted, in order. */
    List<JsonNode> changes(String field) {
        List<JsonNode> out = new ArrayList<>();
        for (WebhookReceiver.Post p : receiver.posts()) {
            for (JsonNode e : p.json().path("entry")) {
                for (JsonNode c : e.path("changes")) {
                    if (c.path("field").asText().equals(field)) {
                        out.add(c.path("value"));
                    }
                }
            }
        }
        return out;
    }

    Instant now() {
        return Instant.ofEpochMilli(sandbox.policy().nowMillis());
    }

    // ---- the customer service window

    @Test
    void freeForm_toAUserWhoNeverWrote_is131047_butATemplateGoes() throws Exception {
        SandboxHttp.Response r = text(USER);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(131047);
        assertThat(r.body().path("error").path("message").asText()).isEqualTo("(#131047) Re-engagement message");
        assertThat(r.body().path("error").path("error_data").path("details").asText())
                .contains("more than 24 hours have passed");
        assertThat(sandbox.receivedCount()).isZero();
        template(USER, ORDER);
        assertThat(sandbox.receivedCount()).isEqualTo(1);
    }

    @Test
    void window_opensWithAnInboundMessage_closesAfter24h_andReopens() throws Exception {
        inbound(USER, now().minus(Duration.ofHours(23)));
        accepted(text("+1 (650) 555-1234"));
        accepted(post(USER, "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.x\",\"emoji\":\"👍\"}"));

        sandbox.policy().advance(Duration.ofHours(2));
        assertThat(text(USER).code()).isEqualTo(131047);
        assertThat(post(USER, "\"type\":\"location\",\"location\":{\"latitude\":1,\"longitude\":2}").code())
                .isEqualTo(131047);

        inbound(USER, now());
        accepted(text(USER));
        Instant closes = sandbox.policy().windowClosesAt(NUMBER, USER).orElseThrow();
        assertThat(closes).isBetween(now().plus(Duration.ofHours(24)).minusSeconds(60), now().plus(Duration.ofHours(24)));
        assertThat(sandbox.policy().windowClosesAt(NUMBER, "16505550000")).isEmpty();
    }

    @Test
    void inboundInjected26HoursAgo_leavesTheWindowClosed_andAnOlderMessageNeverMovesItBack() throws Exception {
        inbound(USER, now().minus(Duration.ofHours(26)));
        assertThat(text(USER).code()).isEqualTo(131047);

        inbound("16505550002", now());
        inbound("16505550002", now().minus(Duration.ofHours(30)));
        accepted(text("16505550002"));
    }

    @Test
    void windows_arePerBusinessNumber() throws Exception {
        sandbox.registerNumber("106540352240000", "t2");
        sandbox.injectInbound(InboundSpec.text(USER, "hi").withNumber(NUMBER));
        String json = "{\"messaging_product\":\"whatsapp\",\"to\":\"" + USER + "\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}";

        SandboxHttp.Response other = SandboxHttp.post(sandbox.baseUrl(), "/v25.0/106540352240000/messages", "t2", json,
                Duration.ofSeconds(5));

        assertThat(other.code()).isEqualTo(131047);
        accepted(text(USER));
    }

    @Test
    void markAsRead_isNotAMessage_andIgnoresTheWindow() throws Exception {
        SandboxHttp.Response r = post(USER, "\"status\":\"read\",\"message_id\":\"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=\"");

        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    }

    // ---- free entry point

    @Test
    void freeEntryPoint_firstReplyWithin24hOfAReferral_opens72hOfFreeMessages() throws Exception {
        sandbox.injectInbound(InboundSpec.text(USER, "from the ad").withReferral(SandboxHttp.JSON.readTree(
                "{\"source_url\":\"https://fb.me/x\",\"source_id\":\"1\",\"source_type\":\"ad\"}")));
        sandbox.policy().advance(Duration.ofHours(1));
        String first = template(USER, SALE);
        sandbox.policy().advance(Duration.ofHours(30)); // the 24 h window has closed; the entry point has not
        String later = accepted(text(USER));
        String laterTemplate = template(USER, SALE);

        assertThat(pricingOf(first).toString()).isEqualTo(
                "{\"billable\":false,\"pricing_model\":\"PMP\",\"type\":\"free_entry_point\",\"category\":\"marketing\"}");
        assertThat(pricingOf(later).path("type").asText()).isEqualTo("free_entry_point");
        assertThat(pricingOf(later).path("category").asText()).isEqualTo("service");
        assertThat(pricingOf(laterTemplate).path("type").asText()).isEqualTo("free_entry_point");

        sandbox.policy().advance(Duration.ofHours(42)); // 73 h after the first reply
        assertThat(text(USER).code()).isEqualTo(131047);
        String afterwards = template(USER, ORDER);
        assertThat(pricingOf(afterwards).path("type").asText()).isEqualTo("regular");
    }

    @Test
    void referral_answeredAfterMoreThan24h_opensNoFreeEntryPoint() throws Exception {
        sandbox.injectInbound(InboundSpec.text(USER, "from the ad").withTimestamp(now().minus(Duration.ofHours(25)))
                .withReferral(SandboxHttp.JSON.readTree("{\"source_url\":\"https://fb.me/x\",\"source_id\":\"1\"}")));

        String reply = template(USER, SALE);

        assertThat(pricingOf(reply).path("type").asText()).isEqualTo("regular");
        assertThat(text(USER).code()).isEqualTo(131047);
    }

    // ---- pricing and the billing record

    @Test
    void pricing_byCategory_andWindow_onSentAndDelivered() throws Exception {
        String marketingOut = template(USER, SALE);
        String utilityOut = template(USER, ORDER);
        String authOut = template(USER, LOGIN);
        inbound(USER, now());
        String utilityIn = template(USER, ORDER);
        String authIn = template(USER, LOGIN);
        String service = accepted(text(USER));

        assertThat(pricingOf(marketingOut).toString()).isEqualTo(
                "{\"billable\":true,\"pricing_model\":\"PMP\",\"type\":\"regular\",\"category\":\"marketing\"}");
        assertThat(pricingOf(utilityOut).toString()).isEqualTo(
                "{\"billable\":true,\"pricing_model\":\"PMP\",\"type\":\"regular\",\"category\":\"utility\"}");
        assertThat(pricingOf(authOut).path("category").asText()).isEqualTo("authentication");
        assertThat(pricingOf(utilityIn).toString()).isEqualTo(
                "{\"billable\":false,\"pricing_model\":\"PMP\",\"type\":\"free_customer_service\",\"category\":\"utility\"}");
        assertThat(pricingOf(authIn).path("type").asText()).isEqualTo("regular");
        assertThat(pricingOf(service).toString()).isEqualTo(
                "{\"billable\":false,\"pricing_model\":\"PMP\",\"type\":\"free_customer_service\",\"category\":\"service\"}");
        List<JsonNode> st = statusesOf(service);
        assertThat(st).extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered");
        assertThat(st).allMatch(s -> s.has("pricing"));
    }

    @Test
    void pricing_followsARecategorisedTemplate() throws Exception {
        sandbox.templates().setCategory(null, "order_update", "en_US", "MARKETING");

        String w = template(USER, ORDER);

        assertThat(pricingOf(w).path("category").asText()).isEqualTo("marketing");
    }

    @Test
    void billingRecord_onePerPricedMessage_inOrder_overHttpAndJava() throws Exception {
        String a = template(USER, SALE);
        inbound(USER, now());
        String b = template(USER, ORDER);
        String c = accepted(text(USER));
        sandbox.policy().stopMarketing(null, "16505550009");
        template("16505550009", SALE); // fails 131050: never priced
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();

        SandboxHttp.Response r = SandboxHttp.get(sandbox.baseUrl(), "/_sandbox/billing");

        assertThat(r.status()).isEqualTo(200);
        JsonNode msgs = r.body().path("messages");
        assertThat(msgs).hasSize(3);
        assertThat(msgs.get(0).toString()).isEqualTo("{\"wamid\":\"" + a + "\",\"phone_number_id\":\"" + NUMBER
                + "\",\"recipient\":\"" + USER + "\",\"category\":\"marketing\",\"type\":\"regular\",\"billable\":true,"
                + "\"pricing_model\":\"PMP\",\"at\":" + msgs.get(0).path("at").asLong() + "}");
        assertThat(msgs.get(0).path("at").asLong()).isCloseTo(now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        assertThat(msgs.get(1).path("wamid").asText()).isEqualTo(b);
        assertThat(msgs.get(1).path("billable").asBoolean()).isFalse();
        assertThat(msgs.get(2).path("wamid").asText()).isEqualTo(c);
        assertThat(msgs.get(2).path("category").asText()).isEqualTo("service");
        List<BillingRecord> java = sandbox.billing();
        assertThat(java).extracting(BillingRecord::wamid).containsExactly(a, b, c);
        assertThat(java.get(0)).isEqualTo(new BillingRecord(a, NUMBER, USER, "marketing", "regular", true, "PMP",
                msgs.get(0).path("at").asLong()));
        // the meter's view: every billable pricing in the status webhooks, once per message
        long billableInWebhooks = receiver.acceptedStatuses().stream().filter(s -> s.path("pricing").path("billable")
                .asBoolean()).map(s -> s.path("id").asText()).distinct().count();
        assertThat(billableInWebhooks).isEqualTo(java.stream().filter(BillingRecord::billable).count());

        SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/reset", null);
        assertThat(sandbox.billing()).isEmpty();
    }

    // ---- opt-out

    @Test
    void stoppedUser_getsMarketingAccepted_thenFailed131050_withoutPricing_butUtilityStillGoes() throws Exception {
        sandbox.policy().stopMarketing(null, "+1 650 555 1234");
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        JsonNode pref = changes("user_preferences").get(0);
        assertThat(pref.path("metadata").path("phone_number_id").asText()).isEqualTo(NUMBER);
        assertThat(pref.path("contacts").get(0).path("wa_id").asText()).isEqualTo(USER);
        JsonNode p = pref.path("user_preferences").get(0);
        assertThat(p.path("wa_id").asText()).isEqualTo(USER);
        assertThat(p.path("detail").asText()).isEqualTo("User requested to stop marketing messages");
        assertThat(p.path("category").asText()).isEqualTo("marketing_messages");
        assertThat(p.path("value").asText()).isEqualTo("stop");
        assertThat(p.path("timestamp").isIntegralNumber()).isTrue();
        assertThat(receiver.posts().get(0).json().path("entry").get(0).path("id").asText())
                .isEqualTo(SandboxOptions.DEFAULT_WABA_ID);

        String marketing = template(USER, SALE);
        String utility = template(USER, ORDER);
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();

        List<JsonNode> failed = statusesOf(marketing);
        assertThat(failed).extracting(s -> s.path("status").asText()).containsExactly("failed");
        assertThat(failed.get(0).has("pricing")).isFalse();
        assertThat(failed.get(0).path("errors").get(0).path("code").asInt()).isEqualTo(131050);
        assertThat(statusesOf(utility)).extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered");

        sandbox.policy().resumeMarketing(null, USER);
        String again = template(USER, SALE);
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(changes("user_preferences").get(1).path("user_preferences").get(0).path("value").asText())
                .isEqualTo("resume");
        assertThat(statusesOf(again)).extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered");
    }

    @Test
    void marketingPreference_badInput_isRefusedNamingIt() throws Exception {
        assertThatThrownBy(() -> sandbox.policy().stopMarketing("999", USER)).hasMessageContaining("phone_number_id 999");
        assertThatThrownBy(() -> sandbox.policy().stopMarketing(null, "bob")).hasMessageContaining("user must be");
        assertThatThrownBy(() -> sandbox.policy().stopMarketing(null, " ")).hasMessageContaining("user must be set");

        SandboxHttp.Response badValue = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/marketing",
                "{\"user\":\"" + USER + "\",\"value\":\"pause\"}");
        SandboxHttp.Response badField = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/marketing",
                "{\"user\":\"" + USER + "\",\"value\":\"stop\",\"why\":1}");
        SandboxHttp.Response ok = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/marketing",
                "{\"user\":\"+" + USER + "\",\"value\":\"stop\"}");
        SandboxHttp.Response list = SandboxHttp.get(sandbox.baseUrl(), "/_sandbox/marketing");

        assertThat(badValue.status()).isEqualTo(400);
        assertThat(badValue.body().path("error").path("message").asText()).contains("value must be stop or resume");
        assertThat(badField.status()).isEqualTo(400);
        assertThat(badField.body().path("error").path("message").asText()).contains("'why'");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(list.body().path("stopped").toString()).isEqualTo("[{\"phone_number_id\":\"" + NUMBER
                + "\",\"user\":\"" + USER + "\"}]");
        assertThat(sandbox.policy().stoppedMarketing()).containsExactly(NUMBER + "|" + USER);
    }

    // ---- the per-user marketing limit

    @Test
    void thirdMarketingTemplateIn24h_fails131049_utilityDoesNotCount_andTheLimitMoves() throws Exception {
        String m1 = template(USER, SALE);
        template(USER, ORDER);
        String m2 = template(USER, SALE);
        String m3 = template(USER, SALE);
        String other = template("16505550003", SALE);
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();

        assertThat(statusesOf(m1)).extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered");
        assertThat(statusesOf(m2)).extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered");
        List<JsonNode> limited = statusesOf(m3);
        assertThat(limited).extracting(s -> s.path("status").asText()).containsExactly("failed");
        assertThat(limited.get(0).path("errors").get(0).path("code").asInt()).isEqualTo(131049);
        assertThat(statusesOf(other)).extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered");

        sandbox.policy().advance(Duration.ofHours(24).plusSeconds(1));
        String m4 = template(USER, SALE);
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(statusesOf(m4)).extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered");
    }

    @Test
    void marketingLimit_isConfigurable_overTheControlApi() throws Exception {
        SandboxHttp.Response set = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/policy",
                "{\"marketing_limit\":1}");
        SandboxHttp.Response bad = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/policy",
                "{\"marketing_limit\":-1}");
        SandboxHttp.Response badField = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/policy",
                "{\"limit\":3}");
        template(USER, SALE);
        String second = template(USER, SALE);
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();

        assertThat(set.body().toString()).startsWith("{\"rules\":true,\"auto_approve\":false,\"marketing_limit\":1,");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("error").path("message").asText()).contains("policy.marketing_limit");
        assertThat(badField.status()).isEqualTo(400);
        assertThat(statusesOf(second).get(0).path("errors").get(0).path("code").asInt()).isEqualTo(131049);
        assertThat(sandbox.policy().options().marketingLimit()).isEqualTo(1);
    }

    // ---- template status changes through the control API

    @Test
    void templateStatusAndCategoryChanges_postMetasWebhooks() throws Exception {
        SandboxHttp.Response paused = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/templates",
                "{\"name\":\"spring_sale\",\"language\":\"en_US\",\"status\":\"paused\",\"reason\":\"LOW_QUALITY\"}");
        SandboxHttp.Response recategorised = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/templates",
                "{\"name\":\"order_update\",\"language\":\"en_US\",\"category\":\"MARKETING\"}");
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();

        assertThat(paused.status()).as("%s", paused.body()).isEqualTo(200);
        assertThat(paused.body().path("status").asText()).isEqualTo("PAUSED");
        String id = paused.body().path("id").asText();
        assertThat(changes("message_template_status_update")).extracting(JsonNode::toString).containsExactly(
                "{\"event\":\"PAUSED\",\"message_template_id\":" + id + ",\"message_template_name\":\"spring_sale\","
                        + "\"message_template_language\":\"en_US\",\"reason\":\"LOW_QUALITY\"}");
        JsonNode cat = changes("template_category_update").get(0);
        assertThat(cat.path("message_template_name").asText()).isEqualTo("order_update");
        assertThat(cat.path("previous_category").asText()).isEqualTo("UTILITY");
        assertThat(cat.path("new_category").asText()).isEqualTo("MARKETING");
        assertThat(receiver.posts()).allMatch(WebhookReceiver.Post::signatureValid);
        assertThat(receiver.posts().get(0).json().path("entry").get(0).path("id").asText())
                .isEqualTo(SandboxOptions.DEFAULT_WABA_ID);
        assertThat(post(USER, "\"type\":\"template\",\"template\":" + SALE).code()).isEqualTo(132015);
        JsonNode listed = SandboxHttp.get(sandbox.baseUrl(), "/_sandbox/templates").body().path("templates");
        assertThat(listed).hasSize(6);
        assertThat(listed.get(0).path("waba_id").asText()).isEqualTo(SandboxOptions.DEFAULT_WABA_ID);
    }

    @Test
    void templateChange_badInput_isRefused_andChangesNothing() throws Exception {
        SandboxHttp.Response unknown = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/templates",
                "{\"name\":\"nope\",\"language\":\"en_US\",\"status\":\"PAUSED\"}");
        SandboxHttp.Response badStatus = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/templates",
                "{\"name\":\"spring_sale\",\"language\":\"en_US\",\"status\":\"SLEEPING\"}");
        SandboxHttp.Response badCategory = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/templates",
                "{\"name\":\"spring_sale\",\"language\":\"en_US\",\"status\":\"PAUSED\",\"category\":\"NEWS\"}");
        SandboxHttp.Response nothing = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/templates",
                "{\"name\":\"spring_sale\",\"language\":\"en_US\"}");
        SandboxHttp.Response noLanguage = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/templates",
                "{\"name\":\"spring_sale\",\"status\":\"PAUSED\"}");
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").path("message").asText()).contains("no template nope (en_US)");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.body().path("error").path("message").asText()).contains("SLEEPING");
        assertThat(badCategory.status()).isEqualTo(400);
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(noLanguage.status()).isEqualTo(400);
        assertThat(sandbox.templates().find(SandboxOptions.DEFAULT_WABA_ID, "spring_sale", "en_US").orElseThrow()
                .status()).isEqualTo("APPROVED");
        assertThat(receiver.posts()).isEmpty();
    }

    // ---- inject API timestamps, clock, rules off

    @Test
    void injectApi_takesATimestamp_andRefusesABadOne() throws Exception {
        long past = now().minus(Duration.ofHours(26)).getEpochSecond();
        SandboxHttp.Response ok = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/inbound",
                "{\"from\":\"" + USER + "\",\"type\":\"text\",\"text\":{\"body\":\"old\"},\"timestamp\":" + past + "}");
        SandboxHttp.Response bad = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/inbound",
                "{\"from\":\"" + USER + "\",\"type\":\"text\",\"text\":{\"body\":\"old\"},\"timestamp\":\"yesterday\"}");
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();

        assertThat(ok.status()).as("%s", ok.body()).isEqualTo(200);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("error").path("message").asText()).contains("timestamp");
        JsonNode msg = receiver.posts().get(0).json().path("entry").get(0).path("changes").get(0).path("value")
                .path("messages").get(0);
        assertThat(msg.path("timestamp").asText()).isEqualTo(Long.toString(past));
        assertThat(text(USER).code()).isEqualTo(131047);
    }

    @Test
    void policyClock_advancesOverTheControlApi() throws Exception {
        inbound(USER, now());
        accepted(text(USER));

        SandboxHttp.Response r = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/policy/advance",
                "{\"seconds\":90000}");
        SandboxHttp.Response bad = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/policy/advance",
                "{\"seconds\":-1}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(text(USER).code()).isEqualTo(131047);
    }

    @Test
    void rulesOff_freeFormGoesToAnyone_andMarketingToAStoppedUserIsDelivered() throws Exception {
        SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/policy", "{\"rules\":false}");
        sandbox.policy().stopMarketing(null, USER);

        accepted(text(USER));
        String m = template(USER, SALE);

        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        assertThat(statusesOf(m)).extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered");
    }

    @Test
    void numbersOfAnotherWaba_postUnderThatWabasEntry() throws Exception {
        sandbox.registerNumber("106540352240000", "t2", "109000000000777");
        sandbox.injectInbound(InboundSpec.text(USER, "hi").withNumber("106540352240000"));
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();

        assertThat(receiver.posts().get(0).json().path("entry").get(0).path("id").asText()).isEqualTo("109000000000777");
    }
}
