package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The message templates the sandbox's WABAs own (reference §6): what the management endpoints
 * create, list, edit and delete, what the control API approves, pauses or recategorises, and what
 * template sends are checked against ({@link TemplateSendRules}). Obtained from
 * {@link SandboxEmulator#templates()}.
 *
 * <pre>{@code
 * sandbox.templates().add(SandboxTemplate.fromJson("{\"name\":\"promo\",\"language\":\"en_US\",...}"));
 * sandbox.templates().setStatus(null, "promo", "en_US", "PAUSED", null);   // posts message_template_status_update
 * sandbox.templates().setCategory(null, "promo", "en_US", "UTILITY");      // posts template_category_update
 * }</pre>
 *
 * <p>Every status change and category change posts Meta's webhook to the appliance (when a target
 * is set). Threading: thread-safe (one lock; all work is small).
 */
public final class TemplateCatalog {

    /** What a change of the catalogue tells the outside: Meta's template webhooks. */
    interface Listener {
        void statusChanged(SandboxTemplate t, String reason);

        void categoryChanged(SandboxTemplate t, String previousCategory);
    }

    private static final long FIRST_ID = 800_000_000_000_001L;

    /** Template id to template, ids in creation order (they grow). */
    private final TreeMap<Long, SandboxTemplate> byId = new TreeMap<>();
    private final BooleanSupplier autoApprove;
    private volatile Listener listener = new Listener() {
        @Override
        public void statusChanged(SandboxTemplate t, String reason) {
        }

        @Override
        public void categoryChanged(SandboxTemplate t, String previousCategory) {
        }
    };
    private long nextId = FIRST_ID;

    TemplateCatalog(BooleanSupplier autoApprove) {
        this.autoApprove = autoApprove;
    }

    void setListener(Listener l) {
        this.listener = l;
    }

    /** Every template of every WABA, oldest first. */
    public synchronized List<SandboxTemplate> list() {
        return List.copyOf(byId.values());
    }

    /** The templates of one WABA, oldest first. */
    public synchronized List<SandboxTemplate> list(String wabaId) {
        return byId.values().stream().filter(t -> t.wabaId().equals(wabaId)).toList();
    }

    public synchronized Optional<SandboxTemplate> byId(String id) {
        Long key = key(id);
        return key == null ? Optional.empty() : Optional.ofNullable(byId.get(key));
    }

    /** The template {@code name} in {@code language} of {@code wabaId}. */
    public synchronized Optional<SandboxTemplate> find(String wabaId, String name, String language) {
        return byId.values().stream().filter(t -> t.wabaId().equals(wabaId) && t.name().equals(name)
                && t.language().equals(language)).findFirst();
    }

    /** True if {@code wabaId} has a template called {@code name} in any language. */
    synchronized boolean hasName(String wabaId, String name) {
        return byId.values().stream().anyMatch(t -> t.wabaId().equals(wabaId) && t.name().equals(name));
    }

    /**
     * Adds a template as it is (a seed: its status stays; no webhook), checked as Meta checks a
     * new one, numbered if it has no id.
     *
     * @return the template as stored
     * @throws IllegalArgumentException if it breaks a rule, its name and language exist in its
     *     WABA, or its id is taken or not digits
     */
    public SandboxTemplate add(SandboxTemplate t) {
        SandboxTemplate checked;
        try {
            checked = TemplateDefinition.check(t);
        } catch (TemplateDefinition.Invalid e) {
            throw new IllegalArgumentException("template " + t.name() + " (" + t.language() + "): " + e.getMessage());
        }
        synchronized (this) {
            if (find(t.wabaId(), t.name(), t.language()).isPresent()) {
                throw new IllegalArgumentException("template " + t.name() + " (" + t.language() + ") already exists in"
                        + " WABA " + t.wabaId());
            }
            return store(checked);
        }
    }

