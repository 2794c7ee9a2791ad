package io.wagate.sandbox;

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
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, faithful emulator of Meta's Cloud API messages endpoint over real HTTP: the bootstrap
 * and the owner of everything the sandbox holds (registered numbers, what it received, the fault
 * plan).
 *
 * <pre>{@code
 * try (SandboxEmulator sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber("1065", "tok"))) {
 *     CloudApiClient client = new CloudApiClient(sandbox.baseUrl(), "v25.0", ...);
 *     sandbox.faults().failNext(1, "+16505551234", 130429);      // one throttle, then normal
 *     ...
 *     List<ReceivedMessage> got = sandbox.awaitReceived(1, Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Threading: thread-safe. Requests are served on a small event-loop group (two threads); the
 * query and scripting methods may be called from any thread at any time.
 */
public final class SandboxEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxEmulator.class);
    private static final int EVENT_LOOP_THREADS = 2;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup channels;
    private final ConcurrentHashMap<String, String> numbers;
    private final ReceivedMessageLog log;
    private final FaultPlan faults;
    private final URI baseUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SandboxEmulator(EventLoopGroup group, Channel serverChannel, ChannelGroup channels,
                            ConcurrentHashMap<String, String> numbers, ReceivedMessageLog log, FaultPlan faults) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.channels = channels;
        this.numbers = numbers;
        this.log = log;
        this.faults = faults;
        InetSocketAddress local = (InetSocketAddress) serverChannel.localAddress();
        String host = local.getAddress().getHostAddress();
        this.baseUrl = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + local.getPort());
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException if the address cannot be bound
     */
    public static SandboxEmulator start(SandboxOptions options) {
        Objects.requireNonNull(options, "options");
        ConcurrentHashMap<String, String> numbers = new ConcurrentHashMap<>(options.numbers());
        ReceivedMessageLog log = new ReceivedMessageLog(options.maxRecorded());
        FaultPlan faults = new FaultPlan();
        ChannelGroup channels = new DefaultChannelGroup("sandbox", GlobalEventExecutor.INSTANCE);
        SandboxHttpHandler handler = new SandboxHttpHandler(numbers, log, faults, options.latency());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, NioIoHandler.newFactory());
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new SandboxServerInitializer(options, handler, channels))
                .bind(options.bindHost(), options.port())
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            throw new IllegalStateException("sandbox cannot bind " + options.bindHost() + ":" + options.port(), bind.cause());
        }
        SandboxEmulator sandbox = new SandboxEmulator(group, bind.channel(), channels, numbers, log, faults);
        LOG.info("sandbox Cloud API listening on {} with {} number(s)", sandbox.baseUrl, numbers.size());
        return sandbox;
    }

    /** Scheme, host and port to give a Cloud API client in place of {@code https://graph.facebook.com}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Lets {@code accessToken} send from {@code phoneNumberId} (replacing any earlier token). */
    public void registerNumber(String phoneNumberId, String accessToken) {
        numbers.put(Objects.requireNonNull(phoneNumberId), Objects.requireNonNull(accessToken));
    }

    /** The scripted faults; changes apply to the next request. */
    public FaultPlan faults() {
        return faults;
    }

    /** Accepted sends in arrival order (the newest {@code maxRecorded}); an immutable snapshot. */
    public List<ReceivedMessage> received() {
        return log.received();
    }

    /** Accepted sends from one number; an immutable snapshot. */
    public List<ReceivedMessage> received(String phoneNumberId) {
        return log.received(phoneNumberId);
    }

    /** How many sends were accepted since start or the last {@link #clearReceived()}. */
    public int receivedCount() {
        return log.receivedCount();
    }

    /**
     * Requests the sandbox read but deliberately never answered (scripted drop or stall). Meta may
     * have accepted such requests, so they are not "received" but not nothing either.
     */
    public List<ReceivedMessage> attempted() {
        return log.attempted();
    }

    /** Accepted mark-read requests; an immutable snapshot. */
    public List<ReceivedMessage> markedRead() {
        return log.markedRead();
    }

    /** Forgets everything received, attempted and marked read, and resets the count. */
    public void clearReceived() {
        log.clear();
    }

    /**
     * Waits until at least {@code count} sends were accepted.
     *
     * @return a snapshot of the received messages
     * @throws IllegalStateException on timeout (naming how many arrived) or interrupt
     */
    public List<ReceivedMessage> awaitReceived(int count, Duration timeout) {
        return log.awaitReceived(count, timeout);
    }

    /** Stops listening, closes every connection (stalled ones too) and stops the event loops. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().awaitUninterruptibly();
        channels.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        LOG.info("sandbox Cloud API on {} stopped", baseUrl);
    }
}
