package io.wagate.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.util.Durations;
import io.wagate.api.v1.Contact;
import io.wagate.api.v1.Contacts;
import io.wagate.api.v1.Interactive;
import io.wagate.api.v1.Location;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.Reaction;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import io.wagate.api.v1.Text;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SendRequestValidatorTest {
    private static final SendRequestValidator VALIDATOR = new SendRequestValidator(new ApplianceConfig(
            ApplianceConfig.Mode.SANDBOX, Path.of("/tmp/x"), null, null,
            List.of(new NumberConfig("support", "111", null, null)), null, null, null, null));

    private static SendRequest.Builder to() {
        return SendRequest.newBuilder().setFrom("support").setTo("+16505551234");
    }

    private static Interactive.ReplyButton button(String id, String title) {
        return Interactive.ReplyButton.newBuilder().setId(id).setTitle(title).build();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of(to().setText(Text.newBuilder().setBody("")), List.of("text.body")),
                Arguments.of(to().setText(Text.newBuilder().setBody("😀".repeat(4097))), List.of("text.body")),
                Arguments.of(to().setAudio(Media.newBuilder().setId("1").setCaption("no")), List.of("audio.caption")),
                Arguments.of(to().setImage(Media.newBuilder().setLink("ftp://x/a.png")), List.of("image.link")),
                Arguments.of(to().setImage(Media.newBuilder().setId("1").setFilename("a.png")), List.of("image.filename")),
                Arguments.of(to().setSticker(Media.newBuilder()), List.of("sticker")),
                Arguments.of(to().setLocation(Location.newBuilder().setLatitude(91).setLongitude(-181)),
                        List.of("location.latitude", "location.longitude")),
                Arguments.of(to().setContacts(Contacts.newBuilder()), List.of("contacts.contacts")),
                Arguments.of(to().setContacts(Contacts.newBuilder().addContacts(Contact.newBuilder())),
                        List.of("contacts.contacts[0].name.formatted_name")),
                Arguments.of(to().setReaction(Reaction.newBuilder().setEmoji("👍")), List.of("reaction.message_id")),
                Arguments.of(to().setInteractive(Interactive.newBuilder().setBody("b")), List.of("interactive.action")),
                Arguments.of(to().setInteractive(Interactive.newBuilder().setBody("b").setButtons(
                        Interactive.Buttons.newBuilder().addButtons(button("1", "Same")).addButtons(button("2", "Same")))),
                        List.of("interactive.buttons.buttons[1].title")),
                Arguments.of(to().setInteractive(Interactive.newBuilder().setBody("b")
                                .setHeader(Interactive.Header.newBuilder().setImage(Media.newBuilder().setId("1")))
                                .setList(Interactive.List.newBuilder().setButton("Pick").addSections(
                                        Interactive.Section.newBuilder().addRows(Interactive.Row.newBuilder()
                                                .setId("r").setTitle("a row title longer than 24"))))),
                        List.of("interactive.header", "interactive.list.sections[0].rows[0].title")),
                Arguments.of(to().setInteractive(Interactive.newBuilder().setBody("b").setCtaUrl(
                        Interactive.CtaUrl.newBuilder().setDisplayText("Open").setUrl("javascript:alert(1)"))),
                        List.of("interactive.cta_url.url")),
                Arguments.of(to().setTemplate(Template.newBuilder()), List.of("template.name", "template.language")),
                Arguments.of(to().setTemplate(Template.newBuilder().setName("hello").setLanguage("en_US")
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BODY)
                                        .addParameters(TemplateParameter.newBuilder().setName("a").setText("x"))
                                        .addParameters(TemplateParameter.newBuilder().setText("y")))),
                        List.of("template.components")),
                Arguments.of(to().setTemplate(Template.newBuilder().setName("hello").setLanguage("en_US")
                                .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BUTTON)
                                        .addParameters(TemplateParameter.newBuilder()))),
                        List.of("template.components[0].sub_type", "template.components[0].parameters[0]")),
                Arguments.of(to().setText(Text.newBuilder().setBody("x")).setIdempotencyKey("k".repeat(129))
                        .setCallbackData("c".repeat(257)), List.of("idempotency_key", "callback_data")),
                Arguments.of(to().setText(Text.newBuilder().setBody("x")).setValidity(Durations.fromSeconds(0)),
                        List.of("validity")),
                Arguments.of(to().setTo("+0123").setText(Text.newBuilder().setBody("x")), List.of("to")),
                Arguments.of(to().setFrom("").setText(Text.newBuilder().setBody("x")), List.of("from")));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badRequest_namesEveryBrokenField(SendRequest.Builder request, List<String> fields) {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                () -> VALIDATOR.validate(request.build()));
        assertThat(e).isNotNull();
        assertThat(e.violations().stream().map(FieldViolation::field).collect(Collectors.toList()))
                .containsExactlyInAnyOrderElementsOf(fields);
        assertThat(e.violations()).allSatisfy(v -> assertThat(v.description()).isNotBlank());
    }

    @ParameterizedTest
    @MethodSource("goodRequests")
    void goodRequest_resolvesNumberAndValidity(SendRequest.Builder request, Duration validity) {
        SendRequestValidator.Validated v = VALIDATOR.validate(request.build());
        assertThat(v.number().phoneNumberId()).isEqualTo("111");
        assertThat(v.validity()).isEqualTo(validity);
    }

    static Stream<Arguments> goodRequests() {
        return Stream.of(
                Arguments.of(to().setText(Text.newBuilder().setBody("😀".repeat(4096))), Duration.ofHours(24)),
                Arguments.of(to().setFrom("111").setTo("US.ENT.13491208655302741918")
                        .setText(Text.newBuilder().setBody("x")).setValidity(Durations.fromDays(30)), Duration.ofDays(30)),
                Arguments.of(to().setTemplate(Template.newBuilder().setName("otp").setLanguage("pt_BR")
                        .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.HEADER)
                                .addParameters(TemplateParameter.newBuilder().setImage(Media.newBuilder().setId("9"))))
                        .addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BODY)
                                .addParameters(TemplateParameter.newBuilder().setName("code").setText("123456")))),
                        Duration.ofHours(24)));
    }
}
