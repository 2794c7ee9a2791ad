package io.wagate.sandbox;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one sandbox connection: idle timeout, HTTP/1.1 codec, body aggregation with
 * the configured limit (Netty answers 413 above it), then the shared {@link SandboxHttpHandler}.
 *
 * <p>Every channel joins the emulator's {@link ChannelGroup} so that {@code close()} also ends
 * connections the sandbox is deliberately stalling.
 *
 * <p>Threading: {@code initChannel} runs on the new channel's event loop; the instance is shared.
 */
final class SandboxServerInitializer extends ChannelInitializer<SocketChannel> {

    private final SandboxOptions options;
    private final SandboxHttpHandler handler;
    private final ChannelGroup channels;

    SandboxServerInitializer(SandboxOptions options, SandboxHttpHandler handler, ChannelGroup channels) {
        this.options = options;
        this.handler = handler;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast(new IdleStateHandler(0, 0, options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(new HttpServerCodec());
        p.addLast(new HttpObjectAggregator(options.maxBodyBytes()));
        p.addLast(handler);
    }
}
