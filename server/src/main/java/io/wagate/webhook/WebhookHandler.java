package io.wagate.webhook;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.FORBIDDEN;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_URI_TOO_LONG;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;
import static io.netty.handler.codec.http.HttpVersion.HTTP_1_1;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the requests of one connection: {@code GET <path>} is Meta's verify handshake,
 * {@code POST <path>} a notification handed to the {@link WebhookIngestor}; other paths 404,
 * other methods 405, requests the codec could not read 400/414/431.
 *
 * <p>Answers leave in request order even when a later POST is stored first, and the connection
 * stops reading while it has a POST in flight, so one connection cannot queue unbounded work. An
 * idle timeout does not cut a connection that is waiting for the store.
 *
 * <p>Threading: one instance per channel; its fields are touched only on that channel's event
 * loop, except the answer chain, which continues on whichever thread completes it.
 */
final class WebhookHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);

    private final String path;
    private final WebhookCredentials credentials;
    private final WebhookIngestor ingestor;
    private final WebhookMetrics metrics;
    private final WebhookServer.InFlight inFlight;
    private CompletableFuture<Void> answered = CompletableFuture.completedFuture(null);
    private int pending;

    WebhookHandler(String path, WebhookCredentials credentials, WebhookIngestor ingestor, WebhookMetrics metrics,
                   WebhookServer.InFlight inFlight) {
        this.path = path;
        this.credentials = credentials;
        this.ingestor = ingestor;
        this.metrics = metrics;
        this.inFlight = inFlight;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (req.decoderResult().isFailure()) {
            respond(ctx, CompletableFuture.completedFuture(unreadable(req.decoderResult().cause())), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        if (!uri.path().equals(path)) {
            respond(ctx, done(NOT_FOUND, "not found"), keepAlive);
        } else if (req.method().equals(HttpMethod.GET)) {
            respond(ctx, CompletableFuture.completedFuture(handshake(uri)), keepAlive);
        } else if (!req.method().equals(HttpMethod.POST)) {
            respond(ctx, done(METHOD_NOT_ALLOWED, "use GET (verification) or POST (notifications)"), keepAlive);
        } else if (!inFlight.enter()) {
            respond(ctx, done(SERVICE_UNAVAILABLE, "shutting down, retry later"), false);
        } else {
            byte[] body = ByteBufUtil.getBytes(req.content());
            CompletableFuture<WebhookResponse> answer;
            try {
                answer = ingestor.ingest(body, req.headers().get(SignatureVerifier.HEADER),
                        req.headers().get(HttpHeaderNames.CONTENT_TYPE));
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            respond(ctx, answer, keepAlive && !inFlight.closing(), inFlight::exit);
        }
    }

    /** Meta's GET: echo hub.challenge when hub.verify_token is one of ours (reference §4.2). */
    private WebhookResponse handshake(QueryStringDecoder uri) {
        String mode = first(uri, "hub.mode");
        String token = first(uri, "hub.verify_token");
        String challenge = first(uri, "hub.challenge");
        if ("subscribe".equals(mode) && challenge != null && credentials.verifyTokenMatches(token)) {
            metrics.handshakes.inc();
            return WebhookResponse.of(OK, challenge);
        }
        metrics.handshakesRejected.inc();
        return WebhookResponse.of(FORBIDDEN, "verification refused");
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private WebhookResponse unreadable(Throwable cause) {
        metrics.rejectedBadRequest.inc();
        if (cause instanceof TooLongHttpHeaderException) {
            return WebhookResponse.of(REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large");
        }
        if (cause instanceof TooLongHttpLineException) {
            return WebhookResponse.of(REQUEST_URI_TOO_LONG, "request line too long");
        }
        return WebhookResponse.of(BAD_REQUEST, cause instanceof TooLongFrameException ? "request too large" : "malformed HTTP request");
    }

    private static CompletableFuture<WebhookResponse> done(HttpResponseStatus s, String reason) {
        return CompletableFuture.completedFuture(WebhookResponse.of(s, reason));
    }

    private void respond(ChannelHandlerContext ctx, CompletableFuture<WebhookResponse> answer, boolean keepAlive) {
        respond(ctx, answer, keepAlive, () -> { });
    }

    /** Writes the answer after every earlier answer of this connection, then runs {@code written}. */
    private void respond(ChannelHandlerContext ctx, CompletableFuture<WebhookResponse> answer, boolean keepAlive,
                         Runnable written) {
        pending++;
        if (!answer.isDone()) {
            ctx.channel().config().setAutoRead(false);
        }
        answered = answered.thenCombine(answer, (previous, r) -> r)
                .handle((r, t) -> {
                    WebhookResponse response = t == null ? r
                            : WebhookResponse.of(SERVICE_UNAVAILABLE, "internal error, retry later");
                    write(ctx, response, keepAlive, written);
                    return null;
                });
    }

    private void write(ChannelHandlerContext ctx, WebhookResponse r, boolean keepAlive, Runnable written) {
        FullHttpResponse res = new DefaultFullHttpResponse(HTTP_1_1, r.status(),
                Unpooled.copiedBuffer(r.reason(), StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        if (r.status().equals(METHOD_NOT_ALLOWED)) {
            res.headers().set(HttpHeaderNames.ALLOW, "GET, POST");
        }
        res.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener((ChannelFutureListener) f -> {
            written.run();
            if (!keepAlive) {
                f.channel().close();
            } else if (--pending == 0) {
                f.channel().config().setAutoRead(true);
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && pending == 0) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset by the peer or a TLS failure; the message names the kind, never content
        LOG.debug("webhook connection closed: {}", cause.toString());
        ctx.close();
    }
}
