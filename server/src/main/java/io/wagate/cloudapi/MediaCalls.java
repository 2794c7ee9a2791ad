package io.wagate.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The media calls of {@link CloudApiClient} (reference §5), on its {@link HttpClient} and executor.
 *
 * <p>Timeouts: metadata calls (retrieve URL, delete) have the client's request timeout. An upload
 * gets the request timeout plus its size at {@link #MIN_BYTES_PER_SECOND} (a 100 MB document:
 * about 7 minutes more), covering the body going out and Meta's answer. A download must start
 * answering within the request timeout; then it is only bounded by idleness: no bytes for a
 * request timeout aborts it as a transport failure, however long the whole transfer takes.
 *
 * <p>Threading: thread-safe; downloads write to the caller's sink on the client's executor threads.
 */
final class MediaCalls {

    /** The slowest transfer rate an upload is given time for: 256 KiB/s. */
    static final long MIN_BYTES_PER_SECOND = 256 * 1024;
    private static final Pattern MIME = Pattern.compile("^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;[\\x20-\\x7e]*)?$");
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_.-]+$");

    private final HttpClient http;
    private final URI baseUrl;
    private final String apiVersion;
    private final Duration requestTimeout;
    private final Executor executor;
    private final CloudApiResponseParser parser;

    MediaCalls(HttpClient http, URI baseUrl, String apiVersion, Duration requestTimeout, Executor executor,
               CloudApiResponseParser parser) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.apiVersion = apiVersion;
        this.requestTimeout = requestTimeout;
        this.executor = executor;
        this.parser = parser;
    }

    CompletableFuture<MediaResult> upload(String phoneNumberId, String accessToken, String mimeType, String filename,
                                          Path file) {
        long size;
        HttpRequest.BodyPublisher content;
        try {
            size = java.nio.file.Files.size(file);
            content = HttpRequest.BodyPublishers.ofFile(file);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot read the media file to upload", e);
        }
        return upload(phoneNumberId, accessToken, mimeType, filename, content, size);
    }

    CompletableFuture<MediaResult> upload(String phoneNumberId, String accessToken, String mimeType, String filename,
                                          Supplier<? extends InputStream> content, long size) {
        Objects.requireNonNull(content, "content");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        // fromPublisher refuses a length of 0; an empty file is Meta's to refuse, so send it
        HttpRequest.BodyPublisher body = size == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(content::get), size);
        return upload(phoneNumberId, accessToken, mimeType, filename, body, size);
    }

    private CompletableFuture<MediaResult> upload(String phoneNumberId, String accessToken, String mimeType,
                                                  String filename, HttpRequest.BodyPublisher content, long size) {
        segment(phoneNumberId, "phoneNumberId");
        Objects.requireNonNull(accessToken, "accessToken");
        if (mimeType == null || !MIME.matcher(mimeType).matches()) {
            throw new IllegalArgumentException("mimeType must look like image/jpeg, got " + mimeType);
        }
        String boundary = "wagate-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"type\"\r\n\r\n" + mimeType + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + safeFilename(filename) + "\"\r\n"
                + "Content-Type: " + mimeType + "\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofByteArray(head.getBytes(StandardCharsets.UTF_8)), content,
                HttpRequest.BodyPublishers.ofByteArray(tail.getBytes(StandardCharsets.US_ASCII)));
        Duration timeout = requestTimeout.plusMillis(size * 1000 / MIN_BYTES_PER_SECOND);
        HttpRequest request = HttpRequest.newBuilder(uri(phoneNumberId + "/media", null))
                .timeout(timeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/json")
                .POST(body)
                .build();
        return send(request, accessToken, false, root -> {
            String id = CloudApiResponseParser.text(root, "id");
            return id == null ? null : new MediaResult.Uploaded(id);
        });
    }

    CompletableFuture<MediaResult> retrieveUrl(String mediaId, String phoneNumberId, String accessToken) {
        segment(mediaId, "mediaId");
        Objects.requireNonNull(accessToken, "accessToken");
        HttpRequest request = HttpRequest.newBuilder(uri(mediaId, phoneNumberId))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .GET()
                .build();
        return send(request, accessToken, true, root -> {
            String url = CloudApiResponseParser.text(root, "url");
            if (url == null) {
                return null;
            }
            String size = CloudApiResponseParser.text(root, "file_size");
            long fileSize;
            try {
                fileSize = size == null ? -1 : Long.parseLong(size);
            } catch (NumberFormatException e) {
                fileSize = -1;
            }
            return new MediaResult.MediaUrl(url, CloudApiResponseParser.text(root, "mime_type"),
                    CloudApiResponseParser.text(root, "sha256"), fileSize, mediaId);
        });
    }

    CompletableFuture<MediaResult> delete(String mediaId, String phoneNumberId, String accessToken) {
        segment(mediaId, "mediaId");
        Objects.requireNonNull(accessToken, "accessToken");
        HttpRequest request = HttpRequest.newBuilder(uri(mediaId, phoneNumberId))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .DELETE()
                .build();
        return send(request, accessToken, true, root -> root.path("success").asBoolean(false) ? new MediaResult.Deleted() : null);
    }

    CompletableFuture<MediaResult> download(String url, String accessToken, OutputStream sink, String expectedSha256,
                                            long maxBytes) {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(sink, "sink");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
        URI target = downloadUri(url);
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + accessToken)
                .GET()
                .build();
        HttpResponse.BodyHandler<MediaResult> handler = info -> {
            int status = info.statusCode();
            if (status == 200) {
                return new MediaDownloadSubscriber(sink, maxBytes, expectedSha256,
                        info.headers().firstValue("Content-Type").orElse(null),
                        info.headers().firstValueAsLong("Content-Length").orElse(-1), requestTimeout, executor);
            }
            return HttpResponse.BodySubscribers.replacing(downloadError(status));
        };
        CompletableFuture<HttpResponse<MediaResult>> sent;
        try {
            sent = http.sendAsync(request, handler);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(
                    new SendResult.TransportFailure(false, "request not started: " + e.getClass().getSimpleName()));
        }
        return sent.handle((response, failure) -> {
            if (failure != null) {
                Throwable c = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (c instanceof MediaDownloadSubscriber.SinkFailure s) {
                    throw s; // the caller's sink, not Meta or the network
                }
                return TransportFailureClassifier.classify(failure);
            }
            return response.body();
        });
    }

    /** What a download's non-200 status means for the caller. */
    private static MediaResult downloadError(int status) {
        if (status == 404 || status == 410) {
            return new MediaResult.UrlExpired(status);
        }
        RetryClass retry;
        if (status == 401 || status == 403) {
            retry = RetryClass.AUTH;
        } else if (status >= 500 || status == 408 || status == 429) {
            retry = RetryClass.TRANSIENT;
        } else {
            retry = RetryClass.PERMANENT;
        }
        return new SendResult.MetaError(status, 0, null, null, "HTTP " + status,
                "the media download answered HTTP " + status, null, retry);
    }

    /** @param onMediaNode true when the path is the media id, so Graph's "no such object" means the media is gone */
    private CompletableFuture<MediaResult> send(HttpRequest request, String accessToken, boolean onMediaNode,
                                                java.util.function.Function<JsonNode, MediaResult> success) {
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(
                    new SendResult.TransportFailure(false, "request not started: " + e.getClass().getSimpleName()));
        }
        return sent.handle((response, failure) -> {
            if (failure != null) {
                return TransportFailureClassifier.classify(failure);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                JsonNode root = CloudApiResponseParser.json(response.body());
                MediaResult r = root == null ? null : success.apply(root);
                return r != null ? r : new SendResult.MetaError(status, 0, null, null, "HTTP " + status,
                        "HTTP " + status + " body was not Meta's answer to this media call", null, RetryClass.TRANSIENT);
            }
            SendResult.MetaError e = parser.error(status, response.body(), accessToken);
            if (onMediaNode && e.code() == 100 && Integer.valueOf(33).equals(e.subcode())) {
                return new MediaResult.MediaGone(status, e.code(), e.subcode(), e.title());
            }
            return e;
        });
    }

    private URI uri(String path, String phoneNumberId) {
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String query = "";
        if (phoneNumberId != null) {
            segment(phoneNumberId, "phoneNumberId");
            query = "?phone_number_id=" + URLEncoder.encode(phoneNumberId, StandardCharsets.UTF_8);
        }
        return URI.create(base + "/" + apiVersion + "/" + path + query);
    }

    /**
     * The URL Meta handed out; the token goes with it, so it must be http(s), and https whenever the
     * Graph base URL is (a plain-text URL would leak the token).
     */
    private URI downloadUri(String url) {
        URI u;
        try {
            u = URI.create(Objects.requireNonNull(url, "url"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("media URL is not a URI", e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean secureBase = "https".equalsIgnoreCase(baseUrl.getScheme());
        if (!(scheme.equals("https") || scheme.equals("http") && !secureBase) || u.getHost() == null) {
            throw new IllegalArgumentException("media URL must be an " + (secureBase ? "https" : "http(s)")
                    + " URL with a host");
        }
        return u;
    }

    private static void segment(String s, String what) {
        if (s == null || !SEGMENT.matcher(s).matches()) {
            throw new IllegalArgumentException(what + " is not a Graph id: " + s);
        }
    }

    /** A filename for the part header: printable ASCII without quotes or backslashes. */
    static String safeFilename(String filename) {
        if (filename == null || filename.isBlank()) {
            return "file";
        }
        StringBuilder b = new StringBuilder(Math.min(filename.length(), 200));
        for (int i = 0; i < filename.length() && b.length() < 200; i++) {
            char c = filename.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return b.toString();
    }
}
