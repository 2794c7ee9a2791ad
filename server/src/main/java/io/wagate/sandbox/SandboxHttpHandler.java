package io.wagate.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the sandbox's HTTP requests: {@code POST /{vNN.0}/{phone-number-id}/messages} as Meta
 * does (auth, number, scripted faults, limits, validation, success or error envelope), and hands
 * everything under {@code /_sandbox/} to the {@link SandboxControlApi}. Anything else is 404.
 *
 * <p>Order of checks on the messages endpoint, as Meta: token (190, HTTP 401), number (100 with
 * subcode 33, see {@link #unknownNumber}), JSON, scripted faults, the number's throughput (130429)
 * and the pair limit (131056) for sends, validation, and with policy rules on the template
 * verdicts and the customer service window ({@link SandboxPolicy#check}). Template management
 * ({@link SandboxTemplateEndpoints}) and media ({@link SandboxMediaEndpoints}) have their own paths.
 *
 * <p>Threading: {@linkplain ChannelHandler.Sharable sharable}; runs on the event loops and does
 * only CPU work (parsing, validation, recording). The emulated latency is a task scheduled on the
 * channel's event loop, never a sleep.
 */
@ChannelHandler.Sharable
final class SandboxHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxHttpHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Group 1 the API version, group 2 the phone-number id. */
    static final Pattern MESSAGES_PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([A-Za-z0-9_.-]+)/messages/?$");
    private static final String BEARER = "Bearer ";
    private static final String CONTROL_PREFIX = "/_sandbox/";

    private final Map<String, String> numbers;
    private final ReceivedMessageLog log;
    private final FaultPlan faults;
    private final SandboxLimits limits;
    private final Latency latency;
    private final SandboxControlApi control;
    private final MessageValidator validator = new MessageValidator();
    private final WamidGenerator wamids;
    private final SandboxWebhooks webhooks;
    private final SandboxMediaEndpoints media;
    private final SandboxTemplateEndpoints templates;
    private final SandboxPolicy policy;

    SandboxHttpHandler(Map<String, String> numbers, ReceivedMessageLog log, FaultPlan faults, SandboxLimits limits,
                       Latency latency, SandboxControlApi control, WamidGenerator wamids, SandboxWebhooks webhooks,
                       SandboxMediaEndpoints media, SandboxTemplateEndpoints templates, SandboxPolicy policy) {
        this.media = media;
        this.templates = templates;
        this.policy = policy;
        this.numbers = numbers;
        this.log = log;
        this.faults = faults;
        this.limits = limits;
        this.latency = latency;
        this.control = control;
        this.wamids = wamids;
        this.webhooks = webhooks;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, GraphError.invalidParameter("Malformed HTTP request").toJson());
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        Matcher m = MESSAGES_PATH.matcher(path);
        if (m.matches()) {
            messages(ctx, req, m.group(2));
        } else if (templates.handles(req.method(), path)) {
            SandboxTemplateEndpoints.Answer a = templates.handle(req, uri);
            long delay = latency.sampleNanos(ThreadLocalRandom.current());
            if (a.error() != null) {
                error(ctx, req, a.error(), delay);
            } else {
                delayed(ctx, req, HttpResponseStatus.OK, a.body(), delay);
            }
        } else if (media.handles(req.method(), path)) {
            media.handle(ctx, req, uri);
        } else if (path.startsWith(CONTROL_PREFIX)) {
            SandboxControlApi.Answer a = control.handle(req.method(), uri, req.content());
            ChannelFuture written = respond(ctx, req, a.status(), a.body());
            if (a.afterWrite() != null) {
                written.addListener(f -> a.afterWrite().run());
            }
        } else {
            // Graph answers unknown paths with code 2500 "Unknown path components".
            GraphError e = new GraphError(404, 2500, null, "OAuthException", "Unknown path components: " + abbreviate(path), null);
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, e.toJson());
        }
    }

    private void messages(ChannelHandlerContext ctx, FullHttpRequest req, String phoneNumberId) {
        long delay = latency.sampleNanos(ThreadLocalRandom.current());
        if (!req.method().equals(HttpMethod.POST)) {
            error(ctx, req, unsupported(req.method(), phoneNumberId), delay);
            return;
        }
        String token = bearerToken(req);
        if (token == null || !numbers.containsValue(token)) {
            error(ctx, req, invalidToken(), delay);
            return;
        }
        if (!token.equals(numbers.get(phoneNumberId))) {
            error(ctx, req, unknownNumber(phoneNumberId), delay);
            return;
        }
        JsonNode body = parse(req);
        if (body == null) {
            error(ctx, req, GraphError.invalidParameter("Request body is not a JSON object"), delay);
            return;
        }
        String recipient = recipient(body);
        FaultPlan.Decision decision = faults.onRequest(phoneNumberId, recipient);
        if (decision.delay() != null) {
            delay = decision.delay().sampleNanos(ThreadLocalRandom.current());
        }
        if (decision.answer() != null) {
            applyFault(ctx, req, decision.answer(), phoneNumberId, body, delay);
            return;
        }
        if (body.has("status")) {
            markRead(ctx, req, phoneNumberId, body, delay);
            return;
        }
        Optional<GraphError> limited = limits.admit(phoneNumberId, pairKey(recipient), System.nanoTime());
        if (limited.isPresent()) {
            LOG.debug("sandbox refused a send from number {} to {}: {}", phoneNumberId, recipient, limited.get().code());
            error(ctx, req, limited.get(), delay);
            return;
        }
        Optional<GraphError> invalid = validator.validateSend(body);
        if (invalid.isPresent()) {
            error(ctx, req, invalid.get(), delay);
            return;
        }
        Optional<GraphError> refused = policy.check(phoneNumberId, body);
        if (refused.isPresent()) {
            LOG.info("sandbox refused a send from number {} to {} by policy: {}", phoneNumberId, recipient,
                    refused.get().code());
            error(ctx, req, refused.get(), delay);
            return;
        }
        String wamid = wamids.next();
        String type = body.path("type").asText("text");
        log.addReceived(new ReceivedMessage(phoneNumberId, body, wamid, Instant.now()));
        LOG.info("sandbox accepted {} message from number {} to {} as {}", type, phoneNumberId, recipient, wamid);
        SandboxPolicy.Outcome outcome = policy.accepted(phoneNumberId, body, wamid, webhooks.behaviour());
        webhooks.accepted(phoneNumberId, body, wamid, media.sendFailure(phoneNumberId, body), outcome);
        delayed(ctx, req, HttpResponseStatus.OK, success(body, recipient, wamid, type.equals("template")), delay);
    }

    /** Answers (or deliberately does not answer) in place of the normal processing. */
    private void applyFault(ChannelHandlerContext ctx, FullHttpRequest req, FaultPlan.Fault fault,
                            String phoneNumberId, JsonNode body, long delay) {
        if (fault instanceof FaultPlan.MetaError e) {
            error(ctx, req, GraphError.of(e.code(), e.httpStatus(), e.details()), delay);
            return;
        }
        log.addAttempted(new ReceivedMessage(phoneNumberId, body, null, Instant.now()));
        if (fault instanceof FaultPlan.Drop) {
            LOG.info("sandbox drops the connection of a request from number {} (scripted)", phoneNumberId);
            later(ctx, delay, ctx::close);
        } else if (fault instanceof FaultPlan.ResetAfterRead) {
            LOG.info("sandbox resets the connection of a request from number {} after reading it (scripted)", phoneNumberId);
            later(ctx, delay, () -> SandboxResetHandler.reset(ctx));
        } else {
            LOG.info("sandbox stalls a request from number {} (scripted)", phoneNumberId);
        }
    }

    private void markRead(ChannelHandlerContext ctx, FullHttpRequest req, String phoneNumberId, JsonNode body, long delay) {
        Optional<GraphError> invalid = validator.validateMarkRead(body);
        if (invalid.isPresent()) {
            error(ctx, req, invalid.get(), delay);
            return;
        }
        log.addMarkedRead(new ReceivedMessage(phoneNumberId, body, null, Instant.now()));
        LOG.info("sandbox marked {} read for number {}", body.path("message_id").asText(), phoneNumberId);
        delayed(ctx, req, HttpResponseStatus.OK, JsonNodeFactory.instance.objectNode().put("success", true), delay);
    }

    private static ObjectNode success(JsonNode body, String recipient, String wamid, boolean template) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("messaging_product", "whatsapp");
        ObjectNode contact = root.putArray("contacts").addObject().put("input", recipient);
        if (body.hasNonNull("to")) {
            contact.put("wa_id", recipient.replaceAll("[^0-9]", ""));
        } else {
            // Sends to a business-scoped user id: Meta echoes the id; the field name is unconfirmed [U].
            contact.put("user_id", recipient);
        }
        ObjectNode message = root.putArray("messages").addObject().put("id", wamid);
        if (template) {
            message.put("message_status", "accepted");
        }
        return root;
    }

    /**
     * Meta's answer for a phone-number id the token cannot reach (unknown, or another business's):
     * the generic Graph "Unsupported post request" error, code 100 with subcode 33, HTTP 400. We
     * chose it over 133010 ("not registered") because 133010 is for a number the token owns that
     * is not registered; the sandbox has no unregistered numbers yet.
     */
    static GraphError unknownNumber(String phoneNumberId) {
        return new GraphError(400, 100, 33, "GraphMethodException", "Unsupported post request. Object with ID '"
                + abbreviate(phoneNumberId) + "' does not exist, cannot be loaded due to missing permissions, or does"
                + " not support this operation. Please read the Graph API documentation at"
                + " https://developers.facebook.com/docs/graph-api", null);
    }

    /** 190, HTTP 401: no token, or one the sandbox does not know. */
    static GraphError invalidToken() {
        return new GraphError(401, 190, null, "OAuthException",
                "(#190) Invalid OAuth access token - Cannot parse access token", null);
    }

    static GraphError unsupported(HttpMethod method, String phoneNumberId) {
        return new GraphError(400, 100, 33, "GraphMethodException", "Unsupported "
                + method.name().toLowerCase(java.util.Locale.ROOT) + " request. Object with ID '"
                + abbreviate(phoneNumberId) + "' does not support this operation.", null);
    }

    static String bearerToken(io.netty.handler.codec.http.HttpRequest req) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = auth.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }

    private static JsonNode parse(FullHttpRequest req) {
        try (InputStream in = new ByteBufInputStream(req.content())) {
            JsonNode n = JSON.readTree(in);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String recipient(JsonNode body) {
        JsonNode r = body.hasNonNull("to") ? body.get("to") : body.get("recipient");
        return r == null || !r.isValueNode() ? null : r.asText();
    }

    /** One user however the number is written ("+1 (650) 555-1234" is "16505551234"); user ids as given. */
    private static String pairKey(String recipient) {
        if (recipient == null) {
            return null;
        }
        for (int i = 0; i < recipient.length(); i++) {
            if (Character.isLetter(recipient.charAt(i))) {
                return recipient;
            }
        }
        String digits = recipient.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? recipient : digits;
    }

    private void error(ChannelHandlerContext ctx, FullHttpRequest req, GraphError e, long delay) {
        delayed(ctx, req, HttpResponseStatus.valueOf(e.httpStatus()), e.toJson(), delay);
    }

    /** Answers after the emulated latency; the response is built when it is written so nothing leaks if the loop stops first. */
    private static void delayed(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, JsonNode body,
                                long delayNanos) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        byte[] bytes = bytes(body);
        later(ctx, delayNanos, () -> write(ctx, keepAlive, status, bytes));
    }

    /** Runs {@code action} on the channel's event loop after {@code delayNanos}, at once if zero. */
    private static void later(ChannelHandlerContext ctx, long delayNanos, Runnable action) {
        if (delayNanos <= 0) {
            action.run();
        } else {
            ctx.executor().schedule(action, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Answers at once: the control endpoints are not part of the emulated Meta. */
    private static ChannelFuture respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, JsonNode body) {
        return write(ctx, HttpUtil.isKeepAlive(req), status, bytes(body));
    }

    static ChannelFuture write(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, byte[] body) {
        if (!ctx.channel().isActive()) {
            return ctx.newSucceededFuture();
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            return ctx.writeAndFlush(res);
        }
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Usually a client resetting the connection; nothing to answer.
        LOG.debug("sandbox connection error: {}", cause.toString());
        ctx.close();
    }
}
