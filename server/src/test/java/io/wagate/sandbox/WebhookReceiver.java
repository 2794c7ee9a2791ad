package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook endpoint for tests on a real loopback socket: records every POST's raw bytes and
 * headers, checks the signature independently (javax.crypto), and answers 200, or a scripted
 * status, or closes the connection without answering.
 */
final class WebhookReceiver implements AutoCloseable {

    static final String SECRET = "test-app-secret";

    /** One POST as it arrived. */
    record Post(byte[] raw, String signature, boolean signatureValid, int answered) {
        JsonNode json() {
            try {
                return SandboxHttp.JSON.readTree(raw);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String text() {
            return new String(raw, StandardCharsets.US_ASCII);
        }

        /** Every statuses[] element of this POST, in order. */
        List<JsonNode> statuses() {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode e : json().path("entry")) {
                for (JsonNode c : e.path("changes")) {
                    c.path("value").path("statuses").forEach(out::add);
                }
            }
            return out;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    /** Status to answer: 200, another, or 0 to close without answering. */
    private volatile int answer = 200;
    private final AtomicInteger failNext = new AtomicInteger();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.createContext("/webhook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhook");
    }

    /** Answer every POST with {@code status} from now on (0: close without answering). */
    void answer(int status) {
        answer = status;
    }

    /** The next {@code n} POSTs are answered 500, then the standing answer again. */
    void failNext(int n) {
        failNext.set(n);
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    /** Every status of every POST answered 200, in arrival order. */
    List<JsonNode> acceptedStatuses() {
        List<JsonNode> out = new ArrayList<>();
        posts.stream().filter(p -> p.answered() == 200).forEach(p -> out.addAll(p.statuses()));
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readAllBytes();
        }
        String sig = ex.getRequestHeaders().getFirst("X-Hub-Signature-256");
        int status = failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 ? 500 : answer;
        posts.add(new Post(raw, sig, valid(sig, raw), status));
        if (status == 0) {
            ex.close(); // no answer at all: the client sees the connection end
            return;
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    static boolean valid(String header, byte[] raw) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(raw);
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(header.substring("sha256=".length())));
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
