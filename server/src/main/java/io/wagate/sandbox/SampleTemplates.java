package io.wagate.sandbox;

import java.util.List;

/**
 * The templates {@code wagate sandbox} starts with, all APPROVED in
 * {@link SandboxOptions#DEFAULT_WABA_ID} (listed in docs/SANDBOX.md, "Sample templates"): one of
 * each kind a client meets, so sends can be tried at once.
 */
public final class SampleTemplates {

    private SampleTemplates() {
    }

    /** hello_world, order_update, appointment_reminder, spring_sale, login_code (en_US) and order_update (es_ES). */
    public static List<SandboxTemplate> all() {
        return List.of(
                SandboxTemplate.fromJson("""
                        {"name":"hello_world","language":"en_US","category":"UTILITY",
                         "components":[{"type":"HEADER","format":"TEXT","text":"Hello World"},
                                       {"type":"BODY","text":"Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API."},
                                       {"type":"FOOTER","text":"WhatsApp Business Platform sample message"}]}"""),
                SandboxTemplate.fromJson("""
                        {"name":"order_update","language":"en_US","category":"UTILITY",
                         "components":[{"type":"BODY","text":"Your order {{1}} is now {{2}}."}]}"""),
                SandboxTemplate.fromJson("""
                        {"name":"order_update","language":"es_ES","category":"UTILITY",
                         "components":[{"type":"BODY","text":"Tu pedido {{1}} está ahora {{2}}."}]}"""),
                SandboxTemplate.fromJson("""
                        {"name":"appointment_reminder","language":"en_US","category":"UTILITY","parameter_format":"NAMED",
                         "components":[{"type":"BODY","text":"Hi {{first_name}}, see you at {{time}}."},
                                       {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Confirm"},
                                                                    {"type":"QUICK_REPLY","text":"Reschedule"}]}]}"""),
                SandboxTemplate.fromJson("""
                        {"name":"spring_sale","language":"en_US","category":"MARKETING",
                         "components":[{"type":"HEADER","format":"IMAGE"},
                                       {"type":"BODY","text":"Spring sale: {{1}} off everything this week."},
                                       {"type":"FOOTER","text":"Reply STOP to opt out"},
                                       {"type":"BUTTONS","buttons":[{"type":"URL","text":"Shop now","url":"https://shop.example/sale/{{1}}"}]}]}"""),
                SandboxTemplate.fromJson("""
                        {"name":"login_code","language":"en_US","category":"AUTHENTICATION",
                         "components":[{"type":"BODY","text":"{{1}} is your verification code."},
                                       {"type":"BUTTONS","buttons":[{"type":"COPY_CODE","example":"123456"}]}]}"""));
    }
}
