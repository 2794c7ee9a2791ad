package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedStream;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media endpoints other than upload (reference §5): {@code GET /{vNN.0}/{media-id}} (a fresh
 * download URL valid {@link MediaOptions#urlTtl()}), {@code DELETE /{vNN.0}/{media-id}}, and the
 * download itself, {@code GET /_lookaside/whatsapp_business/attachments/?mid=&ext=&hash=} with
 * {@code Authorization: Bearer}. Also decides the asynchronous outcome of a send that names a media
 * id. Upload is {@link SandboxMediaUploadHandler}.
 *
 * <p>Graph answers for a media id the caller cannot see (unknown, deleted, expired, evicted, of a
 * number the token does not own, or not of the {@code phone_number_id} given): code 100 with
 * subcode 33, "Unsupported get/delete request. Object with ID ... does not exist, cannot be loaded
 * due to missing permissions, or does not support this operation", HTTP 400, like
 * {@link SandboxHttpHandler#unknownNumber}. Downloads: 401 without a token or with one that is not
 * the owning number's, 404 for an expired or unknown URL or media that is gone, or a scripted status.
 *
 * <p>Threading: shared; runs on event loops. Downloads are written in 64 KiB chunks from the
 * stored array, never copied whole.
 */
final class SandboxMediaEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxMediaEndpoints.class);
    static final String LOOKASIDE_PATH = "/_lookaside/whatsapp_business/attachments/";
    private static final Pattern NODE_PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([0-9]{1,30})/?$");
    private static final int CHUNK = 64 * 1024;
    private static final Set<String> MEDIA_TYPES = Set.of("image", "audio", "video", "document", "sticker");

    private final Map<String, String> numbers;
    private final SandboxMediaStore store;

    SandboxMediaEndpoints(Map<String, String> numbers, SandboxMediaStore store) {
        this.numbers = numbers;
        this.store = store;
    }

    /** True for requests this class answers (upload is routed before the aggregator, other methods on it land here). */
    boolean handles(HttpMethod method, String path) {
        return path.equals(LOOKASIDE_PATH) || path.equals(LOOKASIDE_PATH.substring(0, LOOKASIDE_PATH.length() - 1))
                || NODE_PATH.matcher(path).matches() || SandboxMediaUploadHandler.UPLOAD_PATH.matcher(path).matches();
    }

    void handle(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        String path = uri.path();
        if (path.startsWith(LOOKASIDE_PATH.substring(0, LOOKASIDE_PATH.length() - 1))) {
            download(ctx, req, uri);
            return;
        }
        Matcher upload = SandboxMediaUploadHandler.UPLOAD_PATH.matcher(path);
        if (upload.matches()) { // POST went to the upload handler; anything else is not supported
            answer(ctx, req, SandboxHttpHandler.unsupported(req.method(), upload.group(2)));
            return;
        }
        Matcher m = NODE_PATH.matcher(path);
        if (!m.matches()) {
            answer(ctx, req, SandboxHttpHandler.unsupported(req.method(), path));
            return;
        }
        String id = m.group(2);
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.DELETE)) {
            answer(ctx, req, SandboxHttpHandler.unsupported(req.method(), id));
            return;
        }
        String token = SandboxHttpHandler.bearerToken(req);
        if (token == null || !numbers.containsValue(token)) {
            answer(ctx, req, SandboxHttpHandler.invalidToken());
            return;
        }
        String guard = first(uri, "phone_number_id");
        Optional<SandboxMediaStore.Media> media = store.get(id)
                .filter(x -> token.equals(numbers.get(x.phoneNumberId())))
                .filter(x -> guard == null || guard.equals(x.phoneNumberId()));
        if (media.isEmpty()) {
            answer(ctx, req, unknownObject(req.method(), id));
            return;
        }
        SandboxMediaStore.Media x = media.get();
        if (req.method().equals(HttpMethod.DELETE)) {
            store.delete(id);
            LOG.info("sandbox deleted media {} of number {}", id, x.phoneNumberId());
            ok(ctx, req, JsonNodeFactory.instance.objectNode().put("success", true));
            return;
        }
        String hash = store.issueUrl(id);
        long ext = store.now().plus(store.options().urlTtl()).getEpochSecond();
        String url = base(ctx) + LOOKASIDE_PATH + "?mid=" + id + "&ext=" + ext + "&hash=" + hash;
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("messaging_product", "whatsapp").put("url", url).put("mime_type", x.mimeType()).put("sha256", x.sha256())
                .put("file_size", Long.toString(x.size())).put("id", id);
        ok(ctx, req, o);
    }

    private void download(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.method().equals(HttpMethod.GET)) {
            plain(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed");
            return;
        }
        String token = SandboxHttpHandler.bearerToken(req);
        if (token == null || !numbers.containsValue(token)) {
            plain(ctx, keepAlive, HttpResponseStatus.UNAUTHORIZED, "Unauthorized");
            return;
        }
        String mid = first(uri, "mid");
        Optional<SandboxMediaStore.Media> media = mid == null ? Optional.empty() : store.resolveUrl(first(uri, "hash"), mid);
        if (media.isEmpty()) {
            plain(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "URL signature expired or media not found");
            return;
        }
        SandboxMediaStore.Media m = media.get();
        if (!token.equals(numbers.get(m.phoneNumberId()))) {
            plain(ctx, keepAlive, HttpResponseStatus.UNAUTHORIZED, "Unauthorized");
            return;
        }
        int fault = store.onDownload(mid);
        if (fault != 0) {
            LOG.info("sandbox answers a download of media {} with {} (scripted)", mid, fault);
            plain(ctx, keepAlive, HttpResponseStatus.valueOf(fault), "Scripted download failure");
            return;
        }
        if (!ctx.channel().isActive()) {
            return;
        }
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, m.mimeType());
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, m.size());
        res.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.write(res);
        ChannelFuture done = ctx.writeAndFlush(new HttpChunkedInput(new ChunkedStream(new ByteArrayInputStream(m.bytes()), CHUNK)));
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * The asynchronous failure of an accepted send whose media is an id this number cannot use
     * (unknown, expired, deleted, or another number's): Meta accepts the send and then reports a
     * {@code failed} status with 131053; null when the send names no media id or a good one.
     */
    StatusFailure sendFailure(String phoneNumberId, JsonNode body) {
        String type = body.path("type").asText("");
        JsonNode id = body.path(type).path("id");
        if (!MEDIA_TYPES.contains(type) || !id.isTextual()) {
            return null;
        }
        if (store.ownedBy(id.asText(), phoneNumberId)) {
            return null;
        }
        return StatusFailure.of(131053, "Media upload error: media id " + SandboxHttpHandler.abbreviate(id.asText())
                + " does not exist for this phone number, or it expired or was deleted.");
    }

    /** Graph's answer for an object the caller cannot see: 100 with subcode 33. */
    static GraphError unknownObject(HttpMethod method, String id) {
        return new GraphError(400, 100, 33, "GraphMethodException", "Unsupported "
                + method.name().toLowerCase(Locale.ROOT) + " request. Object with ID '" + SandboxHttpHandler.abbreviate(id)
                + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
                + " Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api", null);
    }

    private static String base(ChannelHandlerContext ctx) {
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        String host = local.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + local.getPort();
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> v = uri.parameters().get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    private static void answer(ChannelHandlerContext ctx, FullHttpRequest req, GraphError e) {
        SandboxHttpHandler.write(ctx, HttpUtil.isKeepAlive(req), HttpResponseStatus.valueOf(e.httpStatus()),
                SandboxHttpHandler.bytes(e.toJson()));
    }

    private static void ok(ChannelHandlerContext ctx, FullHttpRequest req, JsonNode body) {
        SandboxHttpHandler.write(ctx, HttpUtil.isKeepAlive(req), HttpResponseStatus.OK, SandboxHttpHandler.bytes(body));
    }

    /** The lookaside host is not Graph: its errors are short texts, not Graph envelopes. */
    private static void plain(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String text) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putObject("error").put("message", text).put("code", status.code());
        SandboxHttpHandler.write(ctx, keepAlive, status, SandboxHttpHandler.bytes(o));
    }
}
