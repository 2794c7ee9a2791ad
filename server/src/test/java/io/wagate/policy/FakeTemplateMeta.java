package io.wagate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meta's template management endpoints over a real socket (JDK HttpServer), for the catalogue's
 * tests: {@code GET/POST/DELETE /{version}/{waba}/message_templates} with cursor paging, and an
 * outage switch. Holds templates per WABA in creation order. Thread-safe enough for tests
 * (synchronized on itself).
 */
final class FakeTemplateMeta implements AutoCloseable {
    static final String TOKEN = "test-token-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, List<ObjectNode>> templates = new HashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(900_000);
    final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int failWith; // HTTP status to answer every call with; 0: work
    private int pageSize = 100;

    FakeTemplateMeta() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized void pageSize(int n) {
        pageSize = n;
    }

    /** Every call answers {@code status} with Meta's error envelope (0: back to normal). */
    void failWith(int status) {
        failWith = status;
    }

    /** Adds a template as Meta lists it; returns its id. */
    synchronized String add(String waba, String name, String language, String status, String category,
                            String parameterFormat, String componentsJson) {
        ObjectNode t = JSON.createObjectNode();
        String id = Integer.toString(nextId.incrementAndGet());
        t.put("name", name).put("language", language).put("status", status).put("category", category)
                .put("parameter_format", parameterFormat).put("id", id);
        try {
            t.set("components", JSON.readTree(componentsJson));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        templates.computeIfAbsent(waba, w -> new ArrayList<>()).add(t);
        return id;
    }

    synchronized void setStatus(String waba, String name, String language, String status) {
        for (ObjectNode t : templates.getOrDefault(waba, List.of())) {
            if (t.path("name").asText().equals(name) && t.path("language").asText().equals(language)) {
                t.put("status", status);
            }
        }
    }

    synchronized void remove(String waba, String name) {
        templates.getOrDefault(waba, new ArrayList<>()).removeIf(t -> t.path("name").asText().equals(name));
    }

    synchronized int count(String waba) {
        return templates.getOrDefault(waba, List.of()).size();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            requests.add(x.getRequestMethod() + " " + path + (q.isEmpty() ? "" : " " + q));
            if (failWith != 0) {
                answer(x, failWith, "{\"error\":{\"message\":\"(#2) Service temporarily unavailable\",\"type\":"
                        + "\"OAuthException\",\"code\":2,\"fbtrace_id\":\"Afake\"}}");
                return;
            }
            if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                answer(x, 401, "{\"error\":{\"message\":\"(#190) Invalid OAuth access token\",\"type\":"
                        + "\"OAuthException\",\"code\":190}}");
                return;
            }
            String[] parts = path.split("/");
            if (parts.length != 4 || !parts[3].equals("message_templates")) {
                answer(x, 404, "{\"error\":{\"message\":\"Unknown path\",\"type\":\"GraphMethodException\",\"code\":100,"
                        + "\"error_subcode\":33}}");
                return;
            }
            String waba = parts[2];
            switch (x.getRequestMethod()) {
                case "GET" -> list(x, waba, q);
                case "POST" -> create(x, waba);
                case "DELETE" -> delete(x, waba, q);
                default -> answer(x, 405, "{}");
            }
        }
    }

    private synchronized void list(HttpExchange x, String waba, Map<String, String> q) throws IOException {
        List<ObjectNode> all = templates.getOrDefault(waba, List.of());
        int from = q.containsKey("after") ? Integer.parseInt(q.get("after")) : 0;
        int limit = Math.min(pageSize, Integer.parseInt(q.getOrDefault("limit", "25")));
        ObjectNode root = JSON.createObjectNode();
        ArrayNode data = root.putArray("data");
        for (int i = from; i < Math.min(all.size(), from + limit); i++) {
            data.add(all.get(i));
        }
        ObjectNode paging = root.putObject("paging");
        paging.putObject("cursors").put("before", Integer.toString(from)).put("after", Integer.toString(from + limit));
        if (from + limit < all.size()) {
            paging.put("next", "https://graph.example/next?after=" + (from + limit));
        }
        answer(x, 200, root.toString());
    }

    private synchronized void create(HttpExchange x, String waba) throws IOException {
        JsonNode body = JSON.readTree(x.getRequestBody());
        for (ObjectNode t : templates.getOrDefault(waba, List.of())) {
            if (t.path("name").asText().equals(body.path("name").asText())
                    && t.path("language").asText().equals(body.path("language").asText())) {
                answer(x, 400, "{\"error\":{\"message\":\"(#100) Invalid parameter\",\"type\":\"OAuthException\","
                        + "\"code\":100,\"error_subcode\":2388024,\"error_data\":{\"details\":\"Content in this"
                        + " language already exists\"}}}");
                return;
            }
        }
        String id = add(waba, body.path("name").asText(), body.path("language").asText(), "PENDING",
                body.path("category").asText(), body.path("parameter_format").asText("POSITIONAL"),
                body.path("components").toString());
        answer(x, 200, "{\"id\":\"" + id + "\",\"status\":\"PENDING\",\"category\":\"" + body.path("category").asText()
                + "\"}");
    }

    private synchronized void delete(HttpExchange x, String waba, Map<String, String> q) throws IOException {
        String name = q.get("name");
        String hsm = q.get("hsm_id");
        boolean removed = templates.getOrDefault(waba, new ArrayList<>()).removeIf(t ->
                t.path("name").asText().equals(name) && (hsm == null || t.path("id").asText().equals(hsm)));
        if (!removed) {
            answer(x, 400, "{\"error\":{\"message\":\"(#100) Invalid parameter\",\"type\":\"OAuthException\","
                    + "\"code\":100,\"error_data\":{\"details\":\"Template not found\"}}}");
            return;
        }
        answer(x, 200, "{\"success\":true}");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
