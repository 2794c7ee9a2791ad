package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Meta's template management endpoints (reference §6, §11), Bearer-protected: the token must be
 * that of a number in the WABA that owns the templates.
 * <ul>
 *   <li>{@code GET /{ver}/{waba-id}/message_templates} with {@code fields}, {@code limit},
 *       {@code after}/{@code before} cursors, and {@code name} (part of the name), {@code status},
 *       {@code category}, {@code language} filters: {@code {"data":[...],"paging":{"cursors":
 *       {"before","after"},"next"}}}, oldest first;
 *   <li>{@code POST /{ver}/{waba-id}/message_templates}: {@code {"id","status","category"}};
 *   <li>{@code DELETE /{ver}/{waba-id}/message_templates?name=N[&hsm_id=ID]}: {@code {"success":true}};
 *   <li>{@code GET /{ver}/{template-id}[?fields=...]}: the template;
 *   <li>{@code POST /{ver}/{template-id}}: edit components and/or category: {@code {"success":true}}.
 * </ul>
 * Errors are Graph errors: 190 (token), 100 with subcode 33 (an object the token cannot reach),
 * 100 with {@code error_data.details} (a bad template, parameter or cursor).
 *
 * <p>Threading: called on event loops; only CPU work on the thread-safe catalogue.
 */
final class SandboxTemplateEndpoints {

    /** Group 1 the version, group 2 the WABA id. */
    static final Pattern LIST_PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([0-9]{1,32})/message_templates/?$");
    /** Group 1 the version, group 2 the node id. */
    static final Pattern NODE_PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([0-9]{1,30})/?$");
    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 1000;
    private static final List<String> FIELDS = List.of("name", "parameter_format", "components", "language", "status",
            "category", "id");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What to answer: a Graph error or a body. */
    record Answer(GraphError error, JsonNode body) {
        static Answer ok(JsonNode body) {
            return new Answer(null, body);
        }

        static Answer error(GraphError e) {
            return new Answer(e, null);
        }
    }

    private final Map<String, String> numbers;
    private final Map<String, String> wabas;
    private final TemplateCatalog catalog;

    /**
     * @param numbers phone-number id to token
     * @param wabas phone-number id to WABA id
     */
    SandboxTemplateEndpoints(Map<String, String> numbers, Map<String, String> wabas, TemplateCatalog catalog) {
        this.numbers = numbers;
        this.wabas = wabas;
        this.catalog = catalog;
    }

    /** True for the requests answered here: the WABA's template list, and GET/POST of a template id (POST of any id). */
    boolean handles(HttpMethod method, String path) {
        if (LIST_PATH.matcher(path).matches()) {
            return true;
        }
        Matcher m = NODE_PATH.matcher(path);
        if (!m.matches()) {
            return false;
        }
        return method.equals(HttpMethod.POST) || (method.equals(HttpMethod.GET) && catalog.byId(m.group(2)).isPresent());
    }

    Answer handle(FullHttpRequest req, QueryStringDecoder uri) {
        String token = SandboxHttpHandler.bearerToken(req);
        if (token == null || !numbers.containsValue(token)) {
            return Answer.error(SandboxHttpHandler.invalidToken());
        }
        Matcher list = LIST_PATH.matcher(uri.path());
        try {
            if (list.matches()) {
                String waba = list.group(2);
                if (!reaches(token, waba)) {
                    return Answer.error(unknownObject(req.method(), waba));
                }
                if (req.method().equals(HttpMethod.GET)) {
                    return Answer.ok(list(req, uri, list.group(1), waba));
                } else if (req.method().equals(HttpMethod.POST)) {
                    SandboxTemplate t = catalog.create(waba, body(req));
                    return Answer.ok(NODES.objectNode().put("id", t.id()).put("status", t.status())
                            .put("category", t.category()));
                } else if (req.method().equals(HttpMethod.DELETE)) {
                    String name = first(uri, "name");
                    if (name == null) {
                        return Answer.error(GraphError.of(100, "The parameter name is required."));
                    }
                    catalog.delete(waba, name, first(uri, "hsm_id"));
                    return Answer.ok(NODES.objectNode().put("success", true));
                }
                return Answer.error(SandboxHttpHandler.unsupported(req.method(), waba));
            }
            Matcher node = NODE_PATH.matcher(uri.path());
            node.matches();
            String id = node.group(2);
            Optional<SandboxTemplate> t = catalog.byId(id).filter(x -> reaches(token, x.wabaId()));
            if (t.isEmpty()) {
                return Answer.error(unknownObject(req.method(), id));
            }
            if (req.method().equals(HttpMethod.GET)) {
                return Answer.ok(project(t.get(), fields(uri)));
            }
            catalog.edit(t.get(), body(req));
            return Answer.ok(NODES.objectNode().put("success", true));
        } catch (TemplateDefinition.Invalid e) {
            return Answer.error(e.error());
        }
    }

