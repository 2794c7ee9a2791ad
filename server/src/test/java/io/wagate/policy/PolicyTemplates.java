package io.wagate.policy;

import io.wagate.api.v1.Currency;
import io.wagate.api.v1.Location;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.MessageTemplate;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The templates policy tests send against, as Meta lists them, and builders for template sends. */
final class PolicyTemplates {
    static final String WABA = "109000000000001";

    /** name, language, status, category, parameter_format, components JSON. */
    static final String[][] ALL = {
        {"hello_world", "en_US", "APPROVED", "UTILITY", "POSITIONAL",
            "[{\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"Hello World\"},"
                + "{\"type\":\"BODY\",\"text\":\"Welcome and congratulations!!\"},"
                + "{\"type\":\"FOOTER\",\"text\":\"WhatsApp Business Platform sample message\"}]"},
        {"order_update", "en_US", "APPROVED", "UTILITY", "POSITIONAL",
            "[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, order {{2}} is on its way. {{1}}, thanks!\"},"
                + "{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"URL\",\"text\":\"Track\","
                + "\"url\":\"https://x.example/track/{{1}}\"},{\"type\":\"QUICK_REPLY\",\"text\":\"Stop\"}]}]"},
        {"order_update", "es_ES", "APPROVED", "UTILITY", "POSITIONAL",
            "[{\"type\":\"BODY\",\"text\":\"Hola {{1}}, el pedido {{2}} va en camino\"},"
                + "{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"URL\",\"text\":\"Seguir\","
                + "\"url\":\"https://x.example/track/{{1}}\"},{\"type\":\"QUICK_REPLY\",\"text\":\"Parar\"}]}]"},
        {"welcome_named", "en_US", "APPROVED", "MARKETING", "NAMED",
            "[{\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"Hi {{first_name}}\"},"
                + "{\"type\":\"BODY\",\"text\":\"Dear {{first_name}}, your discount code is {{code}}\"}]"},
        {"promo_image", "en_US", "APPROVED", "MARKETING", "POSITIONAL",
            "[{\"type\":\"HEADER\",\"format\":\"IMAGE\"},{\"type\":\"BODY\",\"text\":\"Sale ends {{1}}\"},"
                + "{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"COPY_CODE\",\"example\":\"SAVE10\"}]}]"},
        {"store_location", "en_US", "APPROVED", "UTILITY", "POSITIONAL",
            "[{\"type\":\"HEADER\",\"format\":\"LOCATION\"},{\"type\":\"BODY\",\"text\":\"We are here\"}]"},
        {"otp_code", "en_US", "APPROVED", "AUTHENTICATION", "POSITIONAL",
            "[{\"type\":\"BODY\",\"text\":\"{{1}} is your code\"},"
                + "{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"URL\",\"text\":\"Copy\","
                + "\"url\":\"https://x.example/otp/{{1}}\"}]}]"},
        {"paused_promo", "en_US", "PAUSED", "MARKETING", "POSITIONAL", "[{\"type\":\"BODY\",\"text\":\"Hi\"}]"},
        {"disabled_promo", "en_US", "DISABLED", "MARKETING", "POSITIONAL", "[{\"type\":\"BODY\",\"text\":\"Hi\"}]"},
        {"pending_note", "en_US", "PENDING", "UTILITY", "POSITIONAL", "[{\"type\":\"BODY\",\"text\":\"Hi\"}]"},
        {"rejected_note", "en_US", "REJECTED", "UTILITY", "POSITIONAL", "[{\"type\":\"BODY\",\"text\":\"Hi\"}]"},
    };

    private PolicyTemplates() {
    }

    static void addTo(FakeTemplateMeta meta, String waba) {
        for (String[] t : ALL) {
            meta.add(waba, t[0], t[1], t[2], t[3], t[4], t[5]);
        }
    }

