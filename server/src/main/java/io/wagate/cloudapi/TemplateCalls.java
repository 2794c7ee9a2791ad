package io.wagate.cloudapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The template management calls of {@link CloudApiClient} (reference §6), on its {@link HttpClient}:
 * list every template of a WABA (following {@code paging.cursors.after}), get one by id, create,
 * delete. Errors are classified with the client's error table.
 *
 * <p>Threading: thread-safe; results complete on the client's executor.
 */
final class TemplateCalls {
    /** The fields the catalogue keeps. */
    static final String FIELDS = "name,category,status,language,components,parameter_format,id";
    /** Templates asked for per page. */
    static final int PAGE_SIZE = 100;
    /** A WABA has at most a few thousand templates: more pages than this means a paging loop. */
    static final int MAX_PAGES = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_.-]+$");

    private final HttpClient http;
    private final URI baseUrl;
    private final String apiVersion;
    private final Duration requestTimeout;
    private final CloudApiResponseParser parser;

    TemplateCalls(HttpClient http, URI baseUrl, String apiVersion, Duration requestTimeout,
                  CloudApiResponseParser parser) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.apiVersion = apiVersion;
        this.requestTimeout = requestTimeout;
        this.parser = parser;
    }

    CompletableFuture<TemplateResult> list(String wabaId, String accessToken) {
        segment(wabaId, "wabaId");
        Objects.requireNonNull(accessToken, "accessToken");
        return page(wabaId, accessToken, null, new ArrayList<>(), 1);
    }

    private CompletableFuture<TemplateResult> page(String wabaId, String accessToken, String after,
                                                   List<JsonNode> sofar, int pageNo) {
        String query = "fields=" + enc(FIELDS) + "&limit=" + PAGE_SIZE + (after == null ? "" : "&after=" + enc(after));
        HttpRequest request = get(uri(wabaId + "/message_templates", query), accessToken);
        return call(request, accessToken, root -> root).thenCompose(r -> {
            if (r instanceof TemplateResult.Failed) {
                return CompletableFuture.completedFuture(r);
            }
            JsonNode root = ((TemplateResult.Found) r).template();
            JsonNode data = root.get("data");
            if (data == null || !data.isArray()) {
                return CompletableFuture.completedFuture(notMeta(200, "the template list has no data array"));
            }
            data.forEach(sofar::add);
            String next = CloudApiResponseParser.text(root.path("paging").path("cursors"), "after");
            boolean more = root.path("paging").hasNonNull("next") && next != null && !next.isEmpty() && data.size() > 0;
            if (!more) {
                return CompletableFuture.completedFuture(new TemplateResult.Listed(sofar, pageNo));
            }
            if (pageNo >= MAX_PAGES) {
                return CompletableFuture.completedFuture(notMeta(200, "the template list did not end after "
                        + MAX_PAGES + " pages"));
            }
            return page(wabaId, accessToken, next, sofar, pageNo + 1);
        });
    }

    CompletableFuture<TemplateResult> get(String templateId, String accessToken) {
        segment(templateId, "templateId");
        Objects.requireNonNull(accessToken, "accessToken");
        return call(get(uri(templateId, "fields=" + enc(FIELDS)), accessToken), accessToken,
                root -> root.hasNonNull("id") ? new TemplateResult.Found(root) : null);
    }

    CompletableFuture<TemplateResult> create(String wabaId, String accessToken, ObjectNode template) {
        segment(wabaId, "wabaId");
        Objects.requireNonNull(accessToken, "accessToken");
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(template);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the template", e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri(wabaId + "/message_templates", null))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return call(request, accessToken, root -> {
            String id = CloudApiResponseParser.text(root, "id");
            return id == null ? null : new TemplateResult.Created(id, CloudApiResponseParser.text(root, "status"),
                    CloudApiResponseParser.text(root, "category"));
        });
    }

    /** @param templateId Meta's id of one language's template; null deletes every language of the name */
    CompletableFuture<TemplateResult> delete(String wabaId, String accessToken, String name, String templateId) {
        segment(wabaId, "wabaId");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(name, "name");
        String query = "name=" + enc(name);
        if (templateId != null) {
            segment(templateId, "templateId");
            query += "&hsm_id=" + enc(templateId);
        }
        HttpRequest request = HttpRequest.newBuilder(uri(wabaId + "/message_templates", query))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .DELETE()
                .build();
        return call(request, accessToken,
                root -> root.path("success").asBoolean(false) ? new TemplateResult.Deleted() : null);
    }

    private HttpRequest get(URI uri, String accessToken) {
        return HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .GET()
                .build();
    }

    /** @param success the result of a 2xx JSON answer; null when the body is not what the call expects */
    private CompletableFuture<TemplateResult> call(HttpRequest request, String accessToken,
                                                   Function<JsonNode, Object> success) {
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new TemplateResult.Failed(
                    new SendResult.TransportFailure(false, "request not started: " + e.getClass().getSimpleName())));
        }
        return sent.handle((response, failure) -> {
            if (failure != null) {
                return new TemplateResult.Failed(TransportFailureClassifier.classify(failure));
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                JsonNode root = CloudApiResponseParser.json(response.body());
                Object r = root == null ? null : success.apply(root);
                if (r instanceof JsonNode n) {
                    return new TemplateResult.Found(n);
                }
                return r instanceof TemplateResult t ? t : notMeta(status, "HTTP " + status
                        + " body was not Meta's answer to this template call");
            }
            return new TemplateResult.Failed(parser.error(status, response.body(), accessToken));
        });
    }

    private static TemplateResult notMeta(int status, String details) {
        return new TemplateResult.Failed(new SendResult.MetaError(status, 0, null, null, "HTTP " + status, details,
                null, RetryClass.TRANSIENT));
    }

    private URI uri(String path, String query) {
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/" + apiVersion + "/" + path + (query == null ? "" : "?" + query));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void segment(String s, String what) {
        if (s == null || !SEGMENT.matcher(s).matches()) {
            throw new IllegalArgumentException(what + " is not a Graph id: " + s);
        }
    }
}
