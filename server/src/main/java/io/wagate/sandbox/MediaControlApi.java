package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The control endpoints of the sandbox's media under {@code /_sandbox/media}: inspect what is
 * stored, lose a media id, expire every URL, script download failures, age media.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET /_sandbox/media[?phone_number_id=ID]}</td><td>counts and the live media (no bytes)</td></tr>
 *   <tr><td>{@code POST /_sandbox/media/{id}/lose}</td><td>the id is gone as if Meta lost it; 404 if not live</td></tr>
 *   <tr><td>{@code POST /_sandbox/media/urls/expire}</td><td>every URL handed out so far answers 404</td></tr>
 *   <tr><td>{@code POST /_sandbox/media/faults {"http_status":404,"times":2,"media_id":ID}}</td>
 *       <td>the next {@code times} downloads (of that id, or any) answer {@code http_status}</td></tr>
 *   <tr><td>{@code DELETE /_sandbox/media/faults}</td><td>removes the scripted failures</td></tr>
 *   <tr><td>{@code POST /_sandbox/media/advance {"seconds":604800}}</td><td>ages every media id and URL</td></tr>
 * </table>
 *
 * <p>Threading: called on event loops; delegates to the thread-safe store.
 */
final class MediaControlApi {

    static final String PREFIX = "/_sandbox/media";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SandboxMediaStore store;

    MediaControlApi(SandboxMediaStore store) {
        this.store = store;
    }

    static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    SandboxControlApi.Answer handle(HttpMethod method, QueryStringDecoder uri, Supplier<JsonNode> body) {
        String path = uri.path();
        if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
            if (!method.equals(HttpMethod.GET)) {
                return SandboxControlApi.notAllowed(method, path);
            }
            List<String> only = uri.parameters().getOrDefault("phone_number_id", List.of());
            return SandboxControlApi.ok(listing(only.isEmpty() ? null : only.get(0)));
        }
        if (path.equals(PREFIX + "/urls/expire")) {
            return method.equals(HttpMethod.POST) ? SandboxControlApi.ok(NODES.objectNode().put("expired", store.expireUrls()))
                    : SandboxControlApi.notAllowed(method, path);
        }
        if (path.equals(PREFIX + "/faults")) {
            if (method.equals(HttpMethod.DELETE)) {
                store.clearDownloadFaults();
                return SandboxControlApi.ok(NODES.objectNode().put("cleared", true));
            }
            if (!method.equals(HttpMethod.POST)) {
                return SandboxControlApi.notAllowed(method, path);
            }
            JsonNode b = body.get();
            int status = b.path("http_status").isInt() ? b.get("http_status").asInt() : 404;
            int times = b.path("times").isInt() ? b.get("times").asInt() : 1;
            String mediaId = InboundSpec.stringField(b, "media_id");
            store.failDownloads(times, status, mediaId);
            ObjectNode o = NODES.objectNode().put("http_status", status).put("times", times);
            if (mediaId != null) {
                o.put("media_id", mediaId);
            }
            return new SandboxControlApi.Answer(HttpResponseStatus.CREATED, o);
        }
        if (path.equals(PREFIX + "/advance")) {
            if (!method.equals(HttpMethod.POST)) {
                return SandboxControlApi.notAllowed(method, path);
            }
            JsonNode s = body.get().get("seconds");
            if (s == null || !s.isNumber() || s.asDouble() < 0) {
                throw new IllegalArgumentException("seconds must be a number >= 0");
            }
            store.advance(Duration.ofMillis((long) (s.asDouble() * 1000)));
            return SandboxControlApi.ok(NODES.objectNode().put("now", store.now().toString()));
        }
        String rest = path.substring(PREFIX.length() + 1);
        if (rest.endsWith("/lose") || rest.endsWith("/expire")) {
            if (!method.equals(HttpMethod.POST)) {
                return SandboxControlApi.notAllowed(method, path);
            }
            String id = rest.substring(0, rest.lastIndexOf('/'));
            return store.lose(id) ? SandboxControlApi.ok(NODES.objectNode().put("lost", id))
                    : SandboxControlApi.error(HttpResponseStatus.NOT_FOUND, "no live media " + SandboxHttpHandler.abbreviate(id));
        }
        return SandboxControlApi.error(HttpResponseStatus.NOT_FOUND, "unknown sandbox endpoint " + SandboxHttpHandler.abbreviate(path));
    }

    private ObjectNode listing(String phoneNumberId) {
        SandboxMediaStore.Stats st = store.stats();
        ObjectNode root = NODES.objectNode();
        root.put("count", st.count()).put("bytes", st.bytes()).put("max_bytes", store.options().maxStoreBytes())
                .put("uploads", st.uploads()).put("downloads", st.downloads()).put("failed_downloads", st.failedDownloads())
                .put("evicted", st.evicted());
        ArrayNode arr = root.putArray("media");
        for (SandboxMediaStore.Media m : store.list()) {
            if (phoneNumberId == null || phoneNumberId.equals(m.phoneNumberId())) {
                ObjectNode o = arr.addObject();
                SandboxMediaStore.describe(m).forEach((k, v) -> o.set(k, NODES.pojoNode(v)));
            }
        }
        return root;
    }
}
