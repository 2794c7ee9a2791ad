package io.wagate.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wagate.api.v1.Contact;
import io.wagate.api.v1.Contacts;
import io.wagate.api.v1.Currency;
import io.wagate.api.v1.DateTime;
import io.wagate.api.v1.Interactive;
import io.wagate.api.v1.Location;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.Reaction;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.ReceivedMessage;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every content type, with every field set, goes through {@link MessagePayloadMapper} and
 * {@link CloudApiClient} to the sandbox, which must accept it; the JSON it recorded must be
 * exactly Meta's.
 */
class MessagePayloadRoundTripTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "EAAG-roundtrip";
    static final String TO = "+16505551234";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ENVELOPE = """
            "messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234",
            "context":{"message_id":"wamid.QUOTED"},"biz_opaque_callback_data":"wg:42\"""";

    static SandboxEmulator sandbox;
    static CloudApiClient client;
    final MessagePayloadMapper mapper = new MessagePayloadMapper();

    @BeforeAll
    static void start() {
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN));
        client = new CloudApiClient(sandbox.baseUrl(), "v25.0", Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.clearReceived();
    }

    static SendRequest.Builder req() {
        return SendRequest.newBuilder().setFrom("support").setTo(TO).setReplyTo("wamid.QUOTED").setCallbackData("ignored");
    }

    static Media id(String id) {
        return Media.newBuilder().setId(id).build();
    }

    static Media link(String link) {
        return Media.newBuilder().setLink(link).build();
    }

    static Arguments tc(String name, SendRequest.Builder req, String expectedContent) {
        return Arguments.of(name, req.build(), "{" + ENVELOPE + "," + expectedContent + "}");
    }

    static TemplateParameter.Builder param() {
        return TemplateParameter.newBuilder();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                tc("text", req().setText(Text.newBuilder().setBody("See https://wagate.io").setPreviewUrl(true)),
                        """
                        "type":"text","text":{"body":"See https://wagate.io","preview_url":true}"""),
                tc("text without preview", req().setText(Text.newBuilder().setBody("plain")),
                        """
                        "type":"text","text":{"body":"plain"}"""),
                tc("image by link with caption", req().setImage(Media.newBuilder().setLink("https://cdn.example.com/a.jpg")
                                .setCaption("Receipt").setFilename("dropped.jpg")),
                        """
                        "type":"image","image":{"link":"https://cdn.example.com/a.jpg","caption":"Receipt"}"""),
                tc("audio by id, caption dropped", req().setAudio(Media.newBuilder().setId("1013859600285441").setCaption("x")),
                        """
                        "type":"audio","audio":{"id":"1013859600285441"}"""),
                tc("video by id with caption", req().setVideo(Media.newBuilder().setId("2222").setCaption("Clip")),
                        """
                        "type":"video","video":{"id":"2222","caption":"Clip"}"""),
                tc("document by link with caption and filename", req().setDocument(Media.newBuilder()
                                .setLink("https://cdn.example.com/i.pdf").setCaption("Invoice").setFilename("invoice-1001.pdf")),
                        """
                        "type":"document","document":{"link":"https://cdn.example.com/i.pdf","caption":"Invoice","filename":"invoice-1001.pdf"}"""),
                tc("sticker by id", req().setSticker(Media.newBuilder().setId("3333").setCaption("dropped")),
                        """
                        "type":"sticker","sticker":{"id":"3333"}"""),
                tc("location", req().setLocation(Location.newBuilder().setLatitude(37.48).setLongitude(-122.14)
                                .setName("Meta HQ").setAddress("1 Hacker Way, Menlo Park, CA 94025")),
                        """
                        "type":"location","location":{"latitude":37.48,"longitude":-122.14,"name":"Meta HQ",
                         "address":"1 Hacker Way, Menlo Park, CA 94025"}"""),
                tc("contacts with every field", req().setContacts(Contacts.newBuilder().addContacts(Contact.newBuilder()
                                .setName(Contact.Name.newBuilder().setFormattedName("Dr. Ana María Gómez Jr.").setFirstName("Ana")
                                        .setLastName("Gómez").setMiddleName("María").setPrefix("Dr.").setSuffix("Jr."))
                                .addPhones(Contact.Phone.newBuilder().setPhone("+1 650 555 1234").setType("WORK").setWaId("16505551234"))
                                .addEmails(Contact.Email.newBuilder().setEmail("ana@example.com").setType("WORK"))
                                .addAddresses(Contact.Address.newBuilder().setStreet("1 Hacker Way").setCity("Menlo Park")
                                        .setState("CA").setZip("94025").setCountry("United States").setCountryCode("us").setType("WORK"))
                                .setOrg(Contact.Org.newBuilder().setCompany("Wagate").setDepartment("Ops").setTitle("SRE"))
                                .addUrls(Contact.Url.newBuilder().setUrl("https://wagate.io").setType("WORK"))
                                .setBirthday("1990-02-25"))),
                        """
                        "type":"contacts","contacts":[{
                          "name":{"formatted_name":"Dr. Ana María Gómez Jr.","first_name":"Ana","last_name":"Gómez",
                                  "middle_name":"María","prefix":"Dr.","suffix":"Jr."},
                          "phones":[{"phone":"+1 650 555 1234","type":"WORK","wa_id":"16505551234"}],
                          "emails":[{"email":"ana@example.com","type":"WORK"}],
                          "addresses":[{"street":"1 Hacker Way","city":"Menlo Park","state":"CA","zip":"94025",
                                        "country":"United States","country_code":"us","type":"WORK"}],
                          "org":{"company":"Wagate","department":"Ops","title":"SRE"},
                          "urls":[{"url":"https://wagate.io","type":"WORK"}],
                          "birthday":"1990-02-25"}]"""),
                tc("interactive buttons with text header", req().setInteractive(Interactive.newBuilder()
                                .setHeader(Interactive.Header.newBuilder().setText("Your order"))
                                .setBody("Confirm delivery?").setFooter("Reply within 24 h")
                                .setButtons(Interactive.Buttons.newBuilder()
                                        .addButtons(Interactive.ReplyButton.newBuilder().setId("yes-1001").setTitle("Yes"))
                                        .addButtons(Interactive.ReplyButton.newBuilder().setId("no-1001").setTitle("No"))
                                        .addButtons(Interactive.ReplyButton.newBuilder().setId("later-1001").setTitle("Later")))),
                        """
                        "type":"interactive","interactive":{"type":"button",
                          "header":{"type":"text","text":"Your order"},"body":{"text":"Confirm delivery?"},
                          "footer":{"text":"Reply within 24 h"},"action":{"buttons":[
                            {"type":"reply","reply":{"id":"yes-1001","title":"Yes"}},
                            {"type":"reply","reply":{"id":"no-1001","title":"No"}},
                            {"type":"reply","reply":{"id":"later-1001","title":"Later"}}]}}"""),
                tc("interactive buttons with image header", req().setInteractive(Interactive.newBuilder()
                                .setHeader(Interactive.Header.newBuilder().setImage(id("4444")))
                                .setBody("Like it?").setButtons(Interactive.Buttons.newBuilder()
                                        .addButtons(Interactive.ReplyButton.newBuilder().setId("y").setTitle("Yes")))),
                        """
                        "type":"interactive","interactive":{"type":"button","header":{"type":"image","image":{"id":"4444"}},
                          "body":{"text":"Like it?"},"action":{"buttons":[{"type":"reply","reply":{"id":"y","title":"Yes"}}]}}"""),
                tc("interactive buttons with video header", req().setInteractive(Interactive.newBuilder()
                                .setHeader(Interactive.Header.newBuilder().setVideo(link("https://cdn.example.com/v.mp4")))
                                .setBody("Watch").setButtons(Interactive.Buttons.newBuilder()
                                        .addButtons(Interactive.ReplyButton.newBuilder().setId("ok").setTitle("OK")))),
                        """
                        "type":"interactive","interactive":{"type":"button",
                          "header":{"type":"video","video":{"link":"https://cdn.example.com/v.mp4"}},
                          "body":{"text":"Watch"},"action":{"buttons":[{"type":"reply","reply":{"id":"ok","title":"OK"}}]}}"""),
                tc("interactive buttons with document header", req().setInteractive(Interactive.newBuilder()
                                .setHeader(Interactive.Header.newBuilder().setDocument(Media.newBuilder().setId("5555").setFilename("terms.pdf")))
                                .setBody("Accept the terms?").setButtons(Interactive.Buttons.newBuilder()
                                        .addButtons(Interactive.ReplyButton.newBuilder().setId("accept").setTitle("Accept")))),
                        """
                        "type":"interactive","interactive":{"type":"button",
                          "header":{"type":"document","document":{"id":"5555","filename":"terms.pdf"}},
                          "body":{"text":"Accept the terms?"},"action":{"buttons":[{"type":"reply","reply":{"id":"accept","title":"Accept"}}]}}"""),
                tc("interactive list", req().setInteractive(Interactive.newBuilder()
                                .setHeader(Interactive.Header.newBuilder().setText("Menu")).setBody("Pick a slot").setFooter("Times in CET")
                                .setList(io.wagate.api.v1.Interactive.List.newBuilder().setButton("Slots")
                                        .addSections(Interactive.Section.newBuilder().setTitle("Monday")
                                                .addRows(Interactive.Row.newBuilder().setId("mon-9").setTitle("09:00").setDescription("Morning"))
                                                .addRows(Interactive.Row.newBuilder().setId("mon-14").setTitle("14:00")))
                                        .addSections(Interactive.Section.newBuilder().setTitle("Tuesday")
                                                .addRows(Interactive.Row.newBuilder().setId("tue-9").setTitle("09:00"))))),
                        """
                        "type":"interactive","interactive":{"type":"list","header":{"type":"text","text":"Menu"},
                          "body":{"text":"Pick a slot"},"footer":{"text":"Times in CET"},
                          "action":{"button":"Slots","sections":[
                            {"title":"Monday","rows":[{"id":"mon-9","title":"09:00","description":"Morning"},
                                                      {"id":"mon-14","title":"14:00"}]},
                            {"title":"Tuesday","rows":[{"id":"tue-9","title":"09:00"}]}]}}"""),
                tc("interactive cta_url", req().setInteractive(Interactive.newBuilder()
                                .setHeader(Interactive.Header.newBuilder().setText("Tracking")).setBody("Your parcel is on its way")
                                .setFooter("Wagate Logistics")
                                .setCtaUrl(Interactive.CtaUrl.newBuilder().setDisplayText("Track").setUrl("https://track.example.com/1001"))),
                        """
                        "type":"interactive","interactive":{"type":"cta_url","header":{"type":"text","text":"Tracking"},
                          "body":{"text":"Your parcel is on its way"},"footer":{"text":"Wagate Logistics"},
                          "action":{"name":"cta_url","parameters":{"display_text":"Track","url":"https://track.example.com/1001"}}}"""),
                tc("reaction", req().setReaction(Reaction.newBuilder().setMessageId("wamid.INBOUND").setEmoji("👍")),
                        """
                        "type":"reaction","reaction":{"message_id":"wamid.INBOUND","emoji":"👍"}"""),
                tc("reaction removed", req().setReaction(Reaction.newBuilder().setMessageId("wamid.INBOUND")),
                        """
                        "type":"reaction","reaction":{"message_id":"wamid.INBOUND","emoji":""}"""),
                tc("template with every parameter kind", req().setTemplate(Template.newBuilder().setName("order_confirmation")
                                .setLanguage("en_US")
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.HEADER)
                                        .addParameters(param().setImage(id("MEDIA1"))))
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BODY)
                                        .addParameters(param().setName("first_name").setText("Jessica"))
                                        .addParameters(param().setName("total").setCurrency(Currency.newBuilder()
                                                .setFallbackValue("$100.99").setCode("USD").setAmount1000(100990)))
                                        .addParameters(param().setName("date").setDateTime(DateTime.newBuilder()
                                                .setFallbackValue("February 25, 1977"))))
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BUTTON)
                                        .setSubType(TemplateComponent.ButtonSubType.URL).setIndex(0)
                                        .addParameters(param().setText("SB-1001")))
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BUTTON)
                                        .setSubType(TemplateComponent.ButtonSubType.QUICK_REPLY).setIndex(1)
                                        .addParameters(param().setPayload("TRACK_SB-1001")))
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BUTTON)
                                        .setSubType(TemplateComponent.ButtonSubType.COPY_CODE).setIndex(2)
                                        .addParameters(param().setCouponCode("SAVE10")))
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BUTTON)
                                        .setSubType(TemplateComponent.ButtonSubType.FLOW).setIndex(3))),
                        """
                        "type":"template","template":{"name":"order_confirmation","language":{"code":"en_US"},"components":[
                          {"type":"header","parameters":[{"type":"image","image":{"id":"MEDIA1"}}]},
                          {"type":"body","parameters":[
                            {"type":"text","parameter_name":"first_name","text":"Jessica"},
                            {"type":"currency","parameter_name":"total",
                             "currency":{"fallback_value":"$100.99","code":"USD","amount_1000":100990}},
                            {"type":"date_time","parameter_name":"date","date_time":{"fallback_value":"February 25, 1977"}}]},
                          {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"SB-1001"}]},
                          {"type":"button","sub_type":"quick_reply","index":"1","parameters":[{"type":"payload","payload":"TRACK_SB-1001"}]},
                          {"type":"button","sub_type":"copy_code","index":"2","parameters":[{"type":"coupon_code","coupon_code":"SAVE10"}]},
                          {"type":"button","sub_type":"flow","index":"3","parameters":[]}]}"""),
                tc("template with video header, positional", req().setTemplate(Template.newBuilder().setName("promo").setLanguage("pt_BR")
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.HEADER)
                                        .addParameters(param().setVideo(link("https://cdn.example.com/p.mp4"))))
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BODY)
                                        .addParameters(param().setText("Ana")).addParameters(param().setText("20%")))),
                        """
                        "type":"template","template":{"name":"promo","language":{"code":"pt_BR"},"components":[
                          {"type":"header","parameters":[{"type":"video","video":{"link":"https://cdn.example.com/p.mp4"}}]},
                          {"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"20%"}]}]}"""),
                tc("template with document header", req().setTemplate(Template.newBuilder().setName("invoice").setLanguage("en")
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.HEADER)
                                        .addParameters(param().setDocument(Media.newBuilder().setId("6666").setFilename("inv.pdf"))))),
                        """
                        "type":"template","template":{"name":"invoice","language":{"code":"en"},"components":[
                          {"type":"header","parameters":[{"type":"document","document":{"id":"6666","filename":"inv.pdf"}}]}]}"""),
                tc("template without components", req().setTemplate(Template.newBuilder().setName("hello_world").setLanguage("en_US")),
                        """
                        "type":"template","template":{"name":"hello_world","language":{"code":"en_US"}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void send_everyContentType_reachesSandboxAsMetaJson(String name, SendRequest req, String expected) throws Exception {
        SendResult result = client.sendMessage(NUMBER, TOKEN, mapper.toJson(req, TO, "wg:42")).get();

        assertThat(result).as("%s", result).isInstanceOf(SendResult.Accepted.class);
        SendResult.Accepted accepted = (SendResult.Accepted) result;
        assertThat(accepted.wamid()).startsWith("wamid.");
        assertThat(accepted.waId()).isEqualTo("16505551234");
        assertThat(accepted.messageStatus()).isEqualTo(req.hasTemplate() ? "accepted" : null);
        List<ReceivedMessage> got = sandbox.awaitReceived(1, Duration.ofSeconds(5));
        assertThat(got).singleElement().satisfies(m -> {
            assertThat(m.body()).isEqualTo(JSON.readTree(expected));
            assertThat(m.wamid()).isEqualTo(accepted.wamid());
        });
    }

    @Test
    void send_toBusinessScopedUserId_usesRecipientField() throws Exception {
        SendRequest req = SendRequest.newBuilder().setTo("US.13491208655302741918")
                .setText(Text.newBuilder().setBody("hi")).build();

        SendResult result = client.sendMessage(NUMBER, TOKEN, mapper.toJson(req, "US.13491208655302741918", null)).get();

        assertThat(result).isInstanceOf(SendResult.Accepted.class);
        JsonNode body = sandbox.awaitReceived(1, Duration.ofSeconds(5)).get(0).body();
        assertThat(body).isEqualTo(JSON.readTree("""
                {"messaging_product":"whatsapp","recipient_type":"individual","recipient":"US.13491208655302741918",
                 "type":"text","text":{"body":"hi"}}"""));
    }

    @Test
    void markRead_withTyping_isAcknowledgedAndRecorded() throws Exception {
        String wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=";

        SendResult result = client.markRead(NUMBER, TOKEN, mapper.markRead(wamid, true)).get();

        assertThat(result).isEqualTo(new SendResult.Acknowledged());
        assertThat(sandbox.markedRead()).singleElement().satisfies(m -> assertThat(m.body()).isEqualTo(JSON.readTree(
                "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\"" + wamid
                        + "\",\"typing_indicator\":{\"type\":\"text\"}}")));
    }

    @Test
    void markRead_withoutTyping_omitsIndicator() {
        assertThat(mapper.markRead("wamid.X", false).has("typing_indicator")).isFalse();
    }

    @Test
    void toJson_withoutContent_isRejected() {
        assertThatThrownBy(() -> mapper.toJson(SendRequest.newBuilder().setTo(TO).build(), TO, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isBusinessScopedUserId_tellsIdsFromPhoneNumbers() {
        assertThat(MessagePayloadMapper.isBusinessScopedUserId("US.13491208655302741918")).isTrue();
        assertThat(MessagePayloadMapper.isBusinessScopedUserId("US.ENT.13491208655302741918")).isTrue();
        assertThat(MessagePayloadMapper.isBusinessScopedUserId("+16505551234")).isFalse();
        assertThat(MessagePayloadMapper.isBusinessScopedUserId("16505551234")).isFalse();
        assertThat(MessagePayloadMapper.isBusinessScopedUserId("us.1234")).isFalse();
    }
}
