package io.wagate.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wagate.TestAppliance;
import io.wagate.api.v1.Contact;
import io.wagate.api.v1.Contacts;
import io.wagate.api.v1.Currency;
import io.wagate.api.v1.DateTime;
import io.wagate.api.v1.Interactive;
import io.wagate.api.v1.Location;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.Reaction;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendResponse;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.ReceivedMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every content type goes from gRPC through the outbox, the dispatcher and the Cloud API client
 * to the emulator, which must receive exactly Meta's JSON for it. Expected JSON is written out
 * by hand from the reference, not produced by our mapper.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendContentRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private TestAppliance t;

    @BeforeAll
    void start() {
        t = TestAppliance.start(dir);
    }

    @AfterAll
    void stop() {
        t.close();
    }

    static Stream<Arguments> contents() {
        Media link = Media.newBuilder().setLink("https://example.com/a.jpg").setCaption("A cat").build();
        return Stream.of(
                Arguments.of("text", base().setText(Text.newBuilder().setBody("Hello https://wagate.io").setPreviewUrl(true)),
                        "{\"type\":\"text\",\"text\":{\"body\":\"Hello https://wagate.io\",\"preview_url\":true}}"),
                Arguments.of("image by link", base().setImage(link),
                        "{\"type\":\"image\",\"image\":{\"link\":\"https://example.com/a.jpg\",\"caption\":\"A cat\"}}"),
                Arguments.of("audio by id", base().setAudio(Media.newBuilder().setId("1234567890")),
                        "{\"type\":\"audio\",\"audio\":{\"id\":\"1234567890\"}}"),
                Arguments.of("video", base().setVideo(Media.newBuilder().setId("55").setCaption("clip")),
                        "{\"type\":\"video\",\"video\":{\"id\":\"55\",\"caption\":\"clip\"}}"),
                Arguments.of("document", base().setDocument(Media.newBuilder().setLink("https://example.com/i.pdf")
                                .setFilename("invoice.pdf").setCaption("Your invoice")),
                        "{\"type\":\"document\",\"document\":{\"link\":\"https://example.com/i.pdf\","
                                + "\"caption\":\"Your invoice\",\"filename\":\"invoice.pdf\"}}"),
                Arguments.of("sticker", base().setSticker(Media.newBuilder().setId("777")),
                        "{\"type\":\"sticker\",\"sticker\":{\"id\":\"777\"}}"),
                Arguments.of("location", base().setLocation(Location.newBuilder().setLatitude(37.48)
                                .setLongitude(-122.14).setName("HQ").setAddress("1 Hacker Way")),
                        "{\"type\":\"location\",\"location\":{\"latitude\":37.48,\"longitude\":-122.14,"
                                + "\"name\":\"HQ\",\"address\":\"1 Hacker Way\"}}"),
                Arguments.of("contacts", base().setContacts(Contacts.newBuilder().addContacts(Contact.newBuilder()
                                .setName(Contact.Name.newBuilder().setFormattedName("Ana Lima").setFirstName("Ana"))
                                .addPhones(Contact.Phone.newBuilder().setPhone("+5511999999999").setType("CELL")))),
                        "{\"type\":\"contacts\",\"contacts\":[{\"name\":{\"formatted_name\":\"Ana Lima\","
                                + "\"first_name\":\"Ana\"},\"phones\":[{\"phone\":\"+5511999999999\",\"type\":\"CELL\"}]}]}"),
                Arguments.of("reply buttons", base().setInteractive(Interactive.newBuilder()
                                .setHeader(Interactive.Header.newBuilder().setText("Order 42"))
                                .setBody("Confirm?").setFooter("Shop")
                                .setButtons(Interactive.Buttons.newBuilder()
                                        .addButtons(Interactive.ReplyButton.newBuilder().setId("yes").setTitle("Yes"))
                                        .addButtons(Interactive.ReplyButton.newBuilder().setId("no").setTitle("No")))),
                        "{\"type\":\"interactive\",\"interactive\":{\"type\":\"button\","
                                + "\"header\":{\"type\":\"text\",\"text\":\"Order 42\"},\"body\":{\"text\":\"Confirm?\"},"
                                + "\"footer\":{\"text\":\"Shop\"},\"action\":{\"buttons\":["
                                + "{\"type\":\"reply\",\"reply\":{\"id\":\"yes\",\"title\":\"Yes\"}},"
                                + "{\"type\":\"reply\",\"reply\":{\"id\":\"no\",\"title\":\"No\"}}]}}}"),
                Arguments.of("list", base().setInteractive(Interactive.newBuilder().setBody("Pick a slot")
                                .setList(Interactive.List.newBuilder().setButton("Slots")
                                        .addSections(Interactive.Section.newBuilder().setTitle("Monday")
                                                .addRows(Interactive.Row.newBuilder().setId("mon-9").setTitle("9:00")
                                                        .setDescription("Morning"))))),
                        "{\"type\":\"interactive\",\"interactive\":{\"type\":\"list\",\"body\":{\"text\":\"Pick a slot\"},"
                                + "\"action\":{\"button\":\"Slots\",\"sections\":[{\"title\":\"Monday\",\"rows\":["
                                + "{\"id\":\"mon-9\",\"title\":\"9:00\",\"description\":\"Morning\"}]}]}}}"),
                Arguments.of("cta url", base().setInteractive(Interactive.newBuilder().setBody("Track it")
                                .setCtaUrl(Interactive.CtaUrl.newBuilder().setDisplayText("Track")
                                        .setUrl("https://example.com/t/42"))),
                        "{\"type\":\"interactive\",\"interactive\":{\"type\":\"cta_url\",\"body\":{\"text\":\"Track it\"},"
                                + "\"action\":{\"name\":\"cta_url\",\"parameters\":{\"display_text\":\"Track\","
                                + "\"url\":\"https://example.com/t/42\"}}}}"),
                Arguments.of("reaction", base().setReaction(Reaction.newBuilder().setMessageId("wamid.ABC").setEmoji("👍")),
                        "{\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.ABC\",\"emoji\":\"👍\"}}"),
                Arguments.of("named template", base().setTemplate(Template.newBuilder().setName("order_confirmation")
                                .setLanguage("en_US")
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.HEADER)
                                        .addParameters(TemplateParameter.newBuilder()
                                                .setImage(Media.newBuilder().setId("321"))))
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BODY)
                                        .addParameters(TemplateParameter.newBuilder().setName("first_name").setText("Jessica"))
                                        .addParameters(TemplateParameter.newBuilder().setName("total").setCurrency(
                                                Currency.newBuilder().setFallbackValue("$10.99").setCode("USD")
                                                        .setAmount1000(10990)))
                                        .addParameters(TemplateParameter.newBuilder().setName("when").setDateTime(
                                                DateTime.newBuilder().setFallbackValue("May 1"))))
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BUTTON)
                                        .setSubType(TemplateComponent.ButtonSubType.URL).setIndex(0)
                                        .addParameters(TemplateParameter.newBuilder().setText("SB-1001")))
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BUTTON)
                                        .setSubType(TemplateComponent.ButtonSubType.QUICK_REPLY).setIndex(1)
                                        .addParameters(TemplateParameter.newBuilder().setPayload("TRACK")))),
                        "{\"type\":\"template\",\"template\":{\"name\":\"order_confirmation\",\"language\":{\"code\":\"en_US\"},"
                                + "\"components\":["
                                + "{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"id\":\"321\"}}]},"
                                + "{\"type\":\"body\",\"parameters\":["
                                + "{\"type\":\"text\",\"parameter_name\":\"first_name\",\"text\":\"Jessica\"},"
                                + "{\"type\":\"currency\",\"parameter_name\":\"total\",\"currency\":"
                                + "{\"fallback_value\":\"$10.99\",\"code\":\"USD\",\"amount_1000\":10990}},"
                                + "{\"type\":\"date_time\",\"parameter_name\":\"when\",\"date_time\":{\"fallback_value\":\"May 1\"}}]},"
                                + "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"SB-1001\"}]},"
                                + "{\"type\":\"button\",\"sub_type\":\"quick_reply\",\"index\":\"1\",\"parameters\":"
                                + "[{\"type\":\"payload\",\"payload\":\"TRACK\"}]}]}}"));
    }

    private static SendRequest.Builder base() {
        return SendRequest.newBuilder().setFrom("support").setTo("+16505551234");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contents")
    void everyContentType_reachesMetaAsItsJson(String name, SendRequest.Builder request, String expectedContent)
            throws Exception {
        String to = "+1650555" + String.format("%04d", Math.abs(name.hashCode()) % 10000);
        SendResponse r = t.messages().send(request.setTo(to).setReplyTo("wamid.QUOTED").setCallbackData("crm-7").build());
        assertThat(r.getState()).isEqualTo(State.ACCEPTED);

        ReceivedMessage got = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> t.meta.received(TestAppliance.NUMBER_ID).stream()
                        .filter(m -> m.body().path("biz_opaque_callback_data").asText().contains(r.getId()))
                        .findFirst().orElse(null), m -> m != null);

        ObjectNode expected = (ObjectNode) JSON.readTree(expectedContent);
        expected.put("messaging_product", "whatsapp");
        expected.put("recipient_type", "individual");
        expected.put("to", to);
        expected.putObject("context").put("message_id", "wamid.QUOTED");
        expected.put("biz_opaque_callback_data", "wg1:" + r.getId() + ":crm-7");
        JsonNode body = got.body();
        assertThat(body).isEqualTo(expected);

        Message m = Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> t.messages().get(io.wagate.api.v1.GetMessageRequest.newBuilder().setId(r.getId()).build()),
                        x -> x.getState() == State.SUBMITTED);
        assertThat(m.getWamid()).isEqualTo(got.wamid());
        assertThat(m.getAttempts()).isEqualTo(1);
        assertThat(m.getRequest()).isEqualTo(request.build());
    }
}
