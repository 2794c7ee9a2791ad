package io.wagate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.wagate.api.v1.ConsentRecord;
import io.wagate.api.v1.ConsentSource;
import io.wagate.api.v1.ConsentState;
import io.wagate.api.v1.GetConsentRequest;
import io.wagate.api.v1.ListConsentRequest;
import io.wagate.api.v1.ListConsentResponse;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SetConsentRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.Text;
import io.wagate.config.NumberConfig;
import io.wagate.config.PolicyConfig;
import io.wagate.grpc.ErrorMapper;
import io.wagate.sandbox.InboundSpec;
import io.wagate.sandbox.StatusFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consent ledger on a running appliance: set, get and list through gRPC (good and bad input),
 * opt-out and opt-in from inbound keywords in two languages, from a 131050 failure and from Meta's
 * user_preferences webhook, and the consent check refusing marketing to opted-out users.
 */
class ConsentTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path dir;
    private PolicyFixture f;

    @BeforeEach
    void start() {
        f = new PolicyFixture(dir, PolicyConfig.defaults());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void set_get_list_roundTrip_withHistory_andUsersNormalized() {
        ConsentRecord in = f.consent().set(SetConsentRequest.newBuilder().setNumber("support")
                .setUser("+1 650-555-0001").setState(ConsentState.OPTED_IN).setNote("web form").build());
        assertThat(in.getUser()).isEqualTo("16505550001");
        assertThat(in.getNumber()).isEqualTo("support");
        assertThat(in.getPhoneNumberId()).isEqualTo(PolicyFixture.NUMBER_ID);
        assertThat(in.getCurrent().getSource()).isEqualTo(ConsentSource.CONSENT_SOURCE_API);
        assertThat(in.getCurrent().getNote()).isEqualTo("web form");
        f.consent().set(SetConsentRequest.newBuilder().setNumber(PolicyFixture.NUMBER_ID).setUser("16505550001")
                .setState(ConsentState.OPTED_OUT).build());
        ConsentRecord got = f.consent().get(GetConsentRequest.newBuilder().setNumber("support")
                .setUser("+16505550001").build());
        assertThat(got.getCurrent().getState()).isEqualTo(ConsentState.OPTED_OUT);
        assertThat(got.getHistoryList()).extracting(c -> c.getState()).containsExactly(ConsentState.OPTED_IN);
        // another number is another ledger
        assertThatThrownBy(() -> f.consent().get(GetConsentRequest.newBuilder().setNumber("sales")
                .setUser("16505550001").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("16505550001").contains("sales");
                });
        for (int i = 2; i <= 6; i++) {
            f.consent().set(SetConsentRequest.newBuilder().setNumber("support").setUser("1650555000" + i)
                    .setState(i % 2 == 0 ? ConsentState.OPTED_IN : ConsentState.OPTED_OUT).build());
        }
        f.consent().set(SetConsentRequest.newBuilder().setNumber("sales").setUser("US.1234567")
                .setState(ConsentState.OPTED_OUT).build());
        List<String> users = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListConsentResponse page = f.consent().list(ListConsentRequest.newBuilder().setNumber("support")
                    .setPageSize(2).setPageToken(token).build());
            page.getRecordsList().forEach(r -> users.add(r.getUser()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(users).containsExactly("16505550001", "16505550002", "16505550003", "16505550004", "16505550005",
                "16505550006");
        assertThat(pages).isEqualTo(3);
        assertThat(f.consent().list(ListConsentRequest.newBuilder().setState(ConsentState.OPTED_OUT).build())
                .getRecordsList()).extracting(ConsentRecord::getUser)
                .containsExactly("16505550001", "16505550003", "16505550005", "US.1234567");
    }

    @Test
    void badInput_isRefused_namingEveryField_andNothingIsWritten() {
        StatusRuntimeException e = invalid(() -> f.consent().set(SetConsentRequest.newBuilder().setNumber("nope")
                .setUser("  ").setState(ConsentState.CONSENT_STATE_UNSPECIFIED).build()));
        assertThat(violations(e)).containsExactly(
                "number: unknown number 'nope'; configured: support, sales",
                "user: is required: the user's phone number (E.164) or business-scoped user id",
                "state: must be OPTED_IN or OPTED_OUT, got CONSENT_STATE_UNSPECIFIED");
        assertThat(violations(invalid(() -> f.consent().set(SetConsentRequest.newBuilder().setUser("16505550001")
                .setStateValue(7).build()))))
                .containsExactly("number: is required: a configured number alias or phone-number id",
                        "state: must be OPTED_IN or OPTED_OUT, got UNRECOGNIZED");
        assertThat(violations(invalid(() -> f.consent().set(SetConsentRequest.newBuilder().setNumber("support")
                .setUser("a/b").setState(ConsentState.OPTED_IN).setNote("x".repeat(501)).build()))))
                .containsExactly("user: 'a/b' is not a phone number or business-scoped user id",
                        "note: must be at most 500 characters, got 501");
        assertThat(violations(invalid(() -> f.consent().get(GetConsentRequest.newBuilder().setNumber("other")
                .setUser("1").build())))).singleElement().asString().startsWith("number: unknown number 'other'");
        assertThat(violations(invalid(() -> f.consent().list(ListConsentRequest.newBuilder()
                .setPageToken("garbage").build()))))
                .containsExactly("page_token: is not a token from a previous response");
        assertThat(violations(invalid(() -> f.consent().list(ListConsentRequest.newBuilder().setPageSize(-1)
                .build())))).containsExactly("page_size: must be >= 0 (0: the default, 50), got -1");
        assertThat(f.consent().list(ListConsentRequest.getDefaultInstance()).getRecordsList()).isEmpty();
    }

    @Test
    void keywords_inTwoLanguages_optOutAndIn_andOtherTextChangesNothing() {
        String stopWamid = f.meta.injectInbound(InboundSpec.text("16505550101", " stop "));
        String pararWamid = f.meta.injectInbound(InboundSpec.text("5491155550102", "Parar"));
        f.meta.injectInbound(InboundSpec.text("16505550103", "please stop"));
        ConsentRecord en = awaitState("16505550101", ConsentState.OPTED_OUT);
        assertThat(en.getCurrent().getSource()).isEqualTo(ConsentSource.CONSENT_SOURCE_KEYWORD);
        assertThat(en.getCurrent().getKeyword()).isEqualTo("STOP (en)");
        assertThat(en.getCurrent().getMessageId()).isEqualTo(stopWamid);
        ConsentRecord es = awaitState("5491155550102", ConsentState.OPTED_OUT);
        assertThat(es.getCurrent().getKeyword()).isEqualTo("PARAR (es)");
        assertThat(es.getCurrent().getMessageId()).isEqualTo(pararWamid);

        f.meta.injectInbound(InboundSpec.text("5491155550102", "ALTA"));
        ConsentRecord back = awaitState("5491155550102", ConsentState.OPTED_IN);
        assertThat(back.getCurrent().getKeyword()).isEqualTo("ALTA (es)");
        assertThat(back.getHistoryList()).extracting(c -> c.getKeyword()).containsExactly("PARAR (es)");
        assertThat(f.appliance.consent().get(PolicyFixture.NUMBER_ID, "16505550103")).isEmpty();

        // the follower's cursor is durable: after a restart nothing is applied twice
        f.restart();
        f.meta.injectInbound(InboundSpec.text("16505550104", "UNSUBSCRIBE"));
        awaitState("16505550104", ConsentState.OPTED_OUT);
        assertThat(f.appliance.consent().get(PolicyFixture.NUMBER_ID, "5491155550102").orElseThrow()
                .getHistoryCount()).isEqualTo(1);
    }

    @Test
    void failed131050_optsOut_namingOurMessage() {
        String user = "16505550201";
        f.meta.webhooks().setBehaviour(f.meta.webhooks().behaviour().withFailure(user, StatusFailure.of(131050)));
        f.meta.injectInbound(InboundSpec.text(user, "hello")); // opens the window for free-form
        await().atMost(WAIT).until(() -> f.appliance.contactWindows().get(PolicyFixture.NUMBER_ID, user).isPresent());
        String id = f.messages().send(SendRequest.newBuilder().setFrom("support").setTo("+" + user)
                .setText(Text.newBuilder().setBody("our offer")).build()).getId();
        ConsentRecord r = awaitState(user, ConsentState.OPTED_OUT);
        assertThat(r.getCurrent().getSource()).isEqualTo(ConsentSource.CONSENT_SOURCE_META_131050);
        assertThat(r.getCurrent().getMessageId()).isEqualTo(id);
        Message m = f.appliance.outbox().get(id);
        assertThat(m.getState()).isEqualTo(State.FAILED);
    }

    @Test
    void userPreferencesWebhook_stopAndResume() throws Exception {
        String user = "16505550301";
        long t = f.now() / 1000;
        assertThat(postUserPreference(user, "stop", t, "User requested to stop marketing messages")).isEqualTo(200);
        ConsentRecord out = awaitState(user, ConsentState.OPTED_OUT);
        assertThat(out.getCurrent().getSource()).isEqualTo(ConsentSource.CONSENT_SOURCE_USER_PREFERENCES);
        assertThat(out.getCurrent().getNote()).isEqualTo("User requested to stop marketing messages");
        assertThat(out.getCurrent().getAt().getSeconds()).isEqualTo(t);
        assertThat(postUserPreference(user, "resume", t + 60, "User requested to resume marketing messages"))
                .isEqualTo(200);
        awaitState(user, ConsentState.OPTED_IN);
        // a late redelivery of an older stop does not undo the newer resume
        assertThat(postUserPreference(user, "stop", t + 30, "late")).isEqualTo(200);
        await().atMost(WAIT).until(() -> f.appliance.consentFollower().cursor() > f.appliance.eventLog().head());
        assertThat(f.appliance.consent().get(PolicyFixture.NUMBER_ID, user).orElseThrow().getCurrent().getState())
                .isEqualTo(ConsentState.OPTED_IN);
    }

    @Test
    void marketingToOptedOutUser_isRefused_withReasonAndMetaCode_utilityAndOthersPass() {
        f.consent().set(SetConsentRequest.newBuilder().setNumber("support").setUser("16505550401")
                .setState(ConsentState.OPTED_OUT).setNote("asked by phone").build());
        SendPolicy policy = new SendPolicy(List.of(new ConsentCheck(f.appliance.consent(), false)));
        NumberConfig support = f.config.findNumber("support").orElseThrow();
        SendRequest template = SendRequest.newBuilder().setFrom("support").setTo("+16505550401")
                .setTemplate(Template.newBuilder().setName("spring_sale").setLanguage("en_US")).build();
        SendContext marketing = new SendContext(template, support, "", f.now())
                .withTemplate(new TemplateInfo("spring_sale", "en_US", TemplateInfo.Category.MARKETING));
        assertThatThrownBy(() -> policy.check(marketing)).isInstanceOfSatisfying(PolicyException.class, e -> {
            assertThat(e.kind()).isEqualTo(PolicyException.Kind.PRECONDITION);
            assertThat(e.reason()).isEqualTo("OPTED_OUT");
            assertThat(e.metaCode()).isEqualTo(131050);
            assertThat(e.getMessage()).contains("user +16505550401 opted out of marketing messages from number support on ")
                    .contains("through the API (asked by phone)").contains("'spring_sale' (en_US)");
            StatusRuntimeException s = ErrorMapper.toStatus(e);
            assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            ErrorInfo info = errorInfo(s);
            assertThat(info.getReason()).isEqualTo("OPTED_OUT");
            assertThat(info.getMetadataMap()).containsEntry("meta_code", "131050");
        });
        SendContext utility = new SendContext(template, support, "", f.now())
                .withTemplate(new TemplateInfo("order_update", "en_US", TemplateInfo.Category.UTILITY));
        assertThat(policy.check(utility)).isSameAs(utility);
        SendContext unknown = new SendContext(template, support, "", f.now());
        assertThat(policy.check(unknown)).isSameAs(unknown);
        SendContext otherUser = new SendContext(template.toBuilder().setTo("16505550402").build(), support, "",
                f.now()).withTemplate(new TemplateInfo("spring_sale", "en_US", TemplateInfo.Category.MARKETING));
        assertThat(policy.check(otherUser)).isSameAs(otherUser);
        // a keyword opt-in lifts it
        f.meta.injectInbound(InboundSpec.text("16505550401", "START"));
        awaitState("16505550401", ConsentState.OPTED_IN);
        assertThat(policy.check(marketing)).isSameAs(marketing);
    }

    @Test
    void requireOptIn_refusesMarketingWithoutAnOptIn() {
        SendPolicy policy = new SendPolicy(List.of(new ConsentCheck(f.appliance.consent(), true)));
        NumberConfig support = f.config.findNumber("support").orElseThrow();
        SendRequest template = SendRequest.newBuilder().setFrom("support").setTo("16505550501")
                .setTemplate(Template.newBuilder().setName("spring_sale").setLanguage("en_US")).build();
        SendContext marketing = new SendContext(template, support, "", f.now())
                .withTemplate(new TemplateInfo("spring_sale", "en_US", TemplateInfo.Category.MARKETING));
        assertThatThrownBy(() -> policy.check(marketing)).isInstanceOfSatisfying(PolicyException.class, e -> {
            assertThat(e.reason()).isEqualTo("NO_OPT_IN");
            assertThat(e.getMessage()).contains("16505550501").contains("require_opt_in_for_marketing");
        });
        SendContext auth = new SendContext(template, support, "", f.now())
                .withTemplate(new TemplateInfo("otp", "en_US", TemplateInfo.Category.AUTHENTICATION));
        assertThat(policy.check(auth)).isSameAs(auth);
        f.consent().set(SetConsentRequest.newBuilder().setNumber("support").setUser("16505550501")
                .setState(ConsentState.OPTED_IN).build());
        assertThat(policy.check(marketing)).isSameAs(marketing);
    }

    private ConsentRecord awaitState(String user, ConsentState state) {
        await().atMost(WAIT).until(() -> f.appliance.consent().get(PolicyFixture.NUMBER_ID, user)
                .map(r -> r.getCurrent().getState() == state).orElse(false));
        return f.consent().get(GetConsentRequest.newBuilder().setNumber("support").setUser(user).build());
    }

    private int postUserPreference(String user, String value, long seconds, String detail) throws Exception {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"time\":"
                + seconds + ",\"changes\":[{\"field\":\"user_preferences\",\"value\":{\"messaging_product\":\"whatsapp\","
                + "\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"" + PolicyFixture.NUMBER_ID
                + "\"},\"contacts\":[{\"profile\":{\"name\":\"Sheena\"},\"wa_id\":\"" + user + "\"}],"
                + "\"user_preferences\":[{\"wa_id\":\"" + user + "\",\"detail\":\"" + detail + "\","
                + "\"category\":\"marketing_messages\",\"value\":\"" + value + "\",\"timestamp\":" + seconds + "}]}}]}]}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(io.wagate.TestAppliance.APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        HttpRequest req = HttpRequest.newBuilder(URI.create(f.webhookUri().toString()))
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static StatusRuntimeException invalid(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            return e;
        }
        throw new AssertionError("expected INVALID_ARGUMENT");
    }

    private static List<String> violations(StatusRuntimeException e) {
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        return s.getDetailsList().stream().filter(a -> a.is(BadRequest.class)).map(a -> {
            try {
                return a.unpack(BadRequest.class);
            } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
            }
        }).flatMap(b -> b.getFieldViolationsList().stream()).map(v -> v.getField() + ": " + v.getDescription())
                .collect(Collectors.toList());
    }

    private static ErrorInfo errorInfo(StatusRuntimeException e) {
        Optional<ErrorInfo> info = StatusProto.fromThrowable(e).getDetailsList().stream()
                .filter(a -> a.is(ErrorInfo.class)).map(a -> {
                    try {
                        return a.unpack(ErrorInfo.class);
                    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                        throw new AssertionError(ex);
                    }
                }).findFirst();
        return info.orElseThrow();
    }
}