    /**
     * {@code POST /{waba-id}/message_templates}: PENDING, or APPROVED at once (with its webhook)
     * when the emulator auto-approves.
     *
     * @throws TemplateDefinition.Invalid naming what is wrong, or that the name exists in that language
     */
    SandboxTemplate create(String wabaId, JsonNode body) {
        SandboxTemplate t = TemplateDefinition.fromCreate(body, wabaId);
        SandboxTemplate stored;
        synchronized (this) {
            if (find(wabaId, t.name(), t.language()).isPresent()) {
                throw new TemplateDefinition.Invalid(new GraphError(400, 100, 2388024, "OAuthException",
                        "(#100) Invalid parameter", "Content in this language already exists: the template "
                        + t.name() + " already has a " + t.language() + " version."));
            }
            stored = store(t.withStatus(autoApprove.getAsBoolean() ? "APPROVED" : "PENDING"));
        }
        if (stored.status().equals("APPROVED")) {
            listener.statusChanged(stored, null);
        }
        return stored;
    }

    /**
     * {@code POST /{template-id}}: replaces the components and/or the category. Meta reviews an
     * edit again: PENDING, or APPROVED at once (with its webhook) when the emulator auto-approves.
     *
     * @throws TemplateDefinition.Invalid naming what is wrong
     */
    SandboxTemplate edit(SandboxTemplate current, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new TemplateDefinition.Invalid("The request body must be a JSON object with components or category.");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("components", "category", "message_send_ttl_seconds").contains(f)) {
                throw new TemplateDefinition.Invalid("Param " + TemplateDefinition.abbreviate(f) + " cannot be edited:"
                        + " components, category and message_send_ttl_seconds can.");
            }
        }
        if (!body.has("components") && !body.has("category")) {
            throw new TemplateDefinition.Invalid("An edit needs components or category.");
        }
        if (!List.of("APPROVED", "REJECTED", "PAUSED").contains(current.status())) {
            throw new TemplateDefinition.Invalid("Template " + current.name() + " (" + current.language() + ") is "
                    + current.status() + ": only APPROVED, REJECTED or PAUSED templates can be edited.");
        }
        SandboxTemplate t = current;
        if (body.has("category")) {
            JsonNode c = body.get("category");
            String category = c.isTextual() ? c.asText().toUpperCase(Locale.ROOT) : "";
            if (!SandboxTemplate.CATEGORIES.contains(category)) {
                throw new TemplateDefinition.Invalid("Param category must be MARKETING, UTILITY or AUTHENTICATION.");
            }
            t = t.withCategory(category);
        }
        if (body.has("components")) {
            t = t.withComponents(TemplateDefinition.components(body.get("components"), t.parameterFormat()));
        }
        SandboxTemplate stored;
        synchronized (this) {
            if (!byId.containsKey(key(current.id()))) {
                throw new TemplateDefinition.Invalid("Template " + current.id() + " was deleted.");
            }
            stored = t.withStatus(autoApprove.getAsBoolean() ? "APPROVED" : "PENDING");
            byId.put(key(current.id()), stored);
        }
        if (stored.status().equals("APPROVED")) {
            listener.statusChanged(stored, null);
        }
        return stored;
    }

    /**
     * {@code DELETE /{waba-id}/message_templates?name=N[&hsm_id=ID]}: every language of the name,
     * or the one id.
     *
     * @return how many were deleted (at least one)
     * @throws TemplateDefinition.Invalid if nothing matches or a match is DISABLED (Meta keeps those)
     */
    synchronized int delete(String wabaId, String name, String hsmId) {
        List<Long> doomed = new ArrayList<>();
        for (Map.Entry<Long, SandboxTemplate> e : byId.entrySet()) {
            SandboxTemplate t = e.getValue();
            if (t.wabaId().equals(wabaId) && t.name().equals(name) && (hsmId == null || t.id().equals(hsmId))) {
                if (t.status().equals("DISABLED")) {
                    throw new TemplateDefinition.Invalid("Template " + name + " (" + t.language() + ") is DISABLED and"
                            + " cannot be deleted.");
                }
                doomed.add(e.getKey());
            }
        }
        if (doomed.isEmpty()) {
            throw new TemplateDefinition.Invalid(new GraphError(400, 100, 2593002, "OAuthException",
                    "(#100) Invalid parameter", "Message template not found: no template " + name
                    + (hsmId == null ? "" : " with hsm_id " + hsmId) + " in WABA " + wabaId + "."));
        }
        doomed.forEach(byId::remove);
        return doomed.size();
    }

    /**
     * Sets a template's status as Meta's review would (APPROVED, REJECTED, PAUSED, DISABLED, ...)
     * and posts {@code message_template_status_update}.
     *
     * @param wabaId the WABA, or null for the one WABA that has the template
     * @param reason the webhook's {@code reason} (null for none)
     * @throws IllegalArgumentException for an unknown status or template, or an ambiguous one
     */
    public SandboxTemplate setStatus(String wabaId, String name, String language, String status, String reason) {
        String s = status == null ? null : status.toUpperCase(Locale.ROOT);
        if (!SandboxTemplate.STATUSES.contains(s)) {
            throw new IllegalArgumentException("status must be one of " + new java.util.TreeSet<>(SandboxTemplate.STATUSES)
                    + ", got " + status);
        }
        SandboxTemplate updated;
        synchronized (this) {
            SandboxTemplate t = resolve(wabaId, name, language);
            updated = t.withStatus(s);
            byId.put(key(t.id()), updated);
        }
        listener.statusChanged(updated, reason);
        return updated;
    }

    /**
     * Recategorises a template as Meta may, and posts {@code template_category_update}.
     *
     * @throws IllegalArgumentException for an unknown category or template, or an ambiguous one
     */
    public SandboxTemplate setCategory(String wabaId, String name, String language, String category) {
        String c = category == null ? null : category.toUpperCase(Locale.ROOT);
        if (!SandboxTemplate.CATEGORIES.contains(c)) {
            throw new IllegalArgumentException("category must be MARKETING, UTILITY or AUTHENTICATION, got " + category);
        }
        SandboxTemplate updated;
        String previous;
        synchronized (this) {
            SandboxTemplate t = resolve(wabaId, name, language);
            previous = t.category();
            updated = t.withCategory(c);
            byId.put(key(t.id()), updated);
        }
        if (!previous.equals(c)) {
            listener.categoryChanged(updated, previous);
        }
        return updated;
    }

    private SandboxTemplate resolve(String wabaId, String name, String language) {
        if (name == null || language == null) {
            throw new IllegalArgumentException("a template is named by name and language");
        }
        List<SandboxTemplate> found = byId.values().stream().filter(t -> (wabaId == null || t.wabaId().equals(wabaId))
                && t.name().equals(name) && t.language().equals(language)).toList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no template " + name + " (" + language + ")"
                    + (wabaId == null ? "" : " in WABA " + wabaId));
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException("template " + name + " (" + language + ") exists in several WABAs: name"
                    + " the WABA");
        }
        return found.get(0);
    }

    private SandboxTemplate store(SandboxTemplate t) {
        long id;
        if (t.id() == null || t.id().isEmpty()) {
            id = nextId++;
        } else {
            Long k = key(t.id());
            if (k == null || byId.containsKey(k)) {
                throw new IllegalArgumentException("template " + t.name() + " (" + t.language() + "): id " + t.id()
                        + (k == null ? " must be digits" : " is taken"));
            }
            id = k;
            nextId = Math.max(nextId, id + 1);
        }
        SandboxTemplate stored = t.withId(Long.toString(id));
        byId.put(id, stored);
        return stored;
    }

    private static Long key(String id) {
        if (id == null || id.isEmpty() || id.length() > 18 || !id.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(id);
    }
}