    /** The catalogue entries by name and language, as the catalogue would hold them. */
    static Map<String, Map<String, CatalogueEntry>> catalogue() {
        Map<String, Map<String, CatalogueEntry>> out = new HashMap<>();
        int id = 1;
        for (String[] t : ALL) {
            MessageTemplate m = MessageTemplate.newBuilder().setWabaId(WABA).setId(Integer.toString(id++))
                    .setName(t[0]).setLanguage(t[1]).setStatus(t[2]).setCategory(t[3]).setParameterFormat(t[4])
                    .setComponentsJson(t[5]).build();
            out.computeIfAbsent(t[0], n -> new HashMap<>()).put(t[1], CatalogueEntry.of(m));
        }
        return out;
    }

    // ---- send builders ----

    static Template send(String name, String language, TemplateComponent... components) {
        return Template.newBuilder().setName(name).setLanguage(language).addAllComponents(List.of(components)).build();
    }

    static TemplateComponent body(TemplateParameter... p) {
        return TemplateComponent.newBuilder().setType(TemplateComponent.Type.BODY).addAllParameters(List.of(p)).build();
    }

    static TemplateComponent header(TemplateParameter... p) {
        return TemplateComponent.newBuilder().setType(TemplateComponent.Type.HEADER).addAllParameters(List.of(p)).build();
    }

    static TemplateComponent button(TemplateComponent.ButtonSubType type, int index, TemplateParameter... p) {
        return TemplateComponent.newBuilder().setType(TemplateComponent.Type.BUTTON).setSubType(type).setIndex(index)
                .addAllParameters(List.of(p)).build();
    }

    static TemplateParameter text(String v) {
        return TemplateParameter.newBuilder().setText(v).build();
    }

    static TemplateParameter named(String name, String v) {
        return TemplateParameter.newBuilder().setName(name).setText(v).build();
    }

    static TemplateParameter currency() {
        return TemplateParameter.newBuilder().setCurrency(Currency.newBuilder().setFallbackValue("$10")
                .setCode("USD").setAmount1000(10_000)).build();
    }

    static TemplateParameter image() {
        return TemplateParameter.newBuilder().setImage(Media.newBuilder().setLink("https://x.example/a.jpg")).build();
    }

    static TemplateParameter video() {
        return TemplateParameter.newBuilder().setVideo(Media.newBuilder().setLink("https://x.example/a.mp4")).build();
    }

    static TemplateParameter location() {
        return TemplateParameter.newBuilder().setLocation(Location.newBuilder().setLatitude(52.5).setLongitude(13.4)
                .setName("Shop")).build();
    }

    static TemplateParameter payload(String p) {
        return TemplateParameter.newBuilder().setPayload(p).build();
    }

    static TemplateParameter coupon(String c) {
        return TemplateParameter.newBuilder().setCouponCode(c).build();
    }

    /**
     * The rule table as cases: a description, the send, the verdict (0: OK, else Meta's code).
     * Every verdict and OK appear; the appliance's and the emulator's validators must agree on all.
     */
    record Case(String what, Template send, int verdict) {
    }

