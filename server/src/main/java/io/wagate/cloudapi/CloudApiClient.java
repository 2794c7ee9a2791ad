package io.wagate.cloudapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Calls Meta's Cloud API messages endpoint, {@code POST {baseUrl}/{apiVersion}/{phoneNumberId}/messages}.
 *
 * <p>Every outcome is a {@link SendResult}; the returned futures never complete exceptionally for
 * Meta's errors or network trouble. The access token is passed per call (numbers have their own
 * tokens) and never appears in results or logs.
 *
 * <pre>{@code
 * try (CloudApiClient client = new CloudApiClient(URI.create("https://graph.facebook.com"), "v25.0",
 *         Duration.ofSeconds(5), Duration.ofSeconds(30))) {
 *     SendResult r = client.sendMessage(numberId, token, mapper.toJson(req, to, callbackData)).join();
 * }
 * }</pre>
 *
 * <p>Threading: thread-safe; one instance serves all dispatchers. It uses one
 * {@link HttpClient} (HTTP/1.1, connections kept alive and reused) and a small dedicated executor
 * on which the futures complete, so callers must not block in their continuations for long.
 */
public final class CloudApiClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("^v\\d+\\.\\d+$");
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_.-]+$");
    private static final int EXECUTOR_THREADS = 2;

    private final URI baseUrl;
    private final String apiVersion;
    private final Duration requestTimeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private final CloudApiResponseParser parser = new CloudApiResponseParser();

    /**
     * @param baseUrl scheme, host and port, for example {@code https://graph.facebook.com}
     * @param apiVersion pinned Graph version, for example {@code v25.0}
     * @param connectTimeout bound on establishing a connection (a connect timeout means "not sent")
     * @param requestTimeout bound on the whole exchange once connected (a timeout means "maybe sent")
     */
    public CloudApiClient(URI baseUrl, String apiVersion, Duration connectTimeout, Duration requestTimeout) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        if (apiVersion == null || !VERSION.matcher(apiVersion).matches()) {
            throw new IllegalArgumentException("apiVersion must look like v25.0, got " + apiVersion);
        }
        this.apiVersion = apiVersion;
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.executor = Executors.newFixedThreadPool(EXECUTOR_THREADS, new DaemonThreadFactory());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * Sends one message.
     *
     * @param phoneNumberId the sending number's Graph id
     * @param accessToken its system-user token (sent as {@code Authorization: Bearer})
     * @param payload the body from {@link MessagePayloadMapper#toJson}
     * @return {@link SendResult.Accepted}, {@link SendResult.MetaError} or {@link SendResult.TransportFailure}
     */
    public CompletableFuture<SendResult> sendMessage(String phoneNumberId, String accessToken, ObjectNode payload) {
        return post(phoneNumberId, accessToken, payload, false);
    }

    /**
     * Marks an inbound message read (and optionally shows "typing…").
     *
     * @param payload the body from {@link MessagePayloadMapper#markRead}
     * @return {@link SendResult.Acknowledged}, {@link SendResult.MetaError} or {@link SendResult.TransportFailure}
     */
    public CompletableFuture<SendResult> markRead(String phoneNumberId, String accessToken, ObjectNode payload) {
        return post(phoneNumberId, accessToken, payload, true);
    }

    private CompletableFuture<SendResult> post(String phoneNumberId, String accessToken, ObjectNode payload,
                                               boolean markRead) {
        if (phoneNumberId == null || !SEGMENT.matcher(phoneNumberId).matches()) {
            throw new IllegalArgumentException("phoneNumberId is not a Graph id: " + phoneNumberId);
        }
        Objects.requireNonNull(accessToken, "accessToken");
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            // An ObjectNode always serialises; this is a bug, not a Meta or network outcome.
            throw new IllegalStateException("cannot serialise payload", e);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint(phoneNumberId))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            // Rejected before anything went on the wire (for example the executor is shut down).
            return CompletableFuture.completedFuture(
                    new SendResult.TransportFailure(false, "request not started: " + e.getClass().getSimpleName()));
        }
        return sent.handle((response, failure) -> failure != null
                ? TransportFailureClassifier.classify(failure)
                : parser.parse(response.statusCode(), response.body(), markRead, accessToken));
    }

    /** Parsing a URI costs more than the rest of building a request: one per number, kept. */
    private final java.util.Map<String, URI> endpoints = new java.util.concurrent.ConcurrentHashMap<>();

    private URI endpoint(String phoneNumberId) {
        return endpoints.computeIfAbsent(phoneNumberId, this::newEndpoint);
    }

    private URI newEndpoint(String phoneNumberId) {
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/" + apiVersion + "/" + phoneNumberId + "/messages");
    }

    /** Stops the executor; requests in flight complete or fail, new ones become transport failures. */
    @Override
    public void close() {
        executor.shutdown();
    }

    private static final class DaemonThreadFactory implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "cloudapi-client-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
