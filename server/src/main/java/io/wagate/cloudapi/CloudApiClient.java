package io.wagate.cloudapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Calls Meta's Cloud API messages endpoint, {@code POST {baseUrl}/{apiVersion}/{phoneNumberId}/messages},
 * and its media endpoints (upload, retrieve URL, download, delete; outcomes are {@link MediaResult}s).
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
    private final MediaCalls media;
    private final TemplateCalls templates;

    /** Downloads stop past this unless told otherwise: Meta's 100 MB plus 1 MiB of margin. */
    public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 101L * 1024 * 1024;

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
        this.media = new MediaCalls(http, baseUrl, apiVersion, requestTimeout, executor, parser);
        this.templates = new TemplateCalls(http, baseUrl, apiVersion, requestTimeout, parser);
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

    /**
     * Uploads media for {@code phoneNumberId}, {@code POST /{phoneNumberId}/media} as multipart
     * form data, streamed from {@code content} (opened once, read once, closed by the client).
     * Meta's type list and size caps are Meta's to enforce (131053 when refused).
     *
     * <p>Timeout: the request timeout plus {@code size} at 256 KiB/s.
     *
     * @param mimeType declared both as the form's {@code type} and as the file part's Content-Type
     * @param filename the part's file name (sanitised to printable ASCII); null for "file"
     * @param size exactly how many bytes {@code content} yields (a mismatch fails the upload as a transport failure)
     * @return {@link MediaResult.Uploaded}, {@link SendResult.MetaError} or {@link SendResult.TransportFailure}
     */
    public CompletableFuture<MediaResult> uploadMedia(String phoneNumberId, String accessToken, String mimeType,
                                                      String filename, Supplier<? extends InputStream> content, long size) {
        return media.upload(phoneNumberId, accessToken, mimeType, filename, content, size);
    }

    /**
     * Uploads a file as {@link #uploadMedia(String, String, String, String, Supplier, long)} does.
     *
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public CompletableFuture<MediaResult> uploadMedia(String phoneNumberId, String accessToken, String mimeType,
                                                      String filename, Path file) {
        return media.upload(phoneNumberId, accessToken, mimeType, filename, file);
    }

    /**
     * A fresh download URL for {@code mediaId}, {@code GET /{mediaId}?phone_number_id=}; valid about
     * 5 minutes, so ask again before every download attempt.
     *
     * @param phoneNumberId the owning number, sent as Meta's guard; null to leave it out
     * @return {@link MediaResult.MediaUrl}; {@link MediaResult.MediaGone} when Meta does not have the
     *     id (unknown, expired, deleted, another number's); {@link SendResult.MetaError};
     *     {@link SendResult.TransportFailure}
     */
    public CompletableFuture<MediaResult> retrieveMediaUrl(String mediaId, String phoneNumberId, String accessToken) {
        return media.retrieveUrl(mediaId, phoneNumberId, accessToken);
    }

    /**
     * Downloads {@code url} (from {@link #retrieveMediaUrl}) with the Bearer token, streaming into
     * {@code sink} (not closed) and stopping past {@link #DEFAULT_MAX_DOWNLOAD_BYTES}.
     *
     * @param expectedSha256 hex SHA-256 the bytes must have (from the URL answer or the webhook); null to skip
     * @see #downloadMedia(String, String, OutputStream, String, long)
     */
    public CompletableFuture<MediaResult> downloadMedia(String url, String accessToken, OutputStream sink,
                                                        String expectedSha256) {
        return media.download(url, accessToken, sink, expectedSha256, DEFAULT_MAX_DOWNLOAD_BYTES);
    }

    /**
     * Downloads {@code url} into {@code sink}, written on the client's threads as bytes arrive.
     * After {@link MediaResult.TooLarge} or {@link MediaResult.ChecksumMismatch} the sink holds
     * partial or wrong bytes: discard them.
     *
     * <p>Timeouts: the answer must start within the request timeout; then the transfer is aborted
     * only if no bytes arrive for a request timeout (a transport failure).
     *
     * @param url the media URL; http(s), and https when this client's base URL is https (it carries the token)
     * @return {@link MediaResult.Downloaded}; {@link MediaResult.UrlExpired} (404: get a fresh URL);
     *     {@link MediaResult.TooLarge}; {@link MediaResult.ChecksumMismatch}; {@link SendResult.MetaError}
     *     with {@link RetryClass#AUTH} for 401/403 and {@link RetryClass#TRANSIENT} for 5xx;
     *     {@link SendResult.TransportFailure}. The future completes exceptionally only when {@code sink}
     *     throws ({@link java.io.UncheckedIOException} with the sink's exception as cause)
     * @throws IllegalArgumentException if the URL is not an acceptable http(s) URL
     */
    public CompletableFuture<MediaResult> downloadMedia(String url, String accessToken, OutputStream sink,
                                                        String expectedSha256, long maxBytes) {
        return media.download(url, accessToken, sink, expectedSha256, maxBytes);
    }

    /**
     * Deletes {@code mediaId} at Meta, {@code DELETE /{mediaId}?phone_number_id=}.
     *
     * @return {@link MediaResult.Deleted}, {@link MediaResult.MediaGone}, {@link SendResult.MetaError}
     *     or {@link SendResult.TransportFailure}
     */
    public CompletableFuture<MediaResult> deleteMedia(String mediaId, String phoneNumberId, String accessToken) {
        return media.delete(mediaId, phoneNumberId, accessToken);
    }

    /**
     * Every template of a WhatsApp Business Account, {@code GET /{wabaId}/message_templates} with the
     * catalogue's fields, following {@code paging.cursors.after} to the last page.
     *
     * @return {@link TemplateResult.Listed} or {@link TemplateResult.Failed}
     */
    public CompletableFuture<TemplateResult> listTemplates(String wabaId, String accessToken) {
        return templates.list(wabaId, accessToken);
    }

    /**
     * One template by Meta's id, {@code GET /{templateId}}.
     *
     * @return {@link TemplateResult.Found} or {@link TemplateResult.Failed}
     */
    public CompletableFuture<TemplateResult> getTemplate(String templateId, String accessToken) {
        return templates.get(templateId, accessToken);
    }

    /**
     * Creates a template, {@code POST /{wabaId}/message_templates} with {@code template} as the body
     * ({@code name}, {@code language}, {@code category}, {@code parameter_format}, {@code components}).
     *
     * @return {@link TemplateResult.Created} or {@link TemplateResult.Failed}
     */
    public CompletableFuture<TemplateResult> createTemplate(String wabaId, String accessToken, ObjectNode template) {
        return templates.create(wabaId, accessToken, template);
    }

    /**
     * Deletes a template, {@code DELETE /{wabaId}/message_templates?name=} (every language), or only
     * one language's with {@code &hsm_id=templateId}.
     *
     * @param templateId null for every language of {@code name}
     * @return {@link TemplateResult.Deleted} or {@link TemplateResult.Failed}
     */
    public CompletableFuture<TemplateResult> deleteTemplate(String wabaId, String accessToken, String name,
                                                            String templateId) {
        return templates.delete(wabaId, accessToken, name, templateId);
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
