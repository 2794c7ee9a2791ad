package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The template verdicts of the rule table on {@code POST /messages} with policy rules on: one case
 * per rule and code, the details naming the template, component and parameter; valid sends pass.
 */
class SandboxTemplateSendTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "tok";

    SandboxEmulator sandbox;

    @BeforeEach
    void start() {
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN).withPolicyRules()
                .withTemplates(SampleTemplates.all())
                .withTemplates(SandboxTemplate.fromJson("""
                        {"name":"draft","language":"en_US","category":"UTILITY","status":"PENDING",
                         "components":[{"type":"BODY","text":"draft"}]}"""),
                        SandboxTemplate.fromJson("""
                        {"name":"refused","language":"en_US","category":"UTILITY","status":"REJECTED",
                         "components":[{"type":"BODY","text":"refused"}]}"""),
                        SandboxTemplate.fromJson("""
                        {"name":"tired","language":"en_US","category":"MARKETING","status":"PAUSED",
                         "components":[{"type":"BODY","text":"tired"}]}"""),
                        SandboxTemplate.fromJson("""
                        {"name":"gone","language":"en_US","category":"MARKETING","status":"DISABLED",
                         "components":[{"type":"BODY","text":"gone"}]}"""),
                        SandboxTemplate.fromJson("""
                        {"name":"titled","language":"en_US","category":"UTILITY",
                         "components":[{"type":"HEADER","format":"TEXT","text":"Dear {{1}}"},
                                       {"type":"BODY","text":"Body without variables"},
                                       {"type":"BUTTONS","buttons":[{"type":"URL","text":"Site","url":"https://x.example/"},
                                                                    {"type":"PHONE_NUMBER","text":"Call","phone_number":"+15550001111"}]}]}""")));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    SandboxHttp.Response send(String template) throws Exception {
        String json = "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"template\",\"template\":"
                + template + "}";
        return SandboxHttp.post(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/messages", TOKEN, json, Duration.ofSeconds(5));
    }

    static String t(String name, String language, String components) {
        return "{\"name\":\"" + name + "\",\"language\":{\"code\":\"" + language + "\"}"
                + (components == null ? "" : ",\"components\":" + components) + "}";
    }

    static final String ORDER_OK = "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"A1\"},"
            + "{\"type\":\"text\",\"text\":\"shipped\"}]}]";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown name                 | nope                 | en_US | -                                                                                   | 132001 | 404 | template 'nope' (en_US) does not exist
            name without that language   | order_update         | fr_FR | -                                                                                   | 132001 | 404 | no fr_FR translation
            pending                      | draft                | en_US | -                                                                                   | 132001 | 404 | is PENDING
            rejected                     | refused              | en_US | -                                                                                   | 132001 | 404 | is REJECTED
            paused                       | tired                | en_US | -                                                                                   | 132015 | 400 | is paused
            disabled                     | gone                 | en_US | -                                                                                   | 132016 | 400 | is disabled
            a footer component           | hello_world          | en_US | [{"type":"footer","parameters":[]}]                                                 | 132000 | 400 | has no counterpart
            header the template lacks    | order_update         | en_US | [{"type":"header","parameters":[{"type":"text","text":"x"}]},{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}] | 132000 | 400 | header has no counterpart
            body twice                   | order_update         | en_US | [{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}] | 132000 | 400 | body is given twice
            button of another type       | spring_sale          | en_US | [{"type":"button","sub_type":"quick_reply","index":"0","parameters":[]}]            | 132000 | 400 | button quick_reply at index 0
            button index out of range    | appointment_reminder | en_US | [{"type":"button","sub_type":"quick_reply","index":"5","parameters":[]}]            | 132000 | 400 | index 5
            too few body parameters      | order_update         | en_US | [{"type":"body","parameters":[{"type":"text","text":"A1"}]}]                        | 132000 | 400 | body expects 2 parameters, got 1
            too many body parameters     | order_update         | en_US | [{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"text","text":"c"}]}] | 132000 | 400 | body expects 2 parameters, got 3
            no components at all         | order_update         | en_US | -                                                                                   | 132000 | 400 | body expects 2 parameters and the send has no body
            parameter for a static body  | hello_world          | en_US | [{"type":"body","parameters":[{"type":"text","text":"x"}]}]                         | 132000 | 400 | body expects 0 parameters, got 1
            media header missing         | spring_sale          | en_US | [{"type":"body","parameters":[{"type":"text","text":"20%"}]},{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"s"}]}] | 132000 | 400 | header expects 1 parameter
            url button missing           | spring_sale          | en_US | [{"type":"header","parameters":[{"type":"image","image":{"link":"https://x.example/a.jpg"}}]},{"type":"body","parameters":[{"type":"text","text":"20%"}]}] | 132000 | 400 | button[0] expects 1 parameter
            copy code button missing     | login_code           | en_US | [{"type":"body","parameters":[{"type":"text","text":"123456"}]}]                    | 132000 | 400 | button[0] expects 1 parameter
            text header missing          | titled               | en_US | -                                                                                   | 132000 | 400 | header expects 1 parameter
            quick reply two payloads     | appointment_reminder | en_US | [{"type":"body","parameters":[{"type":"text","parameter_name":"first_name","text":"Ana"},{"type":"text","parameter_name":"time","text":"9"}]},{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"a"},{"type":"payload","payload":"b"}]}] | 132000 | 400 | button[0] expects 0 or 1 parameters, got 2
            named without names          | appointment_reminder | en_US | [{"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"9"}]}] | 132012 | 400 | body parameter 1 needs a parameter_name
            named unknown name           | appointment_reminder | en_US | [{"type":"body","parameters":[{"type":"text","parameter_name":"first_name","text":"Ana"},{"type":"text","parameter_name":"hour","text":"9"}]}] | 132012 | 400 | body parameter 'hour' is not a variable
            named duplicate name         | appointment_reminder | en_US | [{"type":"body","parameters":[{"type":"text","parameter_name":"first_name","text":"Ana"},{"type":"text","parameter_name":"first_name","text":"9"}]}] | 132012 | 400 | lacks parameter 'time'
            name in a positional template| order_update         | en_US | [{"type":"body","parameters":[{"type":"text","parameter_name":"order","text":"A1"},{"type":"text","text":"b"}]}] | 132012 | 400 | body parameter 1 has parameter_name 'order'
            image in a body              | order_update         | en_US | [{"type":"body","parameters":[{"type":"text","text":"A1"},{"type":"image","image":{"link":"https://x.example/a.jpg"}}]}] | 132012 | 400 | body parameter 2 is of type 'image'
            video for an image header    | spring_sale          | en_US | [{"type":"header","parameters":[{"type":"video","video":{"link":"https://x.example/a.mp4"}}]},{"type":"body","parameters":[{"type":"text","text":"20%"}]},{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"s"}]}] | 132012 | 400 | header parameter 1 is of type 'video', expected image
            payload for a url button     | spring_sale          | en_US | [{"type":"header","parameters":[{"type":"image","image":{"link":"https://x.example/a.jpg"}}]},{"type":"body","parameters":[{"type":"text","text":"20%"}]},{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"payload","payload":"s"}]}] | 132012 | 400 | button[0] parameter 1 is of type 'payload', expected text
            text for a copy code button  | login_code           | en_US | [{"type":"body","parameters":[{"type":"text","text":"123456"}]},{"type":"button","sub_type":"copy_code","index":"0","parameters":[{"type":"text","text":"123456"}]}] | 132012 | 400 | expected coupon_code
            text for a quick reply       | appointment_reminder | en_US | [{"type":"body","parameters":[{"type":"text","parameter_name":"time","text":"9"},{"type":"text","parameter_name":"first_name","text":"Ana"}]},{"type":"button","sub_type":"quick_reply","index":"1","parameters":[{"type":"text","text":"x"}]}] | 132012 | 400 | button[1] parameter 1 is of type 'text', expected payload
            """)
    void templateSend_breakingARule_isRefusedWithItsCode(String what, String name, String language, String components,
                                                          int code, int http, String detail) throws Exception {
        SandboxHttp.Response r = send(t(name, language, components.equals("-") ? null : components));

        assertThat(r.status()).as("%s", r.body()).isEqualTo(http);
        assertThat(r.code()).isEqualTo(code);
        String details = r.body().path("error").path("error_data").path("details").asText();
        assertThat(details).contains(detail).contains("'" + name + "' (" + language + ")");
        assertThat(r.body().path("error").path("message").asText()).startsWith("(#" + code + ")");
        assertThat(sandbox.receivedCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no variables, no components   | hello_world          | en_US | -
            positional text, currency     | order_update         | en_US | [{"type":"body","parameters":[{"type":"currency","currency":{"fallback_value":"$5","code":"USD","amount_1000":5000}},{"type":"date_time","date_time":{"fallback_value":"today"}}]}]
            another language              | order_update         | es_ES | [{"type":"body","parameters":[{"type":"text","text":"A1"},{"type":"text","text":"enviado"}]}]
            named in any order, quick rep | appointment_reminder | en_US | [{"type":"body","parameters":[{"type":"text","parameter_name":"time","text":"9"},{"type":"text","parameter_name":"first_name","text":"Ana"}]},{"type":"button","sub_type":"quick_reply","index":"1","parameters":[{"type":"payload","payload":"R"}]}]
            media header, url button      | spring_sale          | en_US | [{"type":"header","parameters":[{"type":"image","image":{"link":"https://x.example/a.jpg"}}]},{"type":"body","parameters":[{"type":"text","text":"20%"}]},{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"s"}]}]
            copy code                     | login_code           | en_US | [{"type":"body","parameters":[{"type":"text","text":"123456"}]},{"type":"button","sub_type":"copy_code","index":"0","parameters":[{"type":"coupon_code","coupon_code":"123456"}]}]
            text header, static buttons   | titled               | en_US | [{"type":"header","parameters":[{"type":"text","text":"Ana"}]}]
            """)
    void templateSend_followingTheRules_isAccepted(String what, String name, String language, String components)
            throws Exception {
        SandboxHttp.Response r = send(t(name, language, components.equals("-") ? null : components));

        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        assertThat(r.body().path("messages").get(0).path("message_status").asText()).isEqualTo("accepted");
        assertThat(sandbox.receivedCount()).isEqualTo(1);
    }

    @Test
    void templateVerdicts_followTheCatalogue_whenAStatusChanges() throws Exception {
        assertThat(send(t("order_update", "en_US", ORDER_OK)).status()).isEqualTo(200);
        sandbox.templates().setStatus(null, "order_update", "en_US", "PAUSED", null);
        assertThat(send(t("order_update", "en_US", ORDER_OK)).code()).isEqualTo(132015);
        sandbox.templates().setStatus(null, "order_update", "en_US", "APPROVED", null);
        assertThat(send(t("order_update", "en_US", ORDER_OK)).status()).isEqualTo(200);
    }

    @Test
    void templatesOfAnotherWaba_areUnknownToThisNumber() throws Exception {
        sandbox.registerNumber("106540352240000", "t2", "109000000000777");
        String json = "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"template\",\"template\":"
                + t("hello_world", "en_US", null) + "}";

        SandboxHttp.Response r = SandboxHttp.post(sandbox.baseUrl(), "/v25.0/106540352240000/messages", "t2", json,
                Duration.ofSeconds(5));

        assertThat(r.code()).isEqualTo(132001);
    }

    @Test
    void withRulesOff_anyTemplateIsAccepted() throws Exception {
        sandbox.policy().setOptions(sandbox.policy().options().withRules(false));

        assertThat(send(t("nope", "xx", null)).status()).isEqualTo(200);
        assertThat(send(t("gone", "en_US", null)).status()).isEqualTo(200);
    }
}
