package io.wagate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.CatalogueStatus;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.MessageTemplate;
import io.wagate.api.v1.SyncResult;
import io.wagate.cloudapi.CloudApiClient;
import io.wagate.cloudapi.TemplateResult;
import io.wagate.config.NumberConfig;
import io.wagate.events.EventLog;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.StoreException;
import io.wagate.store.WriteSet;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The templates of every configured WhatsApp Business Account, as Meta last told them: kept in
 * column family {@code templates} and indexed in memory, so checking a send reads no database.
 *
 * <p>Synced from {@code GET /{waba}/message_templates} at {@link #start} (in the background: start
 * does not wait on Meta), every {@code policy.templates.sync_interval}, on {@link #sync}, and on
 * template webhooks: it follows the event log (own durable cursor, as the status reconciler does)
 * for ACCOUNT_UPDATE events of {@code message_template_status_update} (the new status applied at
 * once), {@code template_category_update} (the new category), {@code message_template_quality_update}
 * (the quality score) and {@code message_template_components_update} (a re-sync). A status webhook
 * for a template the catalogue does not know re-syncs its WABA. A sync that fails keeps the
 * catalogue it has and records when and why ({@link #status}).
 *
 * <p>Threading: every change of the catalogue runs on one thread ({@value #THREAD_NAME}); readers
 * ({@link #versions}, {@link #list}) see an immutable snapshot through a volatile reference.
 */
public final class TemplateCatalogue implements AutoCloseable {
    public static final String THREAD_NAME = "wagate-templates";
    /** The webhook fields the catalogue follows. */
    public static final Set<String> FIELDS = Set.of("message_template_status_update", "template_category_update",
            "message_template_quality_update", "message_template_components_update");
    private static final byte[] CURSOR_KEY = Keys.utf8("template-catalogue");
    private static final String TEMPLATE_PREFIX = "t/";
    private static final String STATE_PREFIX = "s/";
    private static final int BATCH = 1_000;
    private static final long RETRY_MS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(TemplateCatalogue.class);

    private final Database db;
    private final EventLog eventLog;
    private final CloudApiClient cloudApi;
    private final Map<String, String> tokenByWaba = new LinkedHashMap<>();
    private final Duration interval;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean followScheduled = new AtomicBoolean();
    /** WABA id -> name -> language -> entry; replaced, never changed in place. */
    private volatile Map<String, Map<String, Map<String, CatalogueEntry>>> index = Map.of();
    /** WABA id -> its sync state; replaced, never changed in place. */
    private volatile Map<String, CatalogueStatus> states = Map.of();
    private long cursor;
    private volatile boolean closed;

    /**
     * @param numbers the configured numbers: those with a {@code waba_id} name the WABAs to sync
     * @param tokens  access token per phone-number id; a WABA is fetched with one of its numbers' tokens
     */
    public TemplateCatalogue(Database db, EventLog eventLog, CloudApiClient cloudApi, List<NumberConfig> numbers,
                             Map<String, String> tokens, Duration interval, LongSupplier clock) {
        this.db = db;
        this.eventLog = eventLog;
        this.cloudApi = cloudApi;
        this.interval = interval;
        this.clock = clock;
        for (NumberConfig n : numbers) {
            String token = tokens.get(n.phoneNumberId());
            if (n.wabaId() != null && token != null) {
                tokenByWaba.putIfAbsent(n.wabaId(), token);
            }
        }
        load();
        byte[] stored = db.get(ColumnFamily.EVENT_CURSORS, CURSOR_KEY);
        this.cursor = stored == null ? eventLog.first() : Math.max(Keys.u64(stored, 0), eventLog.first());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts following template webhooks and syncing: now (in the background) and every interval. */
    public void start() {
        eventLog.onHeadAdvanced(this::wakeFollower);
        wakeFollower();
        if (!tokenByWaba.isEmpty()) {
            thread.scheduleWithFixedDelay(() -> sync(null), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The WABAs the catalogue syncs (configured numbers with a waba_id and a token). */
    public Set<String> wabas() {
        return tokenByWaba.keySet();
    }

    /**
     * The entries of {@code name} by language in {@code wabaId}'s catalogue: empty when it has none;
     * {@link Optional#empty()} when that catalogue was never synced (it knows nothing).
     */
    public Optional<Map<String, CatalogueEntry>> versions(String wabaId, String name) {
        Map<String, Map<String, CatalogueEntry>> waba = index.get(wabaId);
        if (waba == null) {
            return Optional.empty();
        }
        return Optional.of(waba.getOrDefault(name, Map.of()));
    }

    /** Every entry of {@code wabaId} (all WABAs when null), by WABA, name and language. */
    public List<CatalogueEntry> list(String wabaId) {
        List<CatalogueEntry> out = new ArrayList<>();
        new TreeMap<>(index).forEach((waba, names) -> {
            if (wabaId == null || wabaId.equals(waba)) {
                new TreeMap<>(names).forEach((n, langs) -> new TreeMap<>(langs).values().forEach(out::add));
            }
        });
        return out;
    }

    /** The sync state of {@code wabaId}: never attempted has no times. */
    public CatalogueStatus status(String wabaId) {
        CatalogueStatus s = states.get(wabaId);
        Map<String, Map<String, CatalogueEntry>> waba = index.get(wabaId);
        int count = waba == null ? 0 : waba.values().stream().mapToInt(Map::size).sum();
        return (s == null ? CatalogueStatus.newBuilder().setWabaId(wabaId) : s.toBuilder()).setTemplates(count).build();
    }

    /**
     * Fetches the templates of {@code wabaId} (every WABA when null) from Meta and replaces the
     * catalogue with them, answering what changed. A failed fetch keeps the catalogue.
     */
    public CompletableFuture<List<SyncResult>> sync(String wabaId) {
        List<CompletableFuture<SyncResult>> each = new ArrayList<>();
        for (Map.Entry<String, String> w : tokenByWaba.entrySet()) {
            if (wabaId == null || wabaId.equals(w.getKey())) {
                each.add(cloudApi.listTemplates(w.getKey(), w.getValue())
                        .thenApplyAsync(r -> applySync(w.getKey(), r), thread));
            }
        }
        if (wabaId != null && each.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no configured number has waba_id "
                    + wabaId + " (and an access token)"));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Creates a template at Meta and, once Meta took it, adds it to the catalogue.
     *
     * @param request Meta's creation body: name, language, category, parameter_format, components
     * @return the catalogue's new entry, or the failure Meta answered
     */
    public CompletableFuture<Object> create(String wabaId, com.fasterxml.jackson.databind.node.ObjectNode request) {
        String token = token(wabaId);
        return cloudApi.createTemplate(wabaId, token, request).thenApplyAsync(r -> {
            if (!(r instanceof TemplateResult.Created c)) {
                return r;
            }
            MessageTemplate t = MessageTemplate.newBuilder()
                    .setWabaId(wabaId)
                    .setId(c.id())
                    .setName(request.path("name").asText())
                    .setLanguage(request.path("language").asText())
                    .setStatus(c.status() == null ? "PENDING" : c.status().toUpperCase(Locale.ROOT))
                    .setCategory(c.category() == null ? request.path("category").asText() : c.category())
                    .setParameterFormat(request.path("parameter_format").asText("POSITIONAL").toUpperCase(Locale.ROOT))
                    .setComponentsJson(request.path("components").toString())
                    .setUpdatedAt(Timestamps.fromMillis(clock.getAsLong()))
                    .build();
            Map<String, Map<String, Map<String, CatalogueEntry>>> next = copy(index);
            WriteSet w = new WriteSet();
            put(next, w, CatalogueEntry.of(t));
            commit(w, next);
            return t;
        }, thread);
    }

    /**
     * Deletes {@code name} at Meta (one language when {@code language} is set: by its catalogue id)
     * and then from the catalogue.
     *
     * @return the name/language keys removed, or the failure Meta answered
     * @throws java.util.NoSuchElementException when the catalogue has no such template (nothing sent to Meta)
     * @throws IllegalStateException when no configured number of that WABA has a token
     */
    public CompletableFuture<Object> delete(String wabaId, String name, String language) {
        String token = token(wabaId);
        Map<String, CatalogueEntry> langs = versions(wabaId, name).orElse(Map.of());
        String hsmId = null;
        if (language != null && !language.isEmpty()) {
            CatalogueEntry e = langs.get(language);
            if (e == null) {
                throw new java.util.NoSuchElementException("the catalogue of WABA " + wabaId + " has no template '" + name
                        + "' in " + language + " (sync first if it was made elsewhere)");
            }
            hsmId = e.template().getId();
        } else if (langs.isEmpty()) {
            throw new java.util.NoSuchElementException("the catalogue of WABA " + wabaId + " has no template '" + name
                    + "' (sync first if it was made elsewhere)");
        }
        boolean one = hsmId != null;
        return cloudApi.deleteTemplate(wabaId, token, name, hsmId).thenApplyAsync(r -> {
            if (!(r instanceof TemplateResult.Deleted)) {
                return r;
            }
            Map<String, Map<String, Map<String, CatalogueEntry>>> next = copy(index);
            WriteSet w = new WriteSet();
            List<String> removed = new ArrayList<>();
            Map<String, CatalogueEntry> now = next.getOrDefault(wabaId, Map.of()).getOrDefault(name, Map.of());
            for (CatalogueEntry e : List.copyOf(now.values())) {
                if (!one || e.template().getLanguage().equals(language)) {
                    remove(next, w, e.template());
                    removed.add(e.key());
                }
            }
            commit(w, next);
            return removed;
        }, thread);
    }

    private String token(String wabaId) {
        String token = tokenByWaba.get(wabaId);
        if (token == null) {
            throw new IllegalStateException("no configured number has waba_id " + wabaId + " (and an access token)");
        }
        return token;
    }

    // ---- applying, on the catalogue thread ----

    private SyncResult applySync(String wabaId, TemplateResult r) {
        long now = clock.getAsLong();
        CatalogueStatus old = status(wabaId);
        if (!(r instanceof TemplateResult.Listed listed)) {
            String why = r instanceof TemplateResult.Failed f ? f.describe() : "unexpected answer " + r;
            CatalogueStatus s = old.toBuilder().setLastAttemptAt(Timestamps.fromMillis(now)).setLastError(why).build();
            saveState(s);
            log.warn("syncing the templates of WABA {} failed; the catalogue keeps its {} templates{}: {}", wabaId,
                    old.getTemplates(), old.hasLastSyncedAt() ? " of " + Timestamps.toString(old.getLastSyncedAt())
                            : " (never synced)", why);
            return SyncResult.newBuilder().setWabaId(wabaId).setOk(false).setError(why)
                    .setTemplates(old.getTemplates()).build();
        }
        Map<String, Map<String, Map<String, CatalogueEntry>>> next = copy(index);
        Map<String, Map<String, CatalogueEntry>> before = index.getOrDefault(wabaId, Map.of());
        Map<String, MessageTemplate> fetched = new TreeMap<>();
        for (JsonNode n : listed.templates()) {
            MessageTemplate t = fromMeta(wabaId, n, now);
            if (!t.getName().isEmpty() && !t.getLanguage().isEmpty()) {
                fetched.put(t.getName() + "/" + t.getLanguage(), t);
            }
        }
        SyncResult.Builder result = SyncResult.newBuilder().setWabaId(wabaId).setOk(true);
        WriteSet w = new WriteSet();
        Map<String, MessageTemplate> existing = new TreeMap<>();
        before.values().forEach(l -> l.values().forEach(e -> existing.put(e.key(), e.template())));
        for (Map.Entry<String, MessageTemplate> f : fetched.entrySet()) {
            MessageTemplate had = existing.get(f.getKey());
            MessageTemplate t = f.getValue();
            if (had == null) {
                result.addAdded(f.getKey());
            } else if (sameAsMeta(had, t)) {
                continue;
            } else {
                result.addChanged(f.getKey() + ": " + difference(had, t));
                t = t.toBuilder().setQualityScore(had.getQualityScore()).build();
            }
            put(next, w, CatalogueEntry.of(t));
        }
        for (Map.Entry<String, MessageTemplate> e : existing.entrySet()) {
            if (!fetched.containsKey(e.getKey())) {
                result.addRemoved(e.getKey());
                remove(next, w, e.getValue());
            }
        }
        next.putIfAbsent(wabaId, Map.of()); // synced, even if empty: the catalogue now knows
        CatalogueStatus s = old.toBuilder().setLastAttemptAt(Timestamps.fromMillis(now))
                .setLastSyncedAt(Timestamps.fromMillis(now)).setLastError("").build();
        w.put(ColumnFamily.TEMPLATES, Keys.utf8(STATE_PREFIX + wabaId), s.toByteArray());
        commit(w, next);
        Map<String, CatalogueStatus> st = new HashMap<>(states);
        st.put(wabaId, s);
        states = Map.copyOf(st);
        int count = next.get(wabaId).values().stream().mapToInt(Map::size).sum();
        if (result.getAddedCount() + result.getRemovedCount() + result.getChangedCount() > 0) {
            log.info("templates of WABA {} synced: {} in all, {} added, {} removed, {} changed", wabaId, count,
                    result.getAddedCount(), result.getRemovedCount(), result.getChangedCount());
        }
        return result.setTemplates(count).build();
    }

    private static boolean sameAsMeta(MessageTemplate a, MessageTemplate b) {
        return a.getId().equals(b.getId()) && a.getStatus().equals(b.getStatus())
                && a.getCategory().equals(b.getCategory()) && a.getParameterFormat().equals(b.getParameterFormat())
                && a.getComponentsJson().equals(b.getComponentsJson());
    }

    private static String difference(MessageTemplate a, MessageTemplate b) {
        List<String> d = new ArrayList<>();
        if (!a.getStatus().equals(b.getStatus())) {
            d.add("status " + a.getStatus() + " -> " + b.getStatus());
        }
        if (!a.getCategory().equals(b.getCategory())) {
            d.add("category " + a.getCategory() + " -> " + b.getCategory());
        }
        if (!a.getParameterFormat().equals(b.getParameterFormat())) {
            d.add("parameter_format " + a.getParameterFormat() + " -> " + b.getParameterFormat());
        }
        if (!a.getComponentsJson().equals(b.getComponentsJson())) {
            d.add("components");
        }
        if (!a.getId().equals(b.getId())) {
            d.add("id " + a.getId() + " -> " + b.getId());
        }
        return String.join(", ", d);
    }

    private static MessageTemplate fromMeta(String wabaId, JsonNode n, long now) {
        JsonNode components = n.path("components");
        return MessageTemplate.newBuilder()
                .setWabaId(wabaId)
                .setId(n.path("id").asText(""))
                .setName(n.path("name").asText(""))
                .setLanguage(n.path("language").asText(""))
                .setStatus(n.path("status").asText("").toUpperCase(Locale.ROOT))
                .setCategory(n.path("category").asText("").toUpperCase(Locale.ROOT))
                .setParameterFormat(n.path("parameter_format").asText("POSITIONAL").toUpperCase(Locale.ROOT))
                .setComponentsJson(components.isArray() ? components.toString() : "[]")
                .setUpdatedAt(Timestamps.fromMillis(now))
                .build();
    }

    private void wakeFollower() {
        if (!closed && followScheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::follow);
            } catch (RejectedExecutionException stopped) {
                followScheduled.set(false);
            }
        }
    }

    private void follow() {
        followScheduled.set(false);
        try {
            while (!closed && followBatch()) {
                // until the log's head
            }
        } catch (RuntimeException e) {
            log.warn("applying template webhooks failed at offset {}, trying again shortly: {}", cursor, e.toString());
            try {
                thread.schedule(this::wakeFollower, RETRY_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // closing
            }
        }
    }

    /** Applies one page of template webhooks; returns whether more may be waiting. */
    private boolean followBatch() {
        EventLog.Page page = eventLog.read(cursor, BATCH, BATCH, e -> e.getKind() == EventKind.ACCOUNT_UPDATE
                && FIELDS.contains(e.getAccountUpdate().getField()));
        if (page.nextOffset() == cursor) {
            return false;
        }
        Map<String, Map<String, Map<String, CatalogueEntry>>> next = copy(index);
        WriteSet w = new WriteSet();
        Set<String> resync = new java.util.TreeSet<>();
        for (Event e : page.events()) {
            applyWebhook(e, next, w, resync);
        }
        cursor = page.nextOffset();
        w.put(ColumnFamily.EVENT_CURSORS, CURSOR_KEY, Keys.u64(cursor));
        commit(w, next);
        for (String waba : resync) {
            sync(waba);
        }
        return cursor <= eventLog.head();
    }

    private void applyWebhook(Event e, Map<String, Map<String, Map<String, CatalogueEntry>>> next, WriteSet w,
                              Set<String> resync) {
        String waba = e.getWabaId();
        if (!tokenByWaba.containsKey(waba)) {
            return; // not one of ours
        }
        JsonNode v;
        try {
            v = JSON.readTree(e.getAccountUpdate().getValueJson());
        } catch (IOException bad) {
            log.warn("a {} webhook (event {}) is not JSON; ignored", e.getAccountUpdate().getField(), e.getOffset());
            return;
        }
        String field = e.getAccountUpdate().getField();
        if (field.equals("message_template_components_update")) {
            resync.add(waba);
            return;
        }
        CatalogueEntry entry = find(next, waba, v);
        if (entry == null) {
            resync.add(waba); // made or changed elsewhere: fetch it
            return;
        }
        MessageTemplate.Builder t = entry.template().toBuilder()
                .setUpdatedAt(Timestamps.fromMillis(clock.getAsLong()));
        switch (field) {
            case "message_template_status_update" -> {
                String event = v.path("event").asText("").toUpperCase(Locale.ROOT);
                String status = switch (event) {
                    case "FLAGGED", "" -> entry.template().getStatus(); // flagged stays approved until disabled
                    case "REINSTATED", "UNPAUSED" -> "APPROVED";
                    default -> event;
                };
                t.setStatus(status).setStatusReason(v.path("reason").asText("NONE").equals("NONE") ? ""
                        : v.path("reason").asText(""));
            }
            case "template_category_update" -> {
                String category = v.path("new_category").asText(v.path("correct_category").asText(""));
                if (!category.isEmpty()) {
                    t.setCategory(category.toUpperCase(Locale.ROOT));
                }
            }
            case "message_template_quality_update" ->
                    t.setQualityScore(v.path("new_quality_score").asText("").toUpperCase(Locale.ROOT));
            default -> {
                return;
            }
        }
        MessageTemplate updated = t.build();
        if (!updated.getStatus().equals(entry.template().getStatus())) {
            log.info("template {} of WABA {} is now {} (webhook)", entry.key(), waba, updated.getStatus());
        }
        put(next, w, CatalogueEntry.of(updated));
    }

    /** The entry a webhook value names: by id, else by name and language. */
    private static CatalogueEntry find(Map<String, Map<String, Map<String, CatalogueEntry>>> idx, String waba,
                                       JsonNode v) {
        Map<String, Map<String, CatalogueEntry>> names = idx.getOrDefault(waba, Map.of());
        String id = v.path("message_template_id").asText("");
        String name = v.path("message_template_name").asText("");
        String language = v.path("message_template_language").asText("");
        CatalogueEntry byName = names.getOrDefault(name, Map.of()).get(language);
        if (byName != null) {
            return byName;
        }
        if (!id.isEmpty()) {
            for (Map<String, CatalogueEntry> langs : names.values()) {
                for (CatalogueEntry e : langs.values()) {
                    if (e.template().getId().equals(id)) {
                        return e;
                    }
                }
            }
        }
        return null;
    }

    // ---- storage ----

    private void load() {
        Map<String, Map<String, Map<String, CatalogueEntry>>> idx = new HashMap<>();
        Map<String, CatalogueStatus> st = new HashMap<>();
        db.scan(ColumnFamily.TEMPLATES, Keys.MIN, Keys.MAX, false, (k, v) -> {
            String key = new String(k, java.nio.charset.StandardCharsets.UTF_8);
            try {
                if (key.startsWith(TEMPLATE_PREFIX)) {
                    MessageTemplate t = MessageTemplate.parseFrom(v);
                    idx.computeIfAbsent(t.getWabaId(), x -> new HashMap<>())
                            .computeIfAbsent(t.getName(), x -> new HashMap<>())
                            .put(t.getLanguage(), CatalogueEntry.of(t));
                } else if (key.startsWith(STATE_PREFIX)) {
                    CatalogueStatus s = CatalogueStatus.parseFrom(v);
                    st.put(s.getWabaId(), s);
                    if (s.hasLastSyncedAt()) {
                        idx.computeIfAbsent(s.getWabaId(), x -> new HashMap<>());
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                throw new StoreException("a template catalogue record does not decode: " + e.getMessage(), e);
            }
            return true;
        });
        this.index = freeze(idx);
        this.states = Map.copyOf(st);
    }

    private void saveState(CatalogueStatus s) {
        WriteSet w = new WriteSet();
        w.put(ColumnFamily.TEMPLATES, Keys.utf8(STATE_PREFIX + s.getWabaId()), s.toBuilder().clearTemplates().build()
                .toByteArray());
        db.writeUnsynced(w);
        Map<String, CatalogueStatus> st = new HashMap<>(states);
        st.put(s.getWabaId(), s);
        states = Map.copyOf(st);
    }

    private void commit(WriteSet w, Map<String, Map<String, Map<String, CatalogueEntry>>> next) {
        if (!w.isEmpty()) {
            db.writeUnsynced(w); // Meta holds the truth: a catalogue lost to a power cut is fetched again
        }
        index = freeze(next);
    }

    private static void put(Map<String, Map<String, Map<String, CatalogueEntry>>> idx, WriteSet w, CatalogueEntry e) {
        MessageTemplate t = e.template();
        idx.computeIfAbsent(t.getWabaId(), x -> new HashMap<>())
                .computeIfAbsent(t.getName(), x -> new HashMap<>())
                .put(t.getLanguage(), e);
        w.put(ColumnFamily.TEMPLATES, key(t), t.toByteArray());
    }

    private static void remove(Map<String, Map<String, Map<String, CatalogueEntry>>> idx, WriteSet w,
                               MessageTemplate t) {
        Map<String, Map<String, CatalogueEntry>> names = idx.get(t.getWabaId());
        if (names != null && names.containsKey(t.getName())) {
            names.get(t.getName()).remove(t.getLanguage());
            if (names.get(t.getName()).isEmpty()) {
                names.remove(t.getName());
            }
        }
        w.delete(ColumnFamily.TEMPLATES, key(t));
    }

    private static byte[] key(MessageTemplate t) {
        return Keys.utf8(TEMPLATE_PREFIX + t.getWabaId() + "/" + t.getName() + "/" + t.getLanguage());
    }

    /** A mutable deep copy of {@code idx} to build the next snapshot in. */
    private static Map<String, Map<String, Map<String, CatalogueEntry>>> copy(
            Map<String, Map<String, Map<String, CatalogueEntry>>> idx) {
        Map<String, Map<String, Map<String, CatalogueEntry>>> out = new HashMap<>();
        idx.forEach((waba, names) -> {
            Map<String, Map<String, CatalogueEntry>> n = new HashMap<>();
            names.forEach((name, langs) -> n.put(name, new HashMap<>(langs)));
            out.put(waba, n);
        });
        return out;
    }

    private static Map<String, Map<String, Map<String, CatalogueEntry>>> freeze(
            Map<String, Map<String, Map<String, CatalogueEntry>>> idx) {
        Map<String, Map<String, Map<String, CatalogueEntry>>> out = new HashMap<>();
        idx.forEach((waba, names) -> {
            Map<String, Map<String, CatalogueEntry>> n = new HashMap<>();
            names.forEach((name, langs) -> n.put(name, Map.copyOf(langs)));
            out.put(waba, Map.copyOf(n));
        });
        return Map.copyOf(out);
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
