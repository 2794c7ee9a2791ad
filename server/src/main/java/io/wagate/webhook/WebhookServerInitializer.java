package io.wagate.webhook;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.wagate.config.WebhookConfig;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one connection: TLS when configured, the idle timeout, HTTP/1.1 with the
 * configured header limit (431 above it), body aggregation with the configured limit (Netty
 * answers 413 above it, counted here), then a {@link WebhookHandler} of its own.
 *
 * <p>Threading: {@code initChannel} runs on the new channel's event loop; the instance is shared.
 */
final class WebhookServerInitializer extends ChannelInitializer<SocketChannel> {

    private static final int MAX_INITIAL_LINE_BYTES = 8192;
    private static final int MAX_CHUNK_BYTES = 64 * 1024;

    private final WebhookConfig config;
    private final SslContext ssl;
    private final WebhookCredentials credentials;
    private final WebhookIngestor ingestor;
    private final WebhookMetrics metrics;
    private final WebhookServer.InFlight inFlight;
    private final ChannelGroup channels;

    WebhookServerInitializer(WebhookConfig config, SslContext ssl, WebhookCredentials credentials,
                             WebhookIngestor ingestor, WebhookMetrics metrics, WebhookServer.InFlight inFlight,
                             ChannelGroup channels) {
        this.config = config;
        this.ssl = ssl;
        this.credentials = credentials;
        this.ingestor = ingestor;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast(ssl.newHandler(ch.alloc()));
        }
        p.addLast(new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(new HttpServerCodec(MAX_INITIAL_LINE_BYTES, config.maxHeaderBytes(), MAX_CHUNK_BYTES));
        p.addLast(new CountingAggregator(config.maxBodyBytes(), metrics));
        p.addLast(new WebhookHandler(config.path(), credentials, ingestor, metrics, inFlight));
    }

    /** Netty's aggregator, counting the bodies it refuses with 413. */
    private static final class CountingAggregator extends HttpObjectAggregator {
        private final WebhookMetrics metrics;

        CountingAggregator(int maxContentLength, WebhookMetrics metrics) {
            super(maxContentLength);
            this.metrics = metrics;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            metrics.rejectedTooLarge.inc();
            super.handleOversizedMessage(ctx, oversized);
        }
    }
}