    static List<Case> table() {
        List<Case> c = new ArrayList<>();
        TemplateComponent.ButtonSubType url = TemplateComponent.ButtonSubType.URL;
        TemplateComponent.ButtonSubType qr = TemplateComponent.ButtonSubType.QUICK_REPLY;
        TemplateComponent.ButtonSubType copy = TemplateComponent.ButtonSubType.COPY_CODE;
        // OK
        c.add(new Case("hello_world without components", send("hello_world", "en_US"), 0));
        c.add(new Case("order_update with body and url button", send("order_update", "en_US",
                body(text("Ana"), text("A-1")), button(url, 0, text("A-1"))), 0));
        c.add(new Case("order_update with quick reply payload", send("order_update", "en_US",
                body(text("Ana"), currency()), button(url, 0, text("A-1")), button(qr, 1, payload("STOP"))), 0));
        c.add(new Case("order_update in Spanish", send("order_update", "es_ES",
                body(text("Ana"), text("A-1")), button(url, 0, text("A-1"))), 0));
        c.add(new Case("named in any order", send("welcome_named", "en_US",
                header(named("first_name", "Ana")), body(named("code", "X1"), named("first_name", "Ana"))), 0));
        c.add(new Case("image header and coupon", send("promo_image", "en_US",
                header(image()), body(text("Friday")), button(copy, 0, coupon("SAVE10"))), 0));
        c.add(new Case("location header", send("store_location", "en_US", header(location())), 0));
        c.add(new Case("otp", send("otp_code", "en_US", body(text("123456")), button(url, 0, text("123456"))), 0));
        // 132001
        c.add(new Case("unknown name", send("no_such_template", "en_US"), 132001));
        c.add(new Case("unknown language", send("order_update", "fr_FR", body(text("a"), text("b"))), 132001));
        c.add(new Case("pending", send("pending_note", "en_US"), 132001));
        c.add(new Case("rejected", send("rejected_note", "en_US"), 132001));
        // 132015 / 132016
        c.add(new Case("paused", send("paused_promo", "en_US"), 132015));
        c.add(new Case("disabled", send("disabled_promo", "en_US"), 132016));
        // 132000: components
        c.add(new Case("header on a template without one", send("order_update", "en_US",
                header(text("x")), body(text("Ana"), text("A-1")), button(url, 0, text("A-1"))), 132000));
        c.add(new Case("button index out of range", send("order_update", "en_US",
                body(text("Ana"), text("A-1")), button(url, 0, text("A-1")), button(qr, 5, payload("x"))), 132000));
        c.add(new Case("button of the wrong type", send("order_update", "en_US",
                body(text("Ana"), text("A-1")), button(qr, 0, payload("x"))), 132000));
        c.add(new Case("body twice", send("order_update", "en_US", body(text("Ana"), text("A-1")),
                body(text("Ana"), text("A-1")), button(url, 0, text("A-1"))), 132000));
        c.add(new Case("body missing", send("order_update", "en_US", button(url, 0, text("A-1"))), 132000));
        c.add(new Case("too few body parameters", send("order_update", "en_US",
                body(text("Ana")), button(url, 0, text("A-1"))), 132000));
        c.add(new Case("too many body parameters", send("order_update", "en_US",
                body(text("Ana"), text("A-1"), text("extra")), button(url, 0, text("A-1"))), 132000));
        c.add(new Case("url button missing", send("order_update", "en_US", body(text("Ana"), text("A-1"))), 132000));
        c.add(new Case("media header missing", send("promo_image", "en_US", body(text("Friday")),
                button(copy, 0, coupon("SAVE10"))), 132000));
        c.add(new Case("copy code missing", send("promo_image", "en_US", header(image()), body(text("Friday"))),
                132000));
        c.add(new Case("two quick reply payloads", send("order_update", "en_US", body(text("Ana"), text("A-1")),
                button(url, 0, text("A-1")), button(qr, 1, payload("a"), payload("b"))), 132000));
        // 132012: format
        c.add(new Case("named template without names", send("welcome_named", "en_US",
                header(text("Ana")), body(text("X1"), text("Ana"))), 132012));
        c.add(new Case("named template with an unknown name", send("welcome_named", "en_US",
                header(named("first_name", "Ana")), body(named("code", "X1"), named("last_name", "B"))), 132012));
        c.add(new Case("positional template with a name", send("order_update", "en_US",
                body(named("customer", "Ana"), named("order", "A-1")), button(url, 0, text("A-1"))), 132012));
        // 132012: types
        c.add(new Case("video for an image header", send("promo_image", "en_US", header(video()),
                body(text("Friday")), button(copy, 0, coupon("SAVE10"))), 132012));
        c.add(new Case("image in the body", send("order_update", "en_US", body(text("Ana"), image()),
                button(url, 0, text("A-1"))), 132012));
        c.add(new Case("payload for a url button", send("order_update", "en_US", body(text("Ana"), text("A-1")),
                button(url, 0, payload("A-1"))), 132012));
        c.add(new Case("text for a coupon", send("promo_image", "en_US", header(image()), body(text("Friday")),
                button(copy, 0, text("SAVE10"))), 132012));
        c.add(new Case("text for a location header", send("store_location", "en_US", header(text("Shop"))), 132012));
        c.add(new Case("text for a quick reply", send("order_update", "en_US", body(text("Ana"), text("A-1")),
                button(url, 0, text("A-1")), button(qr, 1, text("STOP"))), 132012));
        return c;
    }
}
