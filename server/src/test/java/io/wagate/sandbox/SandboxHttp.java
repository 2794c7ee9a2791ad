package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain java.net.http client for tests that need to send exactly the bytes they choose. */
final class SandboxHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A status and the parsed body (null when the body is empty or not JSON). */
    record Response(int status, JsonNode body) {
        int code() {
            return body.path("error").path("code").asInt(-1);
        }
    }

    private SandboxHttp() {
    }

    static Response post(URI base, String path, String token, Object body) throws IOException, InterruptedException {
        String json = body instanceof String s ? s : JSON.writeValueAsString(body);
        return post(base, path, token, json, Duration.ofSeconds(10));
    }

    static Response post(URI base, String path, String token, String json, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    static Response get(URI base, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private static Response send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(res.statusCode(), parse(res.body()));
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("response is not JSON: " + new String(body, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }
}
