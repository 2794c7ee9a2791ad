package io.wagate.sandbox;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline of one sandbox connection: idle timeout, HTTP/1.1 codec, the resets that happen
 * before a request is read ({@link SandboxResetHandler}), media uploads streamed past the aggregator
 * ({@link SandboxMediaUploadHandler}), chunked writes for media downloads, body aggregation with the configured
 * limit (Netty answers 413 above it), then the shared {@link SandboxHttpHandler}.
 *
 * <p>Every channel joins the emulator's {@link ChannelGroup} so that {@code close()} and outages
 * also end connections the sandbox is deliberately stalling. A connection accepted in the instant
 * an outage begins is closed at once.
 *
 * <p>Threading: {@code initChannel} runs on the new channel's event loop; the instance is shared.
 */
final class SandboxServerInitializer extends ChannelInitializer<SocketChannel> {

    private final SandboxOptions options;
    private final SandboxHttpHandler handler;
    private final FaultPlan faults;
    private final ChannelGroup channels;
    private final SandboxListener listener;
    private final Supplier<SandboxMediaUploadHandler> uploads;

    SandboxServerInitializer(SandboxOptions options, SandboxHttpHandler handler, FaultPlan faults,
                             ChannelGroup channels, SandboxListener listener, Supplier<SandboxMediaUploadHandler> uploads) {
        this.uploads = uploads;
        this.options = options;
        this.handler = handler;
        this.faults = faults;
        this.channels = channels;
        this.listener = listener;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        if (listener.isDown()) {
            ch.close();
            return;
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast(new IdleStateHandler(0, 0, options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(new HttpServerCodec());
        p.addLast(new ChunkedWriteHandler());
        p.addLast(new SandboxResetHandler(faults));
        p.addLast(uploads.get());
        p.addLast(new HttpObjectAggregator(options.maxBodyBytes()));
        p.addLast(handler);
    }
}
