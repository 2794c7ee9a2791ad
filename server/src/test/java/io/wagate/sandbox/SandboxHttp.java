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

    /** A Graph call with any method, a Bearer token (null for none) and an optional JSON body (null for none). */
    static Response graph(URI base, String method, String path, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").method(method, body);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    /** A control-API call: {@code method} with an optional JSON body (null for none). */
    static Response control(URI base, String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").method(method, body).build());
    }

    /**
     * One POST on a new plain socket, so a test sees exactly what the server did to the connection.
     *
     * @return the status line, or null when the server closed the connection in order (FIN) without answering
     * @throws java.net.SocketException "Connection reset" when the server reset it
     */
    static String rawPost(URI base, String path, String token, String json) throws IOException {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 2000);
            s.setSoTimeout(5000);
            byte[] headBytes = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] all = java.util.Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, all, headBytes.length, body.length);
            // One write; a reset seen while writing is reported only once by the kernel, so it is
            // the answer (a read after it would see a plain end of stream).
            s.getOutputStream().write(all);
            s.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            return in.readLine();
        }
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