    private ObjectNode list(FullHttpRequest req, QueryStringDecoder uri, String version, String waba) {
        Set<String> fields = fields(uri);
        int limit = DEFAULT_LIMIT;
        String l = first(uri, "limit");
        if (l != null) {
            if (!l.matches("[0-9]{1,4}") || Integer.parseInt(l) < 1 || Integer.parseInt(l) > MAX_LIMIT) {
                throw new TemplateDefinition.Invalid("Param limit must be an integer from 1 to " + MAX_LIMIT + ", got "
                        + TemplateDefinition.abbreviate(l) + ".");
            }
            limit = Integer.parseInt(l);
        }
        String name = first(uri, "name");
        Set<String> statuses = upperSet(first(uri, "status"), SandboxTemplate.STATUSES, "status");
        Set<String> categories = upperSet(first(uri, "category"), SandboxTemplate.CATEGORIES, "category");
        String language = first(uri, "language");
        List<SandboxTemplate> matching = catalog.list(waba).stream()
                .filter(t -> name == null || t.name().contains(name))
                .filter(t -> statuses == null || statuses.contains(t.status()))
                .filter(t -> categories == null || categories.contains(t.category()))
                .filter(t -> language == null || t.language().equals(language))
                .toList();
        String after = first(uri, "after");
        String before = first(uri, "before");
        int from = 0;
        int to = matching.size();
        if (after != null) {
            long a = cursor(after, "after");
            from = (int) matching.stream().filter(t -> Long.parseLong(t.id()) <= a).count();
        }
        if (before != null) {
            long b = cursor(before, "before");
            to = (int) matching.stream().filter(t -> Long.parseLong(t.id()) < b).count();
            from = Math.max(from, to - limit);
        }
        List<SandboxTemplate> page = new ArrayList<>(matching.subList(Math.min(from, to), to));
        boolean more = page.size() > limit;
        if (more) {
            page = page.subList(0, limit);
        }
        ObjectNode root = NODES.objectNode();
        ArrayNode data = root.putArray("data");
        page.forEach(t -> data.add(project(t, fields)));
        ObjectNode paging = root.putObject("paging");
        if (!page.isEmpty()) {
            ObjectNode cursors = paging.putObject("cursors");
            cursors.put("before", encode(page.get(0).id()));
            cursors.put("after", encode(page.get(page.size() - 1).id()));
            if (more) {
                paging.put("next", next(req, uri, version, waba, encode(page.get(page.size() - 1).id())));
            }
        }
        return root;
    }

    /** The URL of the next page: this request's query with {@code after} replaced. */
    private static String next(FullHttpRequest req, QueryStringDecoder uri, String version, String waba, String after) {
        String host = req.headers().get(HttpHeaderNames.HOST, "127.0.0.1");
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, List<String>> e : uri.parameters().entrySet()) {
            if (e.getKey().equals("after") || e.getKey().equals("before")) {
                continue;
            }
            for (String v : e.getValue()) {
                q.append(q.length() == 0 ? "" : "&").append(enc(e.getKey())).append('=').append(enc(v));
            }
        }
        q.append(q.length() == 0 ? "" : "&").append("after=").append(enc(after));
        return "http://" + host + "/" + version + "/" + waba + "/message_templates?" + q;
    }

    private static ObjectNode project(SandboxTemplate t, Set<String> fields) {
        ObjectNode all = t.toJson();
        ObjectNode o = NODES.objectNode();
        for (String f : FIELDS) {
            if (fields.contains(f) || f.equals("id")) {
                o.set(f, all.get(f));
            }
        }
        return o;
    }

    private static Set<String> fields(QueryStringDecoder uri) {
        String f = first(uri, "fields");
        if (f == null || f.isBlank()) {
            return Set.copyOf(FIELDS);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : f.split(",")) {
            String field = s.trim();
            if (!FIELDS.contains(field)) {
                throw new TemplateDefinition.Invalid(new GraphError(400, 100, null, "OAuthException",
                        "(#100) Tried accessing nonexisting field (" + abbreviate(field) + ") on node type"
                                + " (WhatsAppBusinessHSM)", "Known fields: " + String.join(", ", FIELDS) + "."));
            }
            out.add(field);
        }
        return out;
    }

    private static Set<String> upperSet(String csv, Set<String> known, String param) {
        if (csv == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : csv.split(",")) {
            String v = s.trim().toUpperCase(Locale.ROOT);
            if (!known.contains(v)) {
                throw new TemplateDefinition.Invalid("Param " + param + " must be one or more of "
                        + new java.util.TreeSet<>(known) + ", got " + TemplateDefinition.abbreviate(s.trim()) + ".");
            }
            out.add(v);
        }
        return out;
    }

    /** Cursors are opaque to clients: the base64 of a template id. */
    private static String encode(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
    }

    private static long cursor(String c, String param) {
        try {
            String id = new String(Base64.getUrlDecoder().decode(c), StandardCharsets.US_ASCII);
            if (id.matches("[0-9]{1,18}")) {
                return Long.parseLong(id);
            }
        } catch (IllegalArgumentException e) {
            // reported below like any other bad cursor
        }
        throw new TemplateDefinition.Invalid("Param " + param + " is not a cursor this endpoint issued: "
                + TemplateDefinition.abbreviate(c) + ".");
    }

    /** True if {@code token} belongs to a number of {@code waba}. */
    private boolean reaches(String token, String waba) {
        for (Map.Entry<String, String> n : numbers.entrySet()) {
            if (n.getValue().equals(token) && waba.equals(wabas.getOrDefault(n.getKey(), SandboxOptions.DEFAULT_WABA_ID))) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode body(FullHttpRequest req) {
        try (InputStream in = new ByteBufInputStream(req.content().duplicate())) {
            JsonNode n = JSON.readTree(in);
            return n == null ? NODES.objectNode() : n;
        } catch (IOException e) {
            throw new TemplateDefinition.Invalid("The request body is not JSON.");
        }
    }

    private static GraphError unknownObject(HttpMethod method, String id) {
        return new GraphError(400, 100, 33, "GraphMethodException", "Unsupported "
                + method.name().toLowerCase(Locale.ROOT) + " request. Object with ID '" + abbreviate(id) + "' does not"
                + " exist, cannot be loaded due to missing permissions, or does not support this operation. Please read"
                + " the Graph API documentation at https://developers.facebook.com/docs/graph-api", null);
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> v = uri.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
