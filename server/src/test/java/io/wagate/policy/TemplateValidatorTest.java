package io.wagate.policy;

import static io.wagate.policy.PolicyTemplates.body;
import static io.wagate.policy.PolicyTemplates.button;
import static io.wagate.policy.PolicyTemplates.header;
import static io.wagate.policy.PolicyTemplates.image;
import static io.wagate.policy.PolicyTemplates.named;
import static io.wagate.policy.PolicyTemplates.send;
import static io.wagate.policy.PolicyTemplates.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateValidatorTest {
    private final Map<String, Map<String, CatalogueEntry>> catalogue = PolicyTemplates.catalogue();

    private TemplateInfo validate(Template t) {
        return TemplateValidator.validate("template", t, catalogue.getOrDefault(t.getName(), Map.of()));
    }

    private PolicyException refused(Template t) {
        return assertThrows(PolicyException.class, () -> validate(t));
    }

    @Test
    void ruleTable_everyCase_getsItsVerdict() {
        List<PolicyTemplates.Case> table = PolicyTemplates.table();
        assertTrue(table.size() >= 25, "the table covers every verdict: " + table.size());
        for (PolicyTemplates.Case c : table) {
            int got;
            try {
                validate(c.send());
                got = 0;
            } catch (PolicyException e) {
                got = e.metaCode();
                PolicyException.Kind expected = got == 132000 || got == 132012 ? PolicyException.Kind.INVALID
                        : PolicyException.Kind.PRECONDITION;
                assertEquals(expected, e.kind(), c.what() + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("'" + c.send().getName() + "'"), c.what() + " names the template: "
                        + e.getMessage());
            }
            assertEquals(c.verdict(), got, c.what());
        }
    }

    @Test
    void approved_givesCategoryForLaterChecks() {
        TemplateInfo info = validate(send("welcome_named", "en_US", header(named("first_name", "Ana")),
                body(named("code", "X1"), named("first_name", "Ana"))));
        assertEquals(new TemplateInfo("welcome_named", "en_US", TemplateInfo.Category.MARKETING), info);
        assertEquals(TemplateInfo.Category.UTILITY, validate(send("hello_world", "en_US")).category());
    }

    @Test
    void unknownName_namesTemplate() {
        PolicyException e = refused(send("nope", "en_US"));
        assertEquals("TEMPLATE_NOT_FOUND", e.reason());
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }

    @Test
    void wrongLanguage_listsTheLanguagesItHas() {
        PolicyException e = refused(send("order_update", "fr_FR"));
        assertEquals("TEMPLATE_LANGUAGE_NOT_FOUND", e.reason());
        assertTrue(e.getMessage().contains("fr_FR") && e.getMessage().contains("en_US, es_ES"), e.getMessage());
    }

    @Test
    void statuses_giveMetaCodesAndReasons() {
        assertEquals("TEMPLATE_PAUSED", refused(send("paused_promo", "en_US")).reason());
        assertEquals("TEMPLATE_DISABLED", refused(send("disabled_promo", "en_US")).reason());
        PolicyException pending = refused(send("pending_note", "en_US"));
        assertEquals("TEMPLATE_NOT_APPROVED", pending.reason());
        assertTrue(pending.getMessage().contains("PENDING"), pending.getMessage());
    }

    @Test
    void wrongCount_namesComponentAndVariables() {
        PolicyException e = refused(send("order_update", "en_US", body(text("Ana")),
                button(TemplateComponent.ButtonSubType.URL, 0, text("x"))));
        assertEquals(132000, e.metaCode());
        assertEquals("TEMPLATE_PARAMETER_COUNT", e.reason());
        assertTrue(e.getMessage().contains("template 'order_update' (en_US): body needs 2 parameters ({{1}}, {{2}});"
                + " the send gives 1"), e.getMessage());
    }

    @Test
    void missingButton_namesButtonIndex() {
        PolicyException e = refused(send("order_update", "en_US", body(text("Ana"), text("A-1"))));
        assertEquals("TEMPLATE_COMPONENT_MISSING", e.reason());
        assertTrue(e.getMessage().contains("button[0] needs 1 parameter"), e.getMessage());
    }

    @Test
    void unknownButton_saysWhatTheTemplateHas() {
        PolicyException e = refused(send("order_update", "en_US", body(text("Ana"), text("A-1")),
                button(TemplateComponent.ButtonSubType.COPY_CODE, 1, PolicyTemplates.coupon("X"))));
        assertEquals("TEMPLATE_COMPONENT_UNKNOWN", e.reason());
        assertTrue(e.getMessage().contains("button[1] (COPY_CODE)") && e.getMessage().contains("QUICK_REPLY"),
                e.getMessage());
    }

    @Test
    void namedFormat_namesParameter() {
        PolicyException unknown = refused(send("welcome_named", "en_US", header(named("first_name", "Ana")),
                body(named("code", "X1"), named("last_name", "B"))));
        assertEquals("TEMPLATE_PARAMETER_NAME_UNKNOWN", unknown.reason());
        assertTrue(unknown.getMessage().contains("body parameter 'last_name'")
                && unknown.getMessage().contains("{{first_name}}, {{code}}"), unknown.getMessage());
        PolicyException missing = refused(send("welcome_named", "en_US", header(named("first_name", "Ana")),
                body(named("code", "X1"), text("Ana"))));
        assertEquals("TEMPLATE_PARAMETER_NAME_MISSING", missing.reason());
        assertTrue(missing.getMessage().contains("body parameter 2 has no parameter_name"), missing.getMessage());
        PolicyException twice = refused(send("welcome_named", "en_US", header(named("first_name", "Ana")),
                body(named("code", "X1"), named("code", "X2"))));
        assertEquals("TEMPLATE_PARAMETER_NAME_REPEATED", twice.reason());
    }

    @Test
    void positionalWithName_namesParameter() {
        PolicyException e = refused(send("order_update", "en_US", body(text("Ana"), named("order", "A-1")),
                button(TemplateComponent.ButtonSubType.URL, 0, text("x"))));
        assertEquals(132012, e.metaCode());
        assertTrue(e.getMessage().contains("body parameter 2 has parameter_name 'order'"), e.getMessage());
    }

    @Test
    void wrongType_namesParameterAndWhatIsAllowed() {
        PolicyException e = refused(send("promo_image", "en_US", header(text("x")), body(text("Friday")),
                button(TemplateComponent.ButtonSubType.COPY_CODE, 0, PolicyTemplates.coupon("S"))));
        assertEquals("TEMPLATE_PARAMETER_TYPE", e.reason());
        assertTrue(e.getMessage().contains("header parameter 1 is text; header (IMAGE) takes [image]"), e.getMessage());
        PolicyException body = refused(send("promo_image", "en_US", header(image()), body(image()),
                button(TemplateComponent.ButtonSubType.COPY_CODE, 0, PolicyTemplates.coupon("S"))));
        assertTrue(body.getMessage().contains("body parameter 1 is image; body (TEXT) takes [currency, date_time, text]"),
                body.getMessage());
    }

    @Test
    void firstFailingRuleWins_countBeforeType() {
        // wrong type and wrong count at once: the count (rule 4) is reported
        PolicyException e = refused(send("order_update", "en_US", body(image()),
                button(TemplateComponent.ButtonSubType.URL, 0, text("x"))));
        assertEquals(132000, e.metaCode());
    }

    @Test
    void fieldName_prefixesMessage() {
        PolicyException e = assertThrows(PolicyException.class, () -> TemplateValidator.validate("fallback_template",
                send("nope", "en_US"), Map.of()));
        assertTrue(e.getMessage().startsWith("fallback_template: "), e.getMessage());
    }

    @Test
    void shape_readsVariablesOnce() {
        TemplateShape s = TemplateShape.parse("[{\"type\":\"body\",\"text\":\"{{1}} {{2}} {{1}} {{ 3 }}\"}]");
        assertEquals(List.of("1", "2", "3"), s.body());
        assertEquals(List.of("first_name", "x_2"), TemplateShape.variables("{{first_name}}{{x_2}}{{first_name}}"));
    }
}
