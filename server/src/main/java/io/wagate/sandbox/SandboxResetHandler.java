package io.wagate.sandbox;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults that happen before a request is read: {@link FaultPlan.ResetOnConnect} when the
 * connection becomes active and {@link FaultPlan.ResetBeforeRead} when a messages request line
 * arrives, before its body is aggregated. Sits between the HTTP codec and the aggregator.
 *
 * <p>One instance per connection (it remembers that it is resetting, to discard what the codec
 * still hands on). Runs on the connection's event loop.
 */
final class SandboxResetHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxResetHandler.class);

    private final FaultPlan faults;
    private boolean resetting;

    SandboxResetHandler(FaultPlan faults) {
        this.faults = faults;
    }

    /** Closes with SO_LINGER 0, so the peer gets a TCP reset rather than an orderly close. */
    static void reset(ChannelHandlerContext ctx) {
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        ctx.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (faults.onConnect()) {
            LOG.info("sandbox resets a new connection from {} (scripted)", ctx.channel().remoteAddress());
            resetting = true;
            reset(ctx);
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (resetting) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req && req.method().equals(HttpMethod.POST)) {
            Matcher m = SandboxHttpHandler.MESSAGES_PATH.matcher(new QueryStringDecoder(req.uri()).path());
            if (m.matches() && faults.onRequestLine(m.group(2))) {
                LOG.info("sandbox resets a request from number {} before reading it (scripted)", m.group(2));
                resetting = true;
                ReferenceCountUtil.release(msg);
                reset(ctx);
                return;
            }
        }
        super.channelRead(ctx, msg);
    }
}
