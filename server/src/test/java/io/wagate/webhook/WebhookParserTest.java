package io.wagate.webhook;

import static io.wagate.webhook.WebhookSamples.PHONE_NUMBER_ID;
import static io.wagate.webhook.WebhookSamples.WABA_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.InboundMedia;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.StatusUpdate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookParserTest {

    private final WebhookParser parser = new WebhookParser(NumberAliases.of(Map.of(PHONE_NUMBER_ID, "support")));

    private List<Event> parse(String sample) {
        return parser.parse(WebhookSamples.bytes(sample));
    }

    private InboundMessage inbound(String sample) {
        List<Event> events = parse(sample);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getKind()).isEqualTo(EventKind.INBOUND_MESSAGE);
        return events.get(0).getInbound();
    }

    private static List<Event> parseJson(String json) {
        return new WebhookParser(id -> java.util.Optional.empty()).parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void text_fillsEnvelopeSenderContextAndRawJson() throws IOException {
        Event e = parse("text.json").get(0);
        assertThat(e.getId()).isEqualTo("in:wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUZCRDE0MDAx");
        assertThat(e.getNumber()).isEqualTo("support");
        assertThat(e.getPhoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(e.getWabaId()).isEqualTo(WABA_ID);
        assertThat(e.getUser()).isEqualTo("16505551234");
        assertThat(e.getOccurredAt().getSeconds()).isEqualTo(1749416383L);
        assertThat(e.getOffset()).isZero();
        assertThat(e.hasStoredAt()).isFalse();
        InboundMessage m = e.getInbound();
        assertThat(m.getType()).isEqualTo("text");
        assertThat(m.getText().getBody()).isEqualTo("Does it come in another color?");
        assertThat(m.getFrom()).isEqualTo("16505551234");
        assertThat(m.getUserId()).isEqualTo("US.13491208655302741918");
        assertThat(m.getProfileName()).isEqualTo("Sheena Nelson");
        assertThat(m.getSentAt().getSeconds()).isEqualTo(1749416383L);
        assertThat(m.getContext().getFrom()).isEqualTo("15550783881");
        assertThat(m.getContext().getId()).isEqualTo("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA");
        assertThat(m.getContext().getForwarded()).isTrue();
        assertThat(m.getContext().getFrequentlyForwarded()).isFalse();
        JsonNode raw = WebhookJson.MAPPER.readTree(m.getRawJson());
        JsonNode sent = WebhookJson.MAPPER.readTree(WebhookSamples.bytes("text.json"))
                .at("/entry/0/changes/0/value/messages/0");
        assertThat(raw).isEqualTo(sent);
    }

    @Test
    void unconfiguredNumber_isStoredWithEmptyAlias() {
        Event e = new WebhookParser(id -> java.util.Optional.empty()).parse(WebhookSamples.bytes("text.json")).get(0);
        assertThat(e.getNumber()).isEmpty();
        assertThat(e.getPhoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
    }

    @Test
    void image_isMediaWithCaptionAndUrl() {
        InboundMedia media = inbound("image.json").getMedia();
        assertThat(media.getMetaMediaId()).isEqualTo("1003383421387256");
        assertThat(media.getMimeType()).isEqualTo("image/jpeg");
        assertThat(media.getSha256()).isEqualTo("Zm9vYmFy");
        assertThat(media.getCaption()).isEqualTo("This is the one");
        assertThat(media.getUrl()).startsWith("https://lookaside.fbsbx.com/");
    }

    @Test
    void audio_voiceNoteIsFlagged() {
        InboundMessage m = inbound("audio_voice.json");
        assertThat(m.getType()).isEqualTo("audio");
        assertThat(m.getMedia().getVoice()).isTrue();
        assertThat(m.getMedia().getMimeType()).isEqualTo("audio/ogg; codecs=opus");
    }

    @Test
    void video_document_sticker_areMedia() {
        assertThat(inbound("video.json").getMedia().getCaption()).isEqualTo("unboxing");
        InboundMedia doc = inbound("document.json").getMedia();
        assertThat(doc.getFilename()).isEqualTo("invoice-2025-06.pdf");
        assertThat(doc.getMimeType()).isEqualTo("application/pdf");
        InboundMessage sticker = inbound("sticker.json");
        assertThat(sticker.getType()).isEqualTo("sticker");
        assertThat(sticker.getMedia().getAnimated()).isTrue();
    }

    @Test
    void location_keepsCoordinatesNameAndAddress() {
        var l = inbound("location.json").getLocation();
        assertThat(l.getLatitude()).isEqualTo(37.48425);
        assertThat(l.getLongitude()).isEqualTo(-122.148141);
        assertThat(l.getName()).isEqualTo("Meta Headquarters");
        assertThat(l.getAddress()).isEqualTo("1 Hacker Way, Menlo Park, CA 94025");
    }

    @Test
    void contacts_mapIntoContactMessages() {
        var contacts = inbound("contacts.json").getContacts().getContactsList();
        assertThat(contacts).hasSize(1);
        var c = contacts.get(0);
        assertThat(c.getName().getFormattedName()).isEqualTo("Barbara J. Johnson");
        assertThat(c.getName().getPrefix()).isEqualTo("Dr.");
        assertThat(c.getPhones(0).getWaId()).isEqualTo("16505551234");
        assertThat(c.getPhones(0).getType()).isEqualTo("WORK");
        assertThat(c.getEmails(0).getEmail()).isEqualTo("bjohnson@example.com");
        assertThat(c.getAddresses(0).getCountryCode()).isEqualTo("us");
        assertThat(c.getOrg().getCompany()).isEqualTo("Example, Inc.");
        assertThat(c.getUrls(0).getUrl()).isEqualTo("https://www.example.com");
        assertThat(c.getBirthday()).isEqualTo("1999-01-23");
    }

    @Test
    void interactive_buttonListAndFlowReplies() {
        var button = inbound("interactive_button_reply.json");
        assertThat(button.getInteractive().getType()).isEqualTo("button_reply");
        assertThat(button.getInteractive().getId()).isEqualTo("yes-please");
        assertThat(button.getInteractive().getTitle()).isEqualTo("Yes");
        assertThat(button.getContext().getId()).isEqualTo("wamid.CONTEXT1");
        var list = inbound("interactive_list_reply.json").getInteractive();
        assertThat(list.getType()).isEqualTo("list_reply");
        assertThat(list.getId()).isEqualTo("row-2");
        assertThat(list.getDescription()).isEqualTo("Ocean blue, size M");
        var flow = inbound("interactive_nfm_reply.json").getInteractive();
        assertThat(flow.getType()).isEqualTo("nfm_reply");
        assertThat(flow.getResponseJson()).isEqualTo("{\"flow_token\":\"AQAAAAACS5FpgQ_cAAAAAD0QI3s\",\"size\":\"M\"}");
    }

    @Test
    void button_reaction_order_system() {
        var button = inbound("button.json").getButton();
        assertThat(button.getPayload()).isEqualTo("STOP_PROMOS");
        assertThat(button.getText()).isEqualTo("Stop promotions");
        var reaction = inbound("reaction.json").getReaction();
        assertThat(reaction.getMessageId()).isEqualTo("wamid.OUTBOUND1");
        assertThat(reaction.getEmoji()).isEqualTo("\uD83D\uDC4D");
        assertThat(inbound("reaction_removed.json").getReaction().getEmoji()).isEmpty();
        var order = inbound("order.json").getOrder();
        assertThat(order.getCatalogId()).isEqualTo("1537019163535232");
        assertThat(order.getText()).isEqualTo("please deliver fast");
        assertThat(order.getProductItemsJson()).contains("\"product_retailer_id\":\"sku-1\"");
        var system = inbound("system.json").getSystem();
        assertThat(system.getType()).isEqualTo("user_changed_number");
        assertThat(system.getNewWaId()).isEqualTo("16505559999");
        assertThat(system.getBody()).startsWith("User A changed");
    }

    @Test
    void requestWelcome_hasTypeAndNoContent() {
        InboundMessage m = inbound("request_welcome.json");
        assertThat(m.getType()).isEqualTo("request_welcome");
        assertThat(m.getContentCase()).isEqualTo(InboundMessage.ContentCase.CONTENT_NOT_SET);
    }

    @Test
    void unsupported_carriesMetasErrors() {
        InboundMessage m = inbound("unsupported.json");
        assertThat(m.getType()).isEqualTo("unsupported");
        assertThat(m.getErrorsList()).hasSize(1);
        assertThat(m.getErrors(0).getCode()).isEqualTo(131051);
        assertThat(m.getErrors(0).getTitle()).isEqualTo("Message type unknown");
        assertThat(m.getErrors(0).getDetails()).isEqualTo("Message type is currently not supported.");
    }

    @Test
    void unknownFutureType_isKeptWithTypeAndRawJson() {
        InboundMessage m = inbound("unknown_type.json");
        assertThat(m.getType()).isEqualTo("poll");
        assertThat(m.getContentCase()).isEqualTo(InboundMessage.ContentCase.CONTENT_NOT_SET);
        assertThat(m.getRawJson()).contains("\"question\":\"Lunch?\"");
    }

    @Test
    void referral_fromClickToWhatsAppAd() {
        var r = inbound("referral.json").getReferral();
        assertThat(r.getSourceType()).isEqualTo("ad");
        assertThat(r.getSourceId()).isEqualTo("6761993251233");
        assertThat(r.getHeadline()).isEqualTo("Summer sale");
        assertThat(r.getBody()).isEqualTo("50% off");
        assertThat(r.getSourceUrl()).isEqualTo("https://fb.me/3cr4Wqqkv");
        assertThat(r.getCtwaClid()).startsWith("ARAkLkA8");
    }

    @Test
    void senderKnownOnlyByBusinessScopedId_isTheEventUser() {
        Event e = parse("bsuid_only.json").get(0);
        assertThat(e.getInbound().getFrom()).isEmpty();
        assertThat(e.getInbound().getUserId()).isEqualTo("US.13491208655302741918");
        assertThat(e.getInbound().getProfileName()).isEqualTo("Ana");
        assertThat(e.getUser()).isEqualTo("US.13491208655302741918");
    }

    @Test
    void nonAsciiEscapes_areDecoded() {
        InboundMessage m = inbound("non_ascii_escaped.json");
        assertThat(m.getText().getBody()).isEqualTo("Grüße aus München, äöü \uD83D\uDE00");
        assertThat(m.getProfileName()).isEqualTo("Jürgen");
    }

    @Test
    void statuses_oneEventEachWithPricingConversationAndOurId() {
        List<Event> events = parse("statuses.json");
        assertThat(events).extracting(Event::getId).containsExactly(
                "st:wamid.OUT1:sent", "st:wamid.OUT1:delivered", "st:wamid.OUT1:read",
                "st:wamid.OUT2:failed", "st:wamid.OUT3:played");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getKind()).isEqualTo(EventKind.STATUS);
            assertThat(e.getUser()).isEqualTo("16505551234");
            assertThat(e.getNumber()).isEqualTo("support");
        });
        StatusUpdate sent = events.get(0).getStatus();
        assertThat(sent.getWamid()).isEqualTo("wamid.OUT1");
        assertThat(sent.getRecipientId()).isEqualTo("16505551234");
        assertThat(sent.getAt().getSeconds()).isEqualTo(1750030073L);
        assertThat(events.get(0).getOccurredAt().getSeconds()).isEqualTo(1750030073L);
        assertThat(sent.getMessageId()).isEqualTo("01JXYZABCDEFG");
        assertThat(sent.getCallbackData()).isEqualTo("order-42");
        assertThat(sent.getPricing().getBillable()).isTrue();
        assertThat(sent.getPricing().getPricingModel()).isEqualTo("PMP");
        assertThat(sent.getPricing().getType()).isEqualTo("regular");
        assertThat(sent.getPricing().getCategory()).isEqualTo("marketing");
        assertThat(sent.getConversationId()).isEqualTo("7f4d2a1c9b3e");
        assertThat(sent.getConversationOrigin()).isEqualTo("marketing");
        assertThat(sent.getConversationExpiresAt().getSeconds()).isEqualTo(1750116473L);
        assertThat(events.get(2).getStatus().getPricing().getType()).isEqualTo("free_customer_service");
        StatusUpdate failed = events.get(3).getStatus();
        assertThat(failed.getAt().getSeconds()).isEqualTo(1750030100L); // a number, not a string
        assertThat(failed.getMessageId()).isEqualTo("01JXYZABCDEFH");
        assertThat(failed.getCallbackData()).isEmpty();
        assertThat(failed.getErrors(0).getCode()).isEqualTo(131049);
        assertThat(failed.getErrors(0).getDetails()).startsWith("In order to maintain");
        StatusUpdate played = events.get(4).getStatus();
        assertThat(played.getMessageId()).isEmpty();
        assertThat(played.getCallbackData()).isEqualTo("crm-7781");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "wg1:ABC|ABC|''",
        "wg1:ABC:|ABC|''",
        "wg1:ABC:x:y|ABC|x:y",
        "wg1:|''|wg1:",
        "wg1::x|''|wg1::x",
        "wg2:ABC|''|wg2:ABC",
        "plain|''|plain",
    })
    void callbackData_splitsOurPrefixOnly(String raw, String messageId, String callback) {
        StatusUpdate.Builder b = StatusUpdate.newBuilder();
        StatusUpdateMapper.setCallback(b, raw);
        assertThat(b.getMessageId()).isEqualTo(messageId);
        assertThat(b.getCallbackData()).isEqualTo(callback);
    }

    @Test
    void webhookErrors_oneEventPerErrorWithContentHashId() {
        Event e = parse("errors.json").get(0);
        assertThat(e.getKind()).isEqualTo(EventKind.WEBHOOK_ERROR);
        assertThat(e.getId()).matches("err:" + PHONE_NUMBER_ID + ":[0-9a-f]{64}");
        assertThat(e.getWebhookError().getErrors(0).getCode()).isEqualTo(131052);
        assertThat(e.getWebhookError().getErrors(0).getDetails()).isEqualTo("Unable to download the media sent by the user.");
        assertThat(e.getUser()).isEmpty();
    }

    @Test
    void errorId_ignoresKeyOrderAndWhitespace() {
        String a = errorsBody("{\"code\":131052,\"title\":\"Media download error\"}");
        String b = errorsBody("{ \"title\" : \"Media download error\",\n \"code\" : 131052 }");
        String c = errorsBody("{\"code\":131053,\"title\":\"Media download error\"}");
        assertThat(parseJson(a).get(0).getId()).isEqualTo(parseJson(b).get(0).getId())
                .isNotEqualTo(parseJson(c).get(0).getId());
    }

    private static String errorsBody(String error) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},\"errors\":[" + error + "]}}]}]}";
    }

    @Test
    void otherField_isAccountUpdateWithValueJson() {
        Event e = parse("account_update.json").get(0);
        assertThat(e.getKind()).isEqualTo(EventKind.ACCOUNT_UPDATE);
        assertThat(e.getId()).matches("acct:message_template_status_update:[0-9a-f]{64}");
        assertThat(e.getWabaId()).isEqualTo(WABA_ID);
        assertThat(e.getOccurredAt().getSeconds()).isEqualTo(1750031000L);
        assertThat(e.getAccountUpdate().getField()).isEqualTo("message_template_status_update");
        assertThat(e.getAccountUpdate().getValueJson()).contains("\"event\":\"APPROVED\"", "\"message_template_id\":12345678");
    }

    @Test
    void batch_entriesAndChangesInOrder() {
        List<Event> events = parse("batch.json");
        assertThat(events).extracting(Event::getKind).containsExactly(
                EventKind.INBOUND_MESSAGE, EventKind.INBOUND_MESSAGE, EventKind.STATUS, EventKind.ACCOUNT_UPDATE);
        assertThat(events.get(3).getWabaId()).isEqualTo("102290129340399");
        assertThat(events.get(3).getNumber()).isEmpty();
    }

    @Test
    void sameBodyTwice_givesSameIds() {
        for (String sample : WebhookSamples.ALL) {
            assertThat(parse(sample)).as(sample).extracting(Event::getId)
                    .isEqualTo(parse(sample).stream().map(Event::getId).toList())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void oddMessageShape_isStoredWithTypeAndRawJsonInsteadOfRejectingTheWebhook() {
        String body = messagesBody("{\"from\":\"1\",\"id\":\"wamid.X\",\"type\":\"text\",\"text\":\"not an object\"},"
                + "{\"from\":\"1\",\"id\":\"wamid.Y\",\"type\":\"image\",\"image\":{\"id\":{\"nested\":1}}}");
        List<Event> events = parseJson(body);
        assertThat(events).hasSize(2);
        for (Event e : events) {
            assertThat(e.getInbound().getContentCase()).isEqualTo(InboundMessage.ContentCase.CONTENT_NOT_SET);
            assertThat(e.getInbound().getFrom()).isEqualTo("1");
            assertThat(e.getUser()).isEqualTo("1");
        }
        assertThat(events.get(0).getInbound().getType()).isEqualTo("text");
        assertThat(events.get(0).getInbound().getRawJson()).contains("not an object");
        assertThat(events.get(1).getInbound().getType()).isEqualTo("image");
    }

    @Test
    void loneSurrogate_inContentKeepsTheMessageEscaped_inAnIdKeepsTheStatusRaw() throws Exception {
        InboundMessage m = parseJson(messagesBody(
                "{\"from\":\"1\",\"id\":\"w\",\"type\":\"text\",\"text\":{\"body\":\"a\\ud800b\"}}")).get(0).getInbound();
        assertThat(m.getContentCase()).isEqualTo(InboundMessage.ContentCase.CONTENT_NOT_SET);
        assertThat(m.getType()).isEqualTo("text");
        assertThat(m.getRawJson()).contains("a\\uD800b");
        assertThat(InboundMessage.parseFrom(m.toByteArray())).isEqualTo(m);
        Event raw = parseJson(statusBody("{\"id\":\"w\\udc00\",\"status\":\"read\"}")).get(1);
        assertThat(raw.getKind()).isEqualTo(EventKind.UNPARSED);
        assertThat(raw.getUnparsed().getProblem())
                .isEqualTo("entry[0].changes[0].value.statuses[1].id: not valid Unicode (unpaired surrogate)");
        assertThat(raw.getUnparsed().getRawJson()).contains("w\\uDC00");
        assertThat(Event.parseFrom(raw.toByteArray())).isEqualTo(raw);
    }

    @Test
    void oddPartOfAMessage_isLeftOutAndTheRestKept() {
        String body = messagesBody("{\"from\":\"1\",\"id\":\"w\",\"timestamp\":\"yesterday\",\"type\":\"text\","
                + "\"context\":[],\"text\":{\"body\":\"hello\"}}");
        Event e = parseJson(body).get(0);
        assertThat(e.getInbound().getText().getBody()).isEqualTo("hello");
        assertThat(e.getInbound().hasSentAt()).isFalse();
        assertThat(e.getInbound().hasContext()).isFalse();
        assertThat(e.hasOccurredAt()).isFalse();
        assertThat(e.getUser()).isEqualTo("1");
    }

    @Test
    void leniency_timestampsAndBooleansAsStringsOrNumbers() {
        String body = messagesBody("{\"from\":\"1\",\"id\":\"w\",\"timestamp\":1749416383,\"type\":\"audio\","
                + "\"audio\":{\"id\":42,\"voice\":\"true\"}}");
        InboundMessage m = parseJson(body).get(0).getInbound();
        assertThat(m.getSentAt().getSeconds()).isEqualTo(1749416383L);
        assertThat(m.getMedia().getMetaMediaId()).isEqualTo("42");
        assertThat(m.getMedia().getVoice()).isTrue();
    }

    private static String messagesBody(String messages) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},\"messages\":[" + messages + "]}}]}]}";
    }

    private static String statusBody(String status) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},\"statuses\":[{\"id\":\"w\",\"status\":\"sent\"},"
                + status + "]}}]}]}";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|body: empty",
        "'  '|body: empty",
        "{|body: not valid JSON at line 1, column 2",
        "{\"object\":1} x|body: not valid JSON",
        "[]|body: expected an object, got an array",
        "10e65435202727 |body: a number is out of range",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":1e99999999999}]}|body: a number is out of range",
        "\"text\"|body: expected an object, got a string",
        "{}|object: missing",
        "{\"object\":\"page\",\"entry\":[]}|object: must be whatsapp_business_account",
        "{\"object\":\"whatsapp_business_account\"}|entry: missing",
        "{\"object\":\"whatsapp_business_account\",\"entry\":{}}|entry: expected an array, got an object",
    })
    void notAWhatsAppNotification_isRejectedNamingThePlace(String body, String message) {
        assertThatThrownBy(() -> parseJson(body))
                .isInstanceOf(WebhookFormatException.class)
                .hasMessageStartingWith(message);
    }

    /**
     * Below the envelope, a part that cannot be read is kept raw (Meta would otherwise hold back
     * the good items posted with it and retry for 7 days): one UNPARSED event naming the place.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"object\":\"whatsapp_business_account\",\"entry\":[7]}|entry[0]: expected an object, got a number",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{}]}|entry[0].id: missing",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\"}]}|entry[0].changes: missing",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{}]}]}|entry[0].changes[0].field: missing",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\"}]}]}"
                + "|entry[0].changes[0].value: missing",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":{},\"changes\":[]}]}|entry[0].id: expected a string, got an object",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":[]}]}]}"
                + "|entry[0].changes[0].value: expected an object, got an array",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{}}]}]}"
                + "|entry[0].changes[0].value.metadata: missing",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"metadata\":{}}}]}]}|entry[0].changes[0].value.metadata.phone_number_id: missing",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},\"messages\":{}}}]}]}"
                + "|entry[0].changes[0].value.messages: expected an array, got an object",
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},\"messages\":[{\"type\":\"text\"}]}}]}]}"
                + "|entry[0].changes[0].value.messages[0].id: missing",
    })
    void unreadablePart_isKeptRawNamingThePlace(String body, String problem) {
        List<Event> events = parseJson(body);
        assertThat(events).hasSize(1);
        Event e = events.get(0);
        assertThat(e.getKind()).isEqualTo(EventKind.UNPARSED);
        assertThat(e.getUnparsed().getProblem()).startsWith(problem);
        assertThat(problem).startsWith(e.getUnparsed().getPlace());
        assertThat(e.getId()).startsWith("raw:");
        assertThat(parseJson(body)).as("the same item redelivered has the same id").containsExactly(e);
    }

    @Test
    void oddSenderProfiles_areSkippedAndTheMessageKept() {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},\"contacts\":[1],"
                + "\"messages\":[{\"from\":\"1\",\"id\":\"w\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]}}]}]}";
        Event e = parseJson(body).get(0);
        assertThat(e.getKind()).isEqualTo(EventKind.INBOUND_MESSAGE);
        assertThat(e.getInbound().getText().getBody()).isEqualTo("hi");
        assertThat(e.getInbound().getProfileName()).isEmpty();
    }

    @Test
    void oneUnreadableItem_doesNotCostTheOthers() {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":["
                + "{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},"
                + "\"messages\":[{\"from\":\"1\",\"id\":\"w1\",\"type\":\"text\",\"text\":{\"body\":\"a\"}},7,"
                + "{\"from\":\"1\",\"id\":\"w2\",\"type\":\"text\",\"text\":{\"body\":\"b\"}}],"
                + "\"statuses\":[{\"status\":\"read\"},{\"id\":\"w3\",\"status\":\"read\"}]}},"
                + "{\"field\":\"messages\",\"value\":{}}]},"
                + "{\"id\":\"1\",\"changes\":[{\"field\":\"account_alerts\",\"value\":{\"x\":1}}]}]}";
        List<Event> events = parseJson(body);
        assertThat(events).extracting(Event::getKind).containsExactly(EventKind.INBOUND_MESSAGE, EventKind.UNPARSED,
                EventKind.INBOUND_MESSAGE, EventKind.UNPARSED, EventKind.STATUS, EventKind.UNPARSED,
                EventKind.ACCOUNT_UPDATE);
        assertThat(events).extracting(e -> e.getUnparsed().getPlace()).containsExactly("",
                "entry[0].changes[0].value.messages[1]", "", "entry[0].changes[0].value.statuses[0]", "",
                "entry[0].changes[1]", "");
        Event rawStatus = events.get(3);
        assertThat(rawStatus.getPhoneNumberId()).isEqualTo("9");
        assertThat(rawStatus.getWabaId()).isEqualTo("1");
        assertThat(rawStatus.getUnparsed().getField()).isEqualTo("messages");
        assertThat(rawStatus.getUnparsed().getRawJson()).isEqualTo("{\"status\":\"read\"}");
        assertThat(events.stream().map(Event::getId).distinct()).hasSize(events.size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"status\":\"read\"}|entry[0].changes[0].value.statuses[1].id: missing",
        "{\"id\":\"w\"}|entry[0].changes[0].value.statuses[1].status: missing",
        "{\"id\":[\"w\"],\"status\":\"read\"}|entry[0].changes[0].value.statuses[1].id: expected a string, got an array",
        "7|entry[0].changes[0].value.statuses[1]: expected an object, got a number",
    })
    void statusWithoutItsIdentity_isKeptRaw(String status, String problem) {
        List<Event> events = parseJson(statusBody(status));
        assertThat(events.get(0).getKind()).isEqualTo(EventKind.STATUS);
        assertThat(events.get(1).getKind()).isEqualTo(EventKind.UNPARSED);
        assertThat(events.get(1).getUnparsed().getProblem()).isEqualTo(problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"id\":\"w\",\"status\":\"read\",\"timestamp\":\"yesterday\"}|at",
        "{\"id\":\"w\",\"status\":\"read\",\"timestamp\":\"99999999999999\"}|at",
        "{\"id\":\"w\",\"status\":\"read\",\"pricing\":[]}|pricing",
        "{\"id\":\"w\",\"status\":\"read\",\"pricing\":{\"billable\":\"maybe\"}}|pricing",
        "{\"id\":\"w\",\"status\":\"failed\",\"errors\":[{\"code\":\"x\"}]}|errors",
        "{\"id\":\"w\",\"status\":\"failed\",\"errors\":[{\"code\":99999999999}]}|errors",
        "{\"id\":\"w\",\"status\":\"read\",\"conversation\":{\"expiration_timestamp\":\"soon\"}}|conversation",
    })
    void oddOptionalPartOfAStatus_isLeftOutAndTheStatusKept(String status, String leftOut) {
        Event e = parseJson(statusBody(status)).get(1);
        assertThat(e.getKind()).isEqualTo(EventKind.STATUS);
        StatusUpdate st = e.getStatus();
        assertThat(st.getWamid()).isEqualTo("w");
        switch (leftOut) {
            case "at" -> assertThat(st.hasAt()).isFalse();
            case "pricing" -> assertThat(st.hasPricing()).isFalse();
            case "errors" -> assertThat(st.getErrorsList()).isEmpty();
            case "conversation" -> assertThat(st.hasConversationExpiresAt()).isFalse();
            default -> throw new AssertionError(leftOut);
        }
    }

    @Test
    void problemsAndRejections_neverQuoteTheBody() {
        String secretish = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"metadata\":{\"phone_number_id\":\"9\"},\"statuses\":[{\"id\":[\"PERSONAL-DATA\"],\"status\":\"read\"}]}}]}]}";
        assertThat(parseJson(secretish).get(0).getUnparsed().getProblem()).doesNotContain("PERSONAL-DATA");
        assertThatThrownBy(() -> parseJson("{\"PERSONAL-DATA\" oops")).hasMessageNotContaining("PERSONAL-DATA");
    }

    @Test
    void emptyEntryList_givesNoEvents() {
        assertThat(parseJson("{\"object\":\"whatsapp_business_account\",\"entry\":[]}")).isEmpty();
    }
}
