package io.wagate.webhook;

import com.codahale.metrics.MetricRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.wagate.config.WebhookConfig;
import io.wagate.events.EventSink;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP(S) listener Meta posts webhooks to. Verifies the handshake and every signature,
 * stores the events through the {@link EventSink}, and answers 200 only once they are durable.
 *
 * <p>Usage:
 * <pre>{@code
 * WebhookServer server = WebhookServer.start(config, WebhookCredentials.resolve(config.apps(), System.getenv()),
 *         aliases, eventLog, registry);
 * int port = server.port();
 * ...
 * server.close(); // stops accepting, lets requests in flight finish (bounded), closes connections
 * }</pre>
 *
 * <p>Threading: Netty event loops do I/O and routing only; signature checks, parsing and the
 * store call run on this server's worker pool (bounded; a full pool answers 503).
 */
public final class WebhookServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    /** How long {@link #close()} lets requests in flight finish. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);
    private static final int EVENT_LOOP_THREADS = 2;
    private static final int WORKER_QUEUE = 1024;

    private final EventLoopGroup group;
    private final ChannelGroup channels;
    private final ThreadPoolExecutor workers;
    private final InFlight inFlight;
    private final Channel serverChannel;
    private final InetSocketAddress local;
    private boolean closed;

    private WebhookServer(EventLoopGroup group, ChannelGroup channels, ThreadPoolExecutor workers, InFlight inFlight,
                          Channel serverChannel) {
        this.group = group;
        this.channels = channels;
        this.workers = workers;
        this.inFlight = inFlight;
        this.serverChannel = serverChannel;
        this.local = (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException when the address cannot be bound or the TLS files cannot be read
     */
    public static WebhookServer start(WebhookConfig config, WebhookCredentials credentials, NumberAliases aliases,
                                      EventSink sink, MetricRegistry registry) {
        SslContext ssl = config.tlsEnabled() ? sslContext(config) : null;
        WebhookMetrics metrics = new WebhookMetrics(registry);
        ThreadPoolExecutor workers = workers();
        WebhookIngestor ingestor = new WebhookIngestor(new SignatureVerifier(credentials), new WebhookParser(aliases),
                sink, metrics, workers);
        InFlight inFlight = new InFlight();
        ChannelGroup channels = new DefaultChannelGroup("webhook", GlobalEventExecutor.INSTANCE);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new WebhookServerInitializer(config, ssl, credentials, ingestor, metrics, inFlight, channels));
        ChannelFuture f = b.bind(config.listenAddress(), config.port()).awaitUninterruptibly();
        if (!f.isSuccess()) {
            workers.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            throw new IllegalStateException("webhook listener cannot bind " + config.listenAddress() + ":" + config.port(),
                    f.cause());
        }
        WebhookServer server = new WebhookServer(group, channels, workers, inFlight, f.channel());
        LOG.info("webhook listener on {}://{}:{}{} for {} app(s)", ssl == null ? "http" : "https",
                config.listenAddress(), server.port(), config.path(), credentials.apps().size());
        return server;
    }

    private static SslContext sslContext(WebhookConfig config) {
        try {
            return SslContextBuilder.forServer(config.tlsCertFile().toFile(), config.tlsKeyFile().toFile())
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("webhook.tls_cert_file " + config.tlsCertFile() + " or webhook.tls_key_file "
                    + config.tlsKeyFile() + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static ThreadPoolExecutor workers() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WORKER_QUEUE),
                r -> {
                    Thread t = new Thread(r, "webhook-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** The bound port (the free one picked when the config said 0). */
    public int port() {
        return local.getPort();
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    /** As {@link #close(Duration)} with {@link #DEFAULT_DRAIN}. */
    @Override
    public void close() {
        close(DEFAULT_DRAIN);
    }

    /**
     * Stops accepting, waits up to {@code drain} for POSTs in flight to be answered (new requests
     * on open connections get 503), then closes every connection and the threads. Idempotent.
     */
    public synchronized void close(Duration drain) {
        if (closed) {
            return;
        }
        closed = true;
        inFlight.close();
        serverChannel.close().awaitUninterruptibly();
        if (!inFlight.awaitIdle(drain)) {
            LOG.warn("webhook listener closing with {} request(s) unanswered; Meta will retry them", inFlight.count());
        }
        channels.close().awaitUninterruptibly();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** POSTs accepted and not yet answered, and whether new ones are still taken. */
    static final class InFlight {
        private int count;
        private boolean closing;

        /** Counts a new POST; false once closing. */
        synchronized boolean enter() {
            if (closing) {
                return false;
            }
            count++;
            return true;
        }

        synchronized void exit() {
            if (--count == 0) {
                notifyAll();
            }
        }

        synchronized boolean closing() {
            return closing;
        }

        synchronized int count() {
            return count;
        }

        synchronized void close() {
            closing = true;
        }

        synchronized boolean awaitIdle(Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            try {
                while (count > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }
    }
}
