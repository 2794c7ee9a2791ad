package io.wagate.sandbox;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's listening socket and its outages: while an outage lasts the server channel is
 * closed and every connection with it, so clients get "connection refused"; afterwards the same
 * port is bound again.
 *
 * <p>Threading: binding and closing wait for Netty, so they never run on an event loop: outages
 * begun by the control API (an event loop) and timed ends run on this class's own scheduler
 * thread. {@link #isDown()} is lock-free because event loops call it while another thread holds
 * the monitor waiting for them.
 */
final class SandboxListener {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxListener.class);
    private static final long REBIND_RETRY_MILLIS = 100;
    private static final int REBIND_ATTEMPTS = 50;

    private final ServerBootstrap bootstrap;
    private final ChannelGroup channels;
    private final String host;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong outageCount = new AtomicLong();
    private volatile boolean down;
    private int port;
    private Channel serverChannel;
    private ScheduledFuture<?> scheduledEnd;
    private boolean closed;

    SandboxListener(EventLoopGroup group, SandboxOptions options, ChannelGroup channels) {
        this.bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true);
        this.channels = channels;
        this.host = options.bindHost();
        this.port = options.port();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-listener");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Binds for the first time.
     *
     * @throws IllegalStateException if the address cannot be bound
     */
    synchronized InetSocketAddress bind(ChannelHandler childHandler) {
        bootstrap.childHandler(childHandler);
        ChannelFuture f = bootstrap.bind(host, port).awaitUninterruptibly();
        if (!f.isSuccess()) {
            scheduler.shutdownNow();
            throw new IllegalStateException("sandbox cannot bind " + host + ":" + port, f.cause());
        }
        serverChannel = f.channel();
        InetSocketAddress local = (InetSocketAddress) serverChannel.localAddress();
        port = local.getPort();
        return local;
    }

    /** True during an outage; new connections accepted in the instant before it are closed by the initializer. */
    boolean isDown() {
        return down;
    }

    /** Outages begun since start. */
    long outageCount() {
        return outageCount.get();
    }

    /**
     * Takes the listener down and closes every connection; blocks until that is done. During an
     * outage a new call only changes when it ends.
     *
     * @param length how long until it comes back by itself; null for "until {@link #endOutage()}"
     */
    synchronized void beginOutage(Duration length) {
        if (closed) {
            return;
        }
        if (scheduledEnd != null) {
            scheduledEnd.cancel(false);
            scheduledEnd = null;
        }
        if (length != null) {
            scheduledEnd = scheduler.schedule(this::endOutageQuietly, length.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (down) {
            return;
        }
        down = true;
        outageCount.incrementAndGet();
        serverChannel.close().awaitUninterruptibly();
        serverChannel = null;
        channels.close().awaitUninterruptibly();
        LOG.info("sandbox outage: {}:{} is down {}", host, port, length == null ? "until told" : "for " + length);
    }

    /** As {@link #beginOutage}, from a thread that must not block (an event loop). */
    void beginOutageLater(Duration length) {
        scheduler.execute(() -> beginOutage(length));
    }

    /** Schedules an outage of {@code length} to begin after {@code after}. */
    void scheduleOutage(Duration after, Duration length) {
        scheduler.schedule(() -> beginOutage(length), after.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Binds the same port again; blocks until it listens.
     *
     * @throws IllegalStateException if the port stayed taken for about 5 s (it keeps trying every second)
     */
    synchronized void endOutage() {
        if (closed || !down) {
            return;
        }
        if (scheduledEnd != null) {
            scheduledEnd.cancel(false);
            scheduledEnd = null;
        }
        Throwable last = null;
        for (int attempt = 0; attempt < REBIND_ATTEMPTS && !closed; attempt++) {
            ChannelFuture f = bootstrap.bind(host, port).awaitUninterruptibly();
            if (f.isSuccess()) {
                serverChannel = f.channel();
                down = false;
                LOG.info("sandbox outage over: {}:{} listens again", host, port);
                return;
            }
            last = f.cause();
            try {
                wait(REBIND_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!closed) {
            LOG.warn("sandbox cannot listen on {}:{} again, retrying: {}", host, port, String.valueOf(last));
            scheduledEnd = scheduler.schedule(this::endOutageQuietly, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("sandbox cannot listen on " + host + ":" + port + " again", last);
        }
    }

    private void endOutageQuietly() {
        try {
            endOutage();
        } catch (IllegalStateException e) {
            // endOutage logged it and scheduled another attempt.
        }
    }

    /** Stops listening and closes every connection, for good. Idempotent. */
    void close() {
        Channel ch;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
            ch = serverChannel;
            serverChannel = null;
        }
        scheduler.shutdownNow();
        if (ch != null) {
            ch.close().awaitUninterruptibly();
        }
        channels.close().awaitUninterruptibly();
    }
}
