package io.wagate.policy;

import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a template send against its catalogue entry with the rule table of docs/POLICY.md
 * ("Templates"), which Meta and the sandbox emulator apply too. Rules in order, first failure wins:
 * <ol>
 *   <li>the name, then the language, exists for the WABA (132001);
 *   <li>the status: PAUSED 132015, DISABLED 132016, anything else but APPROVED 132001;
 *   <li>every send component has its own template counterpart (132000);
 *   <li>every component that takes parameters is given, with exactly as many as it has variables
 *       (132000; a quick-reply button takes 0 or 1);
 *   <li>named templates name every header/body text parameter with exactly the component's
 *       variables; positional ones name none (132012);
 *   <li>each parameter has the type its place takes (132012).
 * </ol>
 * 132001/132015/132016 are {@link PolicyException.Kind#PRECONDITION}, 132000/132012
 * {@link PolicyException.Kind#INVALID}; messages name the template, component and parameter.
 *
 * <p>Stateless and thread-safe.
 */
public final class TemplateValidator {
    public static final int NOT_FOUND = 132001;
    public static final int PARAMETER_COUNT = 132000;
    public static final int PARAMETER_FORMAT = 132012;
    public static final int PAUSED = 132015;
    public static final int DISABLED = 132016;

    private TemplateValidator() {
    }

    /**
     * @param field    how the caller's request names the template ({@code template} or {@code fallback_template})
     * @param versions the catalogue's entries of that name, by language; empty when the name is unknown
     * @return what later checks need to know of the template
     * @throws PolicyException with the first rule the send breaks
     */
    public static TemplateInfo validate(String field, Template send, Map<String, CatalogueEntry> versions) {
        String name = send.getName();
        String language = send.getLanguage();
        if (versions == null || versions.isEmpty()) {
            throw new PolicyException(PolicyException.Kind.PRECONDITION, "TEMPLATE_NOT_FOUND", NOT_FOUND,
                    field + ": template '" + name + "' (" + language + ") does not exist: the catalogue of this"
                            + " number's business account has no template of that name");
        }
        CatalogueEntry entry = versions.get(language);
        if (entry == null) {
            throw new PolicyException(PolicyException.Kind.PRECONDITION, "TEMPLATE_LANGUAGE_NOT_FOUND", NOT_FOUND,
                    field + ": template '" + name + "' has no language " + language + " (it has "
                            + String.join(", ", new TreeSet<>(versions.keySet())) + ")");
        }
        String t = field + ": template '" + name + "' (" + language + ")";
        String status = entry.template().getStatus().toUpperCase(Locale.ROOT);
        switch (status) {
            case "APPROVED" -> { }
            case "PAUSED" -> throw new PolicyException(PolicyException.Kind.PRECONDITION, "TEMPLATE_PAUSED", PAUSED,
                    t + " is paused by Meta (low quality); it cannot be sent until it is unpaused");
            case "DISABLED" -> throw new PolicyException(PolicyException.Kind.PRECONDITION, "TEMPLATE_DISABLED",
                    DISABLED, t + " is disabled by Meta and cannot be sent");
            default -> throw new PolicyException(PolicyException.Kind.PRECONDITION, "TEMPLATE_NOT_APPROVED", NOT_FOUND,
                    t + " is " + (status.isEmpty() ? "of unknown status" : status) + ", not APPROVED");
        }
        TemplateShape shape = entry.shape();

        // 3. each send component maps to one template component, once
        Map<String, TemplateComponent> given = new HashMap<>();
        for (TemplateComponent c : send.getComponentsList()) {
            String where = componentName(c);
            boolean exists = switch (c.getType()) {
                case HEADER -> shape.header() != null;
                case BODY -> shape.body() != null;
                case BUTTON -> c.getIndex() >= 0 && c.getIndex() < shape.buttons().size()
                        && shape.buttons().get(c.getIndex()).type().equals(c.getSubType().name());
                default -> false;
            };
            if (!exists) {
                throw invalid(PARAMETER_COUNT, "TEMPLATE_COMPONENT_UNKNOWN", t + ": the send has a " + where
                        + (c.getType() == TemplateComponent.Type.BUTTON ? " (" + subType(c) + ")" : "")
                        + " component the template does not have" + buttonHint(shape, c));
            }
            if (given.put(where, c) != null) {
                throw invalid(PARAMETER_COUNT, "TEMPLATE_COMPONENT_REPEATED", t + ": the send has " + where
                        + " twice");
            }
        }

        // 4. every component that takes parameters is given, with the right count
        List<Slot> slots = new ArrayList<>();
        if (shape.header() != null) {
            slots.add(new Slot("header", shape.header().parameters(), shape.header().isText()
                    ? shape.header().variables() : List.of(), shape.header().format()));
        }
        if (shape.body() != null) {
            slots.add(new Slot("body", shape.body().size(), shape.body(), "TEXT"));
        }
        for (int i = 0; i < shape.buttons().size(); i++) {
            TemplateShape.Button b = shape.buttons().get(i);
            slots.add(new Slot("button[" + i + "]", b.parameters(), List.of(), b.type()));
        }
        for (Slot s : slots) {
            TemplateComponent c = given.get(s.name);
            int count = c == null ? 0 : c.getParametersCount();
            if (s.required < 0) {
                if (count > 1) {
                    throw invalid(PARAMETER_COUNT, "TEMPLATE_PARAMETER_COUNT", t + ": " + s.name + " ("
                            + s.kind + ") takes at most 1 parameter; the send gives " + count);
                }
                continue;
            }
            if (c == null && s.required > 0) {
                throw invalid(PARAMETER_COUNT, "TEMPLATE_COMPONENT_MISSING", t + ": " + s.name + " needs "
                        + plural(s.required, "parameter") + describe(s) + "; the send has no " + s.name + " component");
            }
            if (count != s.required) {
                throw invalid(PARAMETER_COUNT, "TEMPLATE_PARAMETER_COUNT", t + ": " + s.name + " needs "
                        + plural(s.required, "parameter") + describe(s) + "; the send gives " + count);
            }
        }

        // 5. named templates name each text parameter with the component's variables; positional name none
        for (Slot s : slots) {
            TemplateComponent c = given.get(s.name);
            if (c == null) {
                continue;
            }
            boolean textSlot = s.name.equals("body") || s.name.equals("header") && s.kind.equals("TEXT");
            if (entry.isNamed() && textSlot) {
                Set<String> names = new HashSet<>();
                for (int p = 0; p < c.getParametersCount(); p++) {
                    String pn = c.getParameters(p).getName();
                    if (pn.isEmpty()) {
                        throw invalid(PARAMETER_FORMAT, "TEMPLATE_PARAMETER_NAME_MISSING", t + ": " + s.name
                                + " parameter " + (p + 1) + " has no parameter_name; the template uses named"
                                + " parameters (" + braces(s.variables) + ")");
                    }
                    if (!s.variables.contains(pn)) {
                        throw invalid(PARAMETER_FORMAT, "TEMPLATE_PARAMETER_NAME_UNKNOWN", t + ": " + s.name
                                + " parameter '" + pn + "' is not a variable of the template (" + braces(s.variables)
                                + ")");
                    }
                    if (!names.add(pn)) {
                        throw invalid(PARAMETER_FORMAT, "TEMPLATE_PARAMETER_NAME_REPEATED", t + ": " + s.name
                                + " parameter '" + pn + "' is given twice");
                    }
                }
            } else {
                for (int p = 0; p < c.getParametersCount(); p++) {
                    String pn = c.getParameters(p).getName();
                    if (!pn.isEmpty() && (!entry.isNamed() || textSlot)) {
                        throw invalid(PARAMETER_FORMAT, "TEMPLATE_PARAMETER_NAMED", t + ": " + s.name + " parameter "
                                + (p + 1) + " has parameter_name '" + pn + "' but the template uses positional"
                                + " parameters");
                    }
                }
            }
        }

        // 6. types
        for (Slot s : slots) {
            TemplateComponent c = given.get(s.name);
            if (c == null) {
                continue;
            }
            Set<TemplateParameter.ValueCase> allowed = allowedTypes(s);
            for (int p = 0; p < c.getParametersCount(); p++) {
                TemplateParameter param = c.getParameters(p);
                if (!allowed.contains(param.getValueCase())) {
                    String which = param.getName().isEmpty() ? String.valueOf(p + 1) : "'" + param.getName() + "'";
                    throw invalid(PARAMETER_FORMAT, "TEMPLATE_PARAMETER_TYPE", t + ": " + s.name + " parameter "
                            + which + " is " + typeName(param.getValueCase()) + "; " + s.name + " (" + s.kind
                            + ") takes " + allowed.stream().map(TemplateValidator::typeName).sorted().toList());
                }
            }
        }
        TemplateInfo.Category category = entry.category();
        return new TemplateInfo(name, language, category == null ? TemplateInfo.Category.MARKETING : category);
    }

    /** A place in the template that takes parameters: its name, count (-1: optional, 0 or 1), variables, kind. */
    private record Slot(String name, int required, List<String> variables, String kind) {
    }

    private static Set<TemplateParameter.ValueCase> allowedTypes(Slot s) {
        return switch (s.kind) {
            case "TEXT" -> Set.of(TemplateParameter.ValueCase.TEXT, TemplateParameter.ValueCase.CURRENCY,
                    TemplateParameter.ValueCase.DATE_TIME);
            case "IMAGE" -> Set.of(TemplateParameter.ValueCase.IMAGE);
            case "VIDEO" -> Set.of(TemplateParameter.ValueCase.VIDEO);
            case "DOCUMENT" -> Set.of(TemplateParameter.ValueCase.DOCUMENT);
            case "LOCATION" -> Set.of(TemplateParameter.ValueCase.LOCATION);
            case "URL" -> Set.of(TemplateParameter.ValueCase.TEXT);
            case "QUICK_REPLY" -> Set.of(TemplateParameter.ValueCase.PAYLOAD);
            case "COPY_CODE" -> Set.of(TemplateParameter.ValueCase.COUPON_CODE);
            default -> java.util.EnumSet.complementOf(java.util.EnumSet.of(TemplateParameter.ValueCase.VALUE_NOT_SET));
        };
    }

    private static String componentName(TemplateComponent c) {
        return switch (c.getType()) {
            case HEADER -> "header";
            case BODY -> "body";
            case BUTTON -> "button[" + c.getIndex() + "]";
            default -> c.getType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String subType(TemplateComponent c) {
        return c.getSubType().name();
    }

    private static String buttonHint(TemplateShape shape, TemplateComponent c) {
        if (c.getType() != TemplateComponent.Type.BUTTON) {
            return "";
        }
        if (c.getIndex() < 0 || c.getIndex() >= shape.buttons().size()) {
            return " (it has " + plural(shape.buttons().size(), "button") + ")";
        }
        return " (its button " + c.getIndex() + " is " + shape.buttons().get(c.getIndex()).type() + ")";
    }

    private static String describe(Slot s) {
        if (!s.variables.isEmpty()) {
            return " (" + braces(s.variables) + ")";
        }
        return s.kind.equals("TEXT") ? "" : " (" + s.kind + ")";
    }

    private static String braces(List<String> vars) {
        return String.join(", ", vars.stream().map(v -> "{{" + v + "}}").toList());
    }

    private static String typeName(TemplateParameter.ValueCase v) {
        return v == TemplateParameter.ValueCase.VALUE_NOT_SET ? "empty" : v.name().toLowerCase(Locale.ROOT);
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static PolicyException invalid(int code, String reason, String message) {
        return new PolicyException(PolicyException.Kind.INVALID, reason, code, message);
    }
}
