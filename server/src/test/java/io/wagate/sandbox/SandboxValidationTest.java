package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wagate.sandbox.SandboxHttp.Response;
import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Meta's validation of §1.3, one case per rule, each with the exact code Meta answers. */
class SandboxValidationTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "EAAG-validation";
    static final String PATH = "/v25.0/" + NUMBER + "/messages";
    static final Object REMOVE = new Object();

    static final String TEXT = """
            {"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234",
             "type":"text","text":{"body":"hi","preview_url":true}}""";
    static final String IMAGE = """
            {"messaging_product":"whatsapp","to":"+16505551234","type":"image",
             "image":{"link":"https://example.com/a.jpg","caption":"c"}}""";
    static final String AUDIO = """
            {"messaging_product":"whatsapp","to":"+16505551234","type":"audio","audio":{"id":"1234"}}""";
    static final String DOCUMENT = """
            {"messaging_product":"whatsapp","to":"+16505551234","type":"document",
             "document":{"id":"1234","caption":"c","filename":"a.pdf"}}""";
    static final String BUTTON = """
            {"messaging_product":"whatsapp","to":"+16505551234","type":"interactive","interactive":{
              "type":"button","header":{"type":"text","text":"Header"},"body":{"text":"Body"},
              "footer":{"text":"Footer"},"action":{"buttons":[
                {"type":"reply","reply":{"id":"yes","title":"Yes"}},
                {"type":"reply","reply":{"id":"no","title":"No"}}]}}}""";
    static final String LIST = """
            {"messaging_product":"whatsapp","to":"+16505551234","type":"interactive","interactive":{
              "type":"list","header":{"type":"text","text":"Header"},"body":{"text":"Body"},
              "action":{"button":"Choose","sections":[
                {"title":"One","rows":[{"id":"a","title":"A","description":"first"}]},
                {"title":"Two","rows":[{"id":"b","title":"B"}]}]}}}""";
    static final String CTA = """
            {"messaging_product":"whatsapp","to":"+16505551234","type":"interactive","interactive":{
              "type":"cta_url","body":{"text":"Body"},"action":{"name":"cta_url",
              "parameters":{"display_text":"Open","url":"https://example.com"}}}}""";
    static final String REACTION = """
            {"messaging_product":"whatsapp","to":"+16505551234","type":"reaction",
             "reaction":{"message_id":"wamid.ABC","emoji":"👍"}}""";
    static final String LOCATION = """
            {"messaging_product":"whatsapp","to":"+16505551234","type":"location",
             "location":{"latitude":37.48,"longitude":-122.14,"name":"HQ"}}""";
    static final String CONTACTS = """
            {"messaging_product":"whatsapp","to":"+16505551234","type":"contacts",
             "contacts":[{"name":{"formatted_name":"Ana B","first_name":"Ana"}}]}""";
    static final String TEMPLATE = """
            {"messaging_product":"whatsapp","to":"+16505551234","type":"template",
             "template":{"name":"hello","language":{"code":"en_US"},
              "components":[{"type":"button","sub_type":"quick_reply","index":"0",
                             "parameters":[{"type":"payload","payload":"P"}]}]}}""";
    static final String MARK_READ = """
            {"messaging_product":"whatsapp","status":"read","message_id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgA="}""";

    static SandboxEmulator sandbox;
    static URI base;

    @BeforeAll
    static void start() {
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN));
        base = sandbox.baseUrl();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.clearReceived();
    }

    static Stream<Arguments> validBodies() {
        return Stream.of(TEXT, IMAGE, AUDIO, DOCUMENT, BUTTON, LIST, CTA, REACTION, LOCATION, CONTACTS, TEMPLATE,
                        with(TEXT, "/text/body", "x".repeat(4096)),
                        with(TEXT, "/text/body", "😀".repeat(4096)),
                        with(with(TEXT, "/to", REMOVE), "/recipient", "US.13491208655302741918"),
                        with(TEXT, "/type", REMOVE),
                        with(IMAGE, "/image/caption", "c".repeat(1024)),
                        with(BUTTON, "/interactive/action/buttons", buttons(3, 20)),
                        with(BUTTON, "/interactive/header", parse("{\"type\":\"image\",\"image\":{\"id\":\"9\"}}")),
                        with(LIST, "/interactive/body/text", "b".repeat(4096)),
                        with(LIST, "/interactive/action/sections", sections(10, 1)),
                        with(REACTION, "/reaction/emoji", ""))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("validBodies")
    void send_validBody_isAccepted(Object body) throws Exception {
        Response r = SandboxHttp.post(base, PATH, TOKEN, body);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        assertThat(sandbox.receivedCount()).isEqualTo(1);
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                // envelope
                bad("messaging_product missing", with(TEXT, "/messaging_product", REMOVE), 131008),
                bad("messaging_product not whatsapp", with(TEXT, "/messaging_product", "sms"), 131009),
                bad("recipient_type unknown", with(TEXT, "/recipient_type", "crowd"), 131009),
                bad("to and recipient missing", with(TEXT, "/to", REMOVE), 131008),
                bad("to not a phone number", with(TEXT, "/to", "alice"), 131009),
                bad("recipient not a BSUID", with(with(TEXT, "/to", REMOVE), "/recipient", "user-1"), 131009),
                bad("context without message_id", with(TEXT, "/context", parse("{}")), 131008),
                bad("callback data over 512", with(TEXT, "/biz_opaque_callback_data", "d".repeat(513)), 100),
                bad("type unknown", with(TEXT, "/type", "carrier_pigeon"), 131009),
                bad("type object missing", with(TEXT, "/text", REMOVE), 131008),
                // text
                bad("text body empty", with(TEXT, "/text/body", ""), 131008),
                bad("text body over 4096", with(TEXT, "/text/body", "x".repeat(4097)), 100),
                bad("text preview_url not boolean", with(TEXT, "/text/preview_url", "yes"), 131009),
                // media
                bad("image caption over 1024", with(IMAGE, "/image/caption", "c".repeat(1025)), 100),
                bad("audio with caption", with(AUDIO, "/audio/caption", "c"), 100),
                bad("sticker with caption", with(with(with(AUDIO, "/type", "sticker"), "/sticker",
                        parse("{\"id\":\"1\",\"caption\":\"c\"}")), "/audio", REMOVE), 100),
                bad("image with filename", with(IMAGE, "/image/filename", "a.jpg"), 100),
                bad("image with id and link", with(IMAGE, "/image/id", "1234"), 131009),
                bad("image with neither id nor link", with(IMAGE, "/image/link", REMOVE), 131008),
                bad("image link not http(s)", with(IMAGE, "/image/link", "ftp://example.com/a.jpg"), 131009),
                bad("document caption over 1024", with(DOCUMENT, "/document/caption", "c".repeat(1025)), 100),
                // interactive button
                bad("button count 4", with(BUTTON, "/interactive/action/buttons", buttons(4, 5)), 131009),
                bad("button count 0", with(BUTTON, "/interactive/action/buttons", buttons(0, 5)), 131009),
                bad("button title over 20", with(BUTTON, "/interactive/action/buttons/0/reply/title", "t".repeat(21)), 100),
                bad("button title missing", with(BUTTON, "/interactive/action/buttons/0/reply/title", REMOVE), 131008),
                bad("button titles not unique", with(BUTTON, "/interactive/action/buttons/1/reply/title", "Yes"), 131009),
                bad("button ids not unique", with(BUTTON, "/interactive/action/buttons/1/reply/id", "yes"), 131009),
                bad("button id over 256", with(BUTTON, "/interactive/action/buttons/0/reply/id", "i".repeat(257)), 100),
                bad("button type not reply", with(BUTTON, "/interactive/action/buttons/0/type", "url"), 131009),
                bad("button body over 1024", with(BUTTON, "/interactive/body/text", "b".repeat(1025)), 100),
                bad("interactive body missing", with(BUTTON, "/interactive/body", REMOVE), 131008),
                bad("footer over 60", with(BUTTON, "/interactive/footer/text", "f".repeat(61)), 100),
                bad("header text over 60", with(BUTTON, "/interactive/header/text", "h".repeat(61)), 100),
                bad("interactive type unknown", with(BUTTON, "/interactive/type", "carousel_x"), 131009),
                bad("interactive action missing", with(BUTTON, "/interactive/action", REMOVE), 131008),
                // interactive list
                bad("list button over 20", with(LIST, "/interactive/action/button", "b".repeat(21)), 100),
                bad("list button missing", with(LIST, "/interactive/action/button", REMOVE), 131008),
                bad("list sections 11", with(LIST, "/interactive/action/sections", sections(11, 0)), 131009),
                bad("list rows 11 in total", with(LIST, "/interactive/action/sections", sections(2, 6)), 131009),
                bad("list section title over 24", with(LIST, "/interactive/action/sections/0/title", "s".repeat(25)), 100),
                bad("list section title missing with 2 sections", with(LIST, "/interactive/action/sections/1/title", REMOVE), 131008),
                bad("list row title over 24", with(LIST, "/interactive/action/sections/0/rows/0/title", "r".repeat(25)), 100),
                bad("list row description over 72", with(LIST, "/interactive/action/sections/0/rows/0/description", "d".repeat(73)), 100),
                bad("list row id over 200", with(LIST, "/interactive/action/sections/0/rows/0/id", "i".repeat(201)), 100),
                bad("list row ids not unique", with(LIST, "/interactive/action/sections/1/rows/0/id", "a"), 131009),
                bad("list body over 4096", with(LIST, "/interactive/body/text", "b".repeat(4097)), 100),
                bad("list header image", with(LIST, "/interactive/header", parse("{\"type\":\"image\",\"image\":{\"id\":\"9\"}}")), 131009),
                // interactive cta_url
                bad("cta display_text over 20", with(CTA, "/interactive/action/parameters/display_text", "d".repeat(21)), 100),
                bad("cta url not http(s)", with(CTA, "/interactive/action/parameters/url", "javascript:alert(1)"), 131009),
                bad("cta url missing", with(CTA, "/interactive/action/parameters/url", REMOVE), 131008),
                bad("cta action name wrong", with(CTA, "/interactive/action/name", "open"), 131009),
                // others
                bad("reaction without message_id", with(REACTION, "/reaction/message_id", REMOVE), 131008),
                bad("location latitude over 90", with(LOCATION, "/location/latitude", 91.0), 131009),
                bad("location longitude under -180", with(LOCATION, "/location/longitude", -180.5), 131009),
                bad("location latitude missing", with(LOCATION, "/location/latitude", REMOVE), 131008),
                bad("location latitude not a number", with(LOCATION, "/location/latitude", "north"), 131009),
                bad("contacts without formatted_name", with(CONTACTS, "/contacts/0/name/formatted_name", REMOVE), 131008),
                bad("contacts empty", with(CONTACTS, "/contacts", parse("[]")), 131008),
                bad("template without name", with(TEMPLATE, "/template/name", REMOVE), 131008),
                bad("template without language code", with(TEMPLATE, "/template/language/code", REMOVE), 131008),
                bad("template button without sub_type", with(TEMPLATE, "/template/components/0/sub_type", REMOVE), 131008),
                bad("template component type unknown", with(TEMPLATE, "/template/components/0/type", "sidebar"), 131009),
                // mark read
                bad("mark read with non-wamid id", with(MARK_READ, "/message_id", "12345"), 131009),
                bad("mark read without message_id", with(MARK_READ, "/message_id", REMOVE), 131008),
                bad("mark read with other status", with(MARK_READ, "/status", "delivered"), 131009),
                bad("mark read with unknown typing indicator", with(MARK_READ, "/typing_indicator", parse("{\"type\":\"audio\"}")), 131009));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("invalidBodies")
    void send_invalidBody_answersMetaCode(String rule, JsonNode body, int code) throws Exception {
        Response r = SandboxHttp.post(base, PATH, TOKEN, body);

        assertThat(r.status()).isEqualTo(400);
        JsonNode e = r.body().path("error");
        assertThat(e.path("code").asInt()).as("%s", r.body()).isEqualTo(code);
        assertThat(e.path("message").asText()).startsWith("(#" + code + ") ");
        assertThat(e.at("/error_data/messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(e.at("/error_data/details").asText()).isNotBlank();
        assertThat(e.path("fbtrace_id").asText()).hasSizeBetween(23, 27);
        assertThat(sandbox.receivedCount()).isZero();
        assertThat(sandbox.markedRead()).isEmpty();
    }

    private static Arguments bad(String rule, JsonNode body, int code) {
        return Arguments.of(rule, body, code);
    }

    private static JsonNode parse(String json) {
        try {
            return SandboxHttp.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** A copy of {@code base} with the value at {@code pointer} replaced (or removed for REMOVE). */
    static JsonNode with(Object base, String pointer, Object value) {
        JsonNode root = (base instanceof String s ? parse(s) : (JsonNode) base).deepCopy();
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = root.at(p.head());
        String last = p.last().getMatchingProperty();
        JsonNode v = value == REMOVE ? null : SandboxHttp.JSON.valueToTree(value);
        if (parent instanceof ObjectNode o) {
            if (v == null) {
                o.remove(last);
            } else {
                o.set(last, v);
            }
        } else if (parent instanceof ArrayNode a) {
            int i = Integer.parseInt(last);
            if (v == null) {
                a.remove(i);
            } else {
                a.set(i, v);
            }
        } else {
            throw new IllegalArgumentException("no parent for " + pointer);
        }
        return root;
    }

    private static ArrayNode buttons(int count, int titleLength) {
        ArrayNode arr = SandboxHttp.JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            String title = (i + "t".repeat(titleLength)).substring(0, titleLength);
            arr.addObject().put("type", "reply").putObject("reply").put("id", "id" + i).put("title", title);
        }
        return arr;
    }

    private static ArrayNode sections(int count, int rowsEach) {
        ArrayNode arr = SandboxHttp.JSON.createArrayNode();
        int row = 0;
        for (int s = 0; s < count; s++) {
            ObjectNode section = arr.addObject().put("title", "S" + s);
            ArrayNode rows = section.putArray("rows");
            for (int r = 0; r < Math.max(rowsEach, 1); r++) {
                rows.addObject().put("id", "row" + row).put("title", "Row " + row);
                row++;
            }
        }
        return arr;
    }
}
