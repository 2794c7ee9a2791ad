package io.wagate.sandbox;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /{vNN.0}/{phone-number-id}/media} (reference §5), read as it streams in, before the
 * body aggregator: a 100 MB document is neither aggregated nor held twice. Form parts above
 * {@link MediaOptions#diskThreshold()} are spooled to temporary files by Netty's multipart decoder,
 * then the file part is stored in the {@link SandboxMediaStore}. Every other request passes on.
 *
 * <p>Checks, in order: token (190, HTTP 401), number (100 with subcode 33), then once the whole
 * body was read: body size ({@link MediaOptions#maxUploadBytes()}, 131053), {@code messaging_product}
 * (100), {@code file} (100), MIME type (131053, Meta's list of types in the details), empty file
 * (131053), the type's size cap (131053). Errors found before the body are answered after it was
 * read and discarded, so a streaming client sees the answer rather than a broken pipe (with
 * {@code Expect: 100-continue} they are answered at once and the connection closed).
 *
 * <p>Threading: one instance per connection, on its event loop. Spooling to disk blocks the loop
 * briefly; acceptable for an emulator on loopback.
 */
final class SandboxMediaUploadHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxMediaUploadHandler.class);
    /** Group 1 the API version, group 2 the phone-number id. */
    static final Pattern UPLOAD_PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([A-Za-z0-9_.-]+)/media/?$");

    private final Map<String, String> numbers;
    private final SandboxMediaStore store;
    private final DefaultHttpDataFactory factory;

    /** Non-null while this connection's current request is a media upload. */
    private Upload upload;

    private static final class Upload {
        final String phoneNumberId;
        final boolean keepAlive;
        HttpPostRequestDecoder decoder;
        GraphError error;
        long received;

        Upload(String phoneNumberId, boolean keepAlive) {
            this.phoneNumberId = phoneNumberId;
            this.keepAlive = keepAlive;
        }
    }

    SandboxMediaUploadHandler(Map<String, String> numbers, SandboxMediaStore store) {
        this.numbers = numbers;
        this.store = store;
        this.factory = new DefaultHttpDataFactory(store.options().diskThreshold());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && upload == null) {
            Matcher m = UPLOAD_PATH.matcher(new QueryStringDecoder(req.uri()).path());
            if (!req.method().equals(HttpMethod.POST) || !m.matches() || !req.decoderResult().isSuccess()) {
                ctx.fireChannelRead(msg);
                return;
            }
            begin(ctx, req, m.group(2));
            if (upload == null) { // answered at once, connection closing
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        if (upload == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (msg instanceof HttpContent content) {
                offer(content);
                if (content instanceof LastHttpContent) {
                    finish(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest req, String phoneNumberId) {
        Upload u = new Upload(phoneNumberId, HttpUtil.isKeepAlive(req));
        String token = SandboxHttpHandler.bearerToken(req);
        if (token == null || !numbers.containsValue(token)) {
            u.error = SandboxHttpHandler.invalidToken();
        } else if (!token.equals(numbers.get(phoneNumberId))) {
            u.error = SandboxHttpHandler.unknownNumber(phoneNumberId);
        } else if (!HttpPostRequestDecoder.isMultipart(req)) {
            u.error = GraphError.invalidParameter("The parameter file is required.").withMessage(
                    "(#100) The parameter file is required.");
        } else {
            try {
                u.decoder = new HttpPostRequestDecoder(factory, req);
            } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
                u.error = GraphError.invalidParameter("The multipart body cannot be read: " + e.getMessage());
            }
        }
        if (HttpUtil.is100ContinueExpected(req)) {
            if (u.error != null) {
                SandboxHttpHandler.write(ctx, false, HttpResponseStatus.valueOf(u.error.httpStatus()),
                        SandboxHttpHandler.bytes(u.error.toJson()));
                destroy(u);
                return;
            }
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        upload = u;
    }

    private void offer(HttpContent content) {
        Upload u = upload;
        u.received += content.content().readableBytes();
        if (u.decoder == null) {
            return; // discarding
        }
        if (u.received > store.options().maxUploadBytes()) {
            u.error = GraphError.of(131053, "The request body is larger than " + store.options().maxUploadBytes()
                    + " bytes; the largest media Meta takes is " + MediaOptions.MAX_MEDIA_BYTES + " bytes (100 MB).");
            destroy(u);
            return;
        }
        try {
            u.decoder.offer(content);
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            u.error = GraphError.invalidParameter("The multipart body cannot be read: " + e.getMessage());
            destroy(u);
        }
    }

    private void finish(ChannelHandlerContext ctx) {
        Upload u = upload;
        upload = null;
        GraphError error = u.error;
        String id = null;
        if (error == null) {
            try {
                Result r = store(u);
                error = r.error();
                id = r.id();
            } catch (IOException | RuntimeException e) {
                LOG.warn("sandbox could not read a media upload: {}", e.toString());
                error = GraphError.of(131053, "The uploaded file could not be read.");
            }
        }
        destroy(u);
        if (error != null) {
            LOG.info("sandbox refused a media upload for number {}: {} {}", u.phoneNumberId, error.code(), error.details());
            SandboxHttpHandler.write(ctx, u.keepAlive, HttpResponseStatus.valueOf(error.httpStatus()),
                    SandboxHttpHandler.bytes(error.toJson()));
        } else {
            SandboxHttpHandler.write(ctx, u.keepAlive, HttpResponseStatus.OK,
                    ("{\"id\":\"" + id + "\"}").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    private record Result(String id, GraphError error) {
    }

    private Result store(Upload u) throws IOException {
        Attribute product = null;
        Attribute type = null;
        FileUpload file = null;
        for (InterfaceHttpData d : u.decoder.getBodyHttpDatas()) {
            if (d instanceof FileUpload f && d.getName().equals("file") && file == null) {
                file = f;
            } else if (d instanceof Attribute a && a.getName().equals("messaging_product")) {
                product = a;
            } else if (d instanceof Attribute a && a.getName().equals("type")) {
                type = a;
            }
        }
        if (product == null || product.getValue().isBlank()) {
            return new Result(null, missingParameter("messaging_product"));
        }
        if (!product.getValue().trim().equals("whatsapp")) {
            return new Result(null, GraphError.invalidParameter("Param messaging_product must be one of {WHATSAPP} - got \""
                    + InboundSpec.abbreviate(product.getValue()) + "\"."));
        }
        if (file == null) {
            return new Result(null, missingParameter("file"));
        }
        String mime = type != null && !type.getValue().isBlank() ? type.getValue().trim() : file.getContentType();
        Optional<MediaTypePolicy.Kind> kind = MediaTypePolicy.kindOf(mime);
        if (kind.isEmpty()) {
            return new Result(null, GraphError.of(131053, "Param file must be a file with one of the following types: "
                    + MediaTypePolicy.accepted() + ". Received file of type '" + InboundSpec.abbreviate(String.valueOf(mime))
                    + "'."));
        }
        long size = file.length();
        if (size == 0) {
            return new Result(null, GraphError.of(131053, "The uploaded file is empty."));
        }
        if (size > kind.get().maxBytes()) { // refused before reading the bytes into memory
            return new Result(null, tooLarge(mime, kind.get(), size, kind.get().maxBytes()));
        }
        byte[] data = file.isInMemory() ? ByteBufUtil.getBytes(file.getByteBuf()) : file.get();
        long max = MediaTypePolicy.maxBytes(kind.get(), data);
        if (size > max) {
            return new Result(null, tooLarge(mime, kind.get(), size, max));
        }
        SandboxMediaStore.Media m = store.put(u.phoneNumberId, mime, data, SandboxMediaStore.Origin.UPLOAD);
        LOG.info("sandbox stored uploaded {} ({}, {} bytes) for number {} as media {}", kind.get().kind(), mime, size,
                u.phoneNumberId, m.id());
        return new Result(m.id(), null);
    }

    private static GraphError tooLarge(String mime, MediaTypePolicy.Kind kind, long size, long max) {
        return GraphError.of(131053, "File of type " + MediaTypePolicy.baseType(mime) + " is " + size
                + " bytes; the maximum for " + kind.kind() + " is " + max + " bytes.");
    }

    /** Graph's answer for a required parameter left out: 100, "(#100) The parameter X is required.". */
    private static GraphError missingParameter(String name) {
        return GraphError.invalidParameter("The parameter " + name + " is required.")
                .withMessage("(#100) The parameter " + name + " is required.");
    }

    private void destroy(Upload u) {
        if (u.decoder != null) {
            try {
                u.decoder.destroy();
            } catch (RuntimeException e) {
                LOG.debug("sandbox multipart cleanup: {}", e.toString());
            }
            u.decoder = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cleanup();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cleanup();
    }

    private void cleanup() {
        if (upload != null) {
            destroy(upload);
            upload = null;
        }
    }
}
