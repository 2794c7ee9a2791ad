package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Meta's template management endpoints over real sockets: create, list and page, get, edit, delete, and bad input. */
class SandboxTemplateEndpointsTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "tok";
    static final String OTHER_NUMBER = "106540352242999";
    static final String OTHER_TOKEN = "other";
    static final String OTHER_WABA = "109000000000777";
    static final String WABA = SandboxOptions.DEFAULT_WABA_ID;
    static final String LIST = "/v25.0/" + WABA + "/message_templates";

    WebhookReceiver receiver;
    SandboxEmulator sandbox;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN)
                .withNumber(OTHER_NUMBER, OTHER_TOKEN, OTHER_WABA)
                .withWebhooks(WebhookOptions.to(receiver.uri(), WebhookReceiver.SECRET))
                .withTemplates(SampleTemplates.all()));
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    SandboxHttp.Response call(String method, String path, String token, String json) throws Exception {
        return SandboxHttp.graph(sandbox.baseUrl(), method, path, token, json);
    }

    static String create(String name, String language, String category, String components) {
        return "{\"name\":\"" + name + "\",\"language\":\"" + language + "\",\"category\":\"" + category
                + "\",\"components\":" + components + "}";
    }

    @Test
    void create_isPending_listedAndReadable_andNoWebhookUntilReviewed() throws Exception {
        SandboxHttp.Response r = call("POST", LIST, TOKEN, create("shipping_notice", "en_US", "UTILITY",
                "[{\"type\":\"BODY\",\"text\":\"Parcel {{1}} ships {{2}}\"}]"));

        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        String id = r.body().path("id").asText();
        assertThat(id).matches("[0-9]{15}");
        assertThat(r.body().path("status").asText()).isEqualTo("PENDING");
        assertThat(r.body().path("category").asText()).isEqualTo("UTILITY");
        SandboxHttp.Response got = call("GET", "/v25.0/" + id, TOKEN, null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body().path("name").asText()).isEqualTo("shipping_notice");
        assertThat(got.body().path("parameter_format").asText()).isEqualTo("POSITIONAL");
        assertThat(got.body().path("components").get(0).path("text").asText()).isEqualTo("Parcel {{1}} ships {{2}}");
        SandboxHttp.Response statusOnly = call("GET", "/v25.0/" + id + "?fields=status", TOKEN, null);
        assertThat(statusOnly.body().toString()).isEqualTo("{\"status\":\"PENDING\",\"id\":\"" + id + "\"}");
        assertThat(sandbox.awaitWebhooksIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(receiver.posts()).isEmpty();
    }

    @Test
    void create_withAutoApprove_isApprovedAtOnce_andPostsTheStatusWebhook() throws Exception {
        sandbox.policy().setOptions(sandbox.policy().options().withAutoApprove(true));
        SandboxHttp.Response r = call("POST", LIST, TOKEN, "{\"name\":\"greeting\",\"language\":\"en\","
                + "\"category\":\"marketing\",\"parameter_format\":\"named\",\"components\":[{\"type\":\"body\","
                + "\"text\":\"Hi {{first_name}}\"}]}");

        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("APPROVED");
        assertThat(r.body().path("category").asText()).isEqualTo("MARKETING");
        assertThat(sandbox.awaitWebhooksIdle(Duration.ofSeconds(5))).isTrue();
        JsonNode post = receiver.posts().get(0).json();
        JsonNode entry = post.path("entry").get(0);
        assertThat(entry.path("id").asText()).isEqualTo(WABA);
        JsonNode change = entry.path("changes").get(0);
        assertThat(change.path("field").asText()).isEqualTo("message_template_status_update");
        assertThat(change.path("value").toString()).isEqualTo("{\"event\":\"APPROVED\",\"message_template_id\":"
                + r.body().path("id").asText() + ",\"message_template_name\":\"greeting\","
                + "\"message_template_language\":\"en\",\"reason\":null}");
        assertThat(receiver.posts().get(0).signatureValid()).isTrue();
        assertThat(sandbox.templates().find(WABA, "greeting", "en").orElseThrow().parameterFormat()).isEqualTo("NAMED");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            uppercase name        | {"name":"Promo","language":"en_US","category":"MARKETING","components":[{"type":"BODY","text":"x"}]}                   | Param name
            name with a dash      | {"name":"my-promo","language":"en_US","category":"MARKETING","components":[{"type":"BODY","text":"x"}]}                | Param name
            no name               | {"language":"en_US","category":"MARKETING","components":[{"type":"BODY","text":"x"}]}                                  | parameter name is required
            no category           | {"name":"p","language":"en_US","components":[{"type":"BODY","text":"x"}]}                                              | parameter category is required
            unknown category      | {"name":"p","language":"en_US","category":"PROMO","components":[{"type":"BODY","text":"x"}]}                           | Param category
            bad language          | {"name":"p","language":"english","category":"UTILITY","components":[{"type":"BODY","text":"x"}]}                       | Param language
            bad parameter format  | {"name":"p","language":"en","category":"UTILITY","parameter_format":"MIXED","components":[{"type":"BODY","text":"x"}]} | Param parameter_format
            no components         | {"name":"p","language":"en","category":"UTILITY"}                                                                      | parameter components is required
            components not array  | {"name":"p","language":"en","category":"UTILITY","components":{"type":"BODY"}}                                         | non-empty array
            no body               | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"FOOTER","text":"x"}]}                          | must contain a BODY
            two bodies            | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"x"},{"type":"BODY","text":"y"}]} | at most one BODY
            empty body text       | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":""}]}                             | components[0].text is required
            unknown component     | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"x"},{"type":"CAROUSEL"}]}        | components[1].type
            footer variable       | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"x"},{"type":"FOOTER","text":"{{1}}"}]} | FOOTER cannot have variables
            malformed variable    | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{first name}}"}]}            | malformed variable
            unbalanced braces     | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{1}"}]}                      | unbalanced
            named in positional   | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{name}}"}]}                  | named variable {{name}} in a POSITIONAL
            positional in named   | {"name":"p","language":"en","category":"UTILITY","parameter_format":"NAMED","components":[{"type":"BODY","text":"Hi {{1}}"}]} | positional variable {{1}} in a NAMED
            positional gap        | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"{{1}} and {{3}}"}]}             | without gaps
            named repeated        | {"name":"p","language":"en","category":"UTILITY","parameter_format":"NAMED","components":[{"type":"BODY","text":"{{a}} {{a}}"}]} | names must be unique
            bad header format     | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"HEADER","format":"GIF"},{"type":"BODY","text":"x"}]} | components[0].format
            two header variables  | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"HEADER","format":"TEXT","text":"{{1}} {{2}}"},{"type":"BODY","text":"x"}]} | at most one variable
            url variable inside   | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"x"},{"type":"BUTTONS","buttons":[{"type":"URL","text":"Go","url":"https://x.example/{{1}}/y"}]}]} | one variable, at its end
            unknown button        | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"x"},{"type":"BUTTONS","buttons":[{"type":"CALL"}]}]} | buttons[0].type
            copy code no example  | {"name":"p","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"x"},{"type":"BUTTONS","buttons":[{"type":"COPY_CODE"}]}]} | buttons[0].example is required
            unknown field         | {"name":"p","language":"en","category":"UTILITY","colour":"red","components":[{"type":"BODY","text":"x"}]}             | 'colour'
            """)
    void create_badPayload_isGraphError100NamingTheField_andNothingIsStored(String what, String json, String detail)
            throws Exception {
        int before = sandbox.templates().list().size();

        SandboxHttp.Response r = call("POST", LIST, TOKEN, json);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(100);
        assertThat(r.body().path("error").path("error_data").path("details").asText()).contains(detail);
        assertThat(sandbox.templates().list()).hasSize(before);
    }

    @Test
    void create_nameAndLanguageThatExist_isRefused_butAnotherLanguageIsNot() throws Exception {
        SandboxHttp.Response dup = call("POST", LIST, TOKEN, create("order_update", "en_US", "UTILITY",
                "[{\"type\":\"BODY\",\"text\":\"x\"}]"));
        SandboxHttp.Response other = call("POST", LIST, TOKEN, create("order_update", "pt_BR", "UTILITY",
                "[{\"type\":\"BODY\",\"text\":\"Pedido {{1}}\"}]"));

        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.code()).isEqualTo(100);
        assertThat(dup.body().path("error").path("error_subcode").asInt()).isEqualTo(2388024);
        assertThat(dup.body().path("error").path("error_data").path("details").asText()).contains("already exists");
        assertThat(other.status()).isEqualTo(200);
    }

    @Test
    void list_pagesWithCursors_andNextUrl_untilTheEnd() throws Exception {
        List<String> names = new ArrayList<>();
        String path = LIST + "?limit=2&fields=name,language";
        int pages = 0;
        while (path != null) {
            SandboxHttp.Response r = call("GET", path, TOKEN, null);
            assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
            JsonNode data = r.body().path("data");
            assertThat(data.size()).isBetween(1, 2);
            for (JsonNode t : data) {
                names.add(t.path("name").asText() + "/" + t.path("language").asText());
                assertThat(t.has("components")).isFalse();
                assertThat(t.path("id").asText()).isNotEmpty();
            }
            JsonNode paging = r.body().path("paging");
            assertThat(paging.path("cursors").path("after").asText()).isNotEmpty();
            path = paging.has("next") ? URI.create(paging.path("next").asText()).getRawPath() + "?"
                    + URI.create(paging.path("next").asText()).getRawQuery() : null;
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("hello_world/en_US", "order_update/en_US", "order_update/es_ES",
                "appointment_reminder/en_US", "spring_sale/en_US", "login_code/en_US");
    }

    @Test
    void list_afterCursor_andFilters() throws Exception {
        SandboxHttp.Response first = call("GET", LIST + "?limit=1", TOKEN, null);
        String after = first.body().path("paging").path("cursors").path("after").asText();
        SandboxHttp.Response second = call("GET", LIST + "?limit=1&after=" + after, TOKEN, null);
        sandbox.templates().setStatus(null, "spring_sale", "en_US", "PAUSED", null);
        SandboxHttp.Response paused = call("GET", LIST + "?status=paused,disabled", TOKEN, null);
        SandboxHttp.Response named = call("GET", LIST + "?name=order", TOKEN, null);
        SandboxHttp.Response marketing = call("GET", LIST + "?category=MARKETING&language=en_US", TOKEN, null);

        assertThat(first.body().path("data").get(0).path("name").asText()).isEqualTo("hello_world");
        assertThat(first.body().path("paging").has("next")).isTrue();
        assertThat(second.body().path("data").get(0).path("name").asText()).isEqualTo("order_update");
        assertThat(paused.body().path("data")).hasSize(1);
        assertThat(paused.body().path("data").get(0).path("status").asText()).isEqualTo("PAUSED");
        assertThat(named.body().path("data")).hasSize(2);
        assertThat(named.body().path("paging").has("next")).isFalse();
        assertThat(marketing.body().path("data")).hasSize(1);
    }

    @Test
    void list_beforeCursor_givesThePreviousPage() throws Exception {
        SandboxHttp.Response third = call("GET", LIST + "?limit=2&after="
                + call("GET", LIST + "?limit=2", TOKEN, null).body().path("paging").path("cursors").path("after").asText()
                + "&fields=name", TOKEN, null);
        String before = third.body().path("paging").path("cursors").path("before").asText();

        SandboxHttp.Response back = call("GET", LIST + "?limit=2&fields=name&before=" + before, TOKEN, null);

        assertThat(third.body().path("data").get(0).path("name").asText()).isEqualTo("order_update");
        assertThat(back.body().path("data")).extracting(t -> t.path("name").asText())
                .containsExactly("hello_world", "order_update");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            limit zero          | ?limit=0          | Param limit
            limit too big       | ?limit=5000       | Param limit
            limit not a number  | ?limit=ten        | Param limit
            bad cursor          | ?after=%21%21     | not a cursor
            unknown status      | ?status=LIVE      | Param status
            unknown field       | ?fields=name,size | Known fields
            """)
    void list_badQuery_isError100(String what, String query, String detail) throws Exception {
        SandboxHttp.Response r = call("GET", LIST + query, TOKEN, null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(100);
        assertThat(r.body().path("error").path("error_data").path("details").asText()).contains(detail);
    }

    @Test
    void auth_noToken190_otherWabasToken100_unknownTemplate100() throws Exception {
        String id = sandbox.templates().find(WABA, "hello_world", "en_US").orElseThrow().id();

        assertThat(call("GET", LIST, null, null).code()).isEqualTo(190);
        assertThat(call("GET", LIST, "nope", null).status()).isEqualTo(401);
        SandboxHttp.Response foreign = call("GET", LIST, OTHER_TOKEN, null);
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.code()).isEqualTo(100);
        assertThat(foreign.body().path("error").path("error_subcode").asInt()).isEqualTo(33);
        assertThat(call("GET", "/v25.0/" + id, OTHER_TOKEN, null).code()).isEqualTo(100);
        assertThat(call("POST", "/v25.0/" + id, OTHER_TOKEN, "{\"category\":\"MARKETING\"}").code()).isEqualTo(100);
        SandboxHttp.Response unknown = call("GET", "/v25.0/800000000999999", TOKEN, null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.code()).isEqualTo(100);
        assertThat(call("POST", "/v25.0/800000000999999", TOKEN, "{\"category\":\"MARKETING\"}").code()).isEqualTo(100);
        assertThat(call("GET", "/v25.0/" + OTHER_WABA + "/message_templates", OTHER_TOKEN, null).body().path("data"))
                .isEmpty();
    }

    @Test
    void edit_replacesComponentsAndCategory_andBadEditsChangeNothing() throws Exception {
        SandboxTemplate t = sandbox.templates().find(WABA, "order_update", "en_US").orElseThrow();

        SandboxHttp.Response bad = call("POST", "/v25.0/" + t.id(), TOKEN,
                "{\"components\":[{\"type\":\"FOOTER\",\"text\":\"only a footer\"}]}");
        SandboxHttp.Response badField = call("POST", "/v25.0/" + t.id(), TOKEN, "{\"name\":\"renamed\"}");
        SandboxHttp.Response badCategory = call("POST", "/v25.0/" + t.id(), TOKEN, "{\"category\":\"PROMO\"}");
        assertThat(bad.code()).isEqualTo(100);
        assertThat(badField.code()).isEqualTo(100);
        assertThat(badCategory.code()).isEqualTo(100);
        assertThat(sandbox.templates().byId(t.id()).orElseThrow()).isEqualTo(t);

        SandboxHttp.Response ok = call("POST", "/v25.0/" + t.id(), TOKEN, "{\"category\":\"MARKETING\","
                + "\"components\":[{\"type\":\"BODY\",\"text\":\"Order {{1}}\"}]}");

        assertThat(ok.status()).as("%s", ok.body()).isEqualTo(200);
        assertThat(ok.body().path("success").asBoolean()).isTrue();
        SandboxTemplate now = sandbox.templates().byId(t.id()).orElseThrow();
        assertThat(now.category()).isEqualTo("MARKETING");
        assertThat(now.components()).hasSize(1);
        assertThat(now.components().get(0).path("text").asText()).isEqualTo("Order {{1}}");
        assertThat(now.status()).isEqualTo("PENDING");
    }

    @Test
    void edit_ofAPendingTemplate_isRefused() throws Exception {
        String id = call("POST", LIST, TOKEN, create("fresh", "en", "UTILITY", "[{\"type\":\"BODY\",\"text\":\"x\"}]"))
                .body().path("id").asText();

        SandboxHttp.Response r = call("POST", "/v25.0/" + id, TOKEN, "{\"category\":\"MARKETING\"}");

        assertThat(r.code()).isEqualTo(100);
        assertThat(r.body().path("error").path("error_data").path("details").asText()).contains("PENDING");
    }

    @Test
    void delete_byName_allLanguages_byHsmId_one_andErrors() throws Exception {
        String es = sandbox.templates().find(WABA, "order_update", "es_ES").orElseThrow().id();

        SandboxHttp.Response noName = call("DELETE", LIST, TOKEN, null);
        SandboxHttp.Response unknown = call("DELETE", LIST + "?name=nothing_here", TOKEN, null);
        SandboxHttp.Response wrongId = call("DELETE", LIST + "?name=hello_world&hsm_id=" + es, TOKEN, null);
        assertThat(noName.code()).isEqualTo(100);
        assertThat(unknown.code()).isEqualTo(100);
        assertThat(unknown.body().path("error").path("error_subcode").asInt()).isEqualTo(2593002);
        assertThat(wrongId.code()).isEqualTo(100);

        SandboxHttp.Response one = call("DELETE", LIST + "?name=order_update&hsm_id=" + es, TOKEN, null);
        assertThat(one.body().path("success").asBoolean()).isTrue();
        assertThat(sandbox.templates().find(WABA, "order_update", "es_ES")).isEmpty();
        assertThat(sandbox.templates().find(WABA, "order_update", "en_US")).isPresent();

        sandbox.templates().setStatus(null, "login_code", "en_US", "DISABLED", null);
        assertThat(call("DELETE", LIST + "?name=login_code", TOKEN, null).code()).isEqualTo(100);
        assertThat(call("DELETE", LIST + "?name=spring_sale", TOKEN, null).status()).isEqualTo(200);
        assertThat(sandbox.templates().find(WABA, "spring_sale", "en_US")).isEmpty();
    }

    @Test
    void seeds_followTheCreateRules_andNeedUniqueNameAndLanguage() {
        SandboxTemplate bad = SandboxTemplate.fromJson("{\"name\":\"x\",\"language\":\"en\",\"category\":\"UTILITY\","
                + "\"components\":[{\"type\":\"FOOTER\",\"text\":\"f\"}]}");
        SandboxTemplate dup = SandboxSamples.hello();

        assertThatThrownBy(() -> sandbox.templates().add(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("template x (en)").hasMessageContaining("BODY");
        assertThatThrownBy(() -> sandbox.templates().add(dup)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> SandboxEmulator.start(SandboxOptions.defaults().withTemplates(bad)))
                .hasMessageContaining("template x (en)");
        assertThatThrownBy(() -> SandboxTemplate.fromJson("{\"name\":\"x\",\"language\":\"en\",\"category\":\"NEWS\","
                + "\"components\":[]}")).hasMessageContaining("category");
    }

    /** The sample set, one by one. */
    static final class SandboxSamples {
        static SandboxTemplate hello() {
            return SampleTemplates.all().get(0);
        }
    }
}
