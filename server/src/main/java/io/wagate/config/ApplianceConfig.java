package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration of one appliance, immutable and validated on construction.
 *
 * <p>Loaded from one YAML file by {@link ConfigLoader} ({@code wagate run}) or built in code
 * ({@code wagate sandbox}, tests). Secrets are never part of it: numbers name where their access
 * token comes from, and {@code Main} resolves those names.
 *
 * @param mode            sandbox (embedded emulator of Meta, loopback only) or production
 * @param dataDir         the database lives in {@code data_dir/db}
 * @param shutdownTimeout how long a stop waits for in-flight sends before leaving them queued
 * @param webhook         the listener Meta posts webhooks to
 * @param events          the durable event log
 * @param media           the encrypted media store and its master key
 * @param policy          WhatsApp's rules checked before queueing, and the billing meter
 */
public record ApplianceConfig(
        Mode mode,
        Path dataDir,
        GrpcConfig grpc,
        CloudApiConfig cloudApi,
        List<NumberConfig> numbers,
        OutboxConfig outbox,
        DispatchConfig dispatch,
        StoreConfig store,
        Duration shutdownTimeout,
        WebhookConfig webhook,
        EventsConfig events,
        MediaConfig media,
        PolicyConfig policy) {

    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    /** How the appliance runs. */
    public enum Mode { SANDBOX, PRODUCTION }

    public ApplianceConfig {
        mode = mode == null ? Mode.PRODUCTION : mode;
        check(dataDir != null, "data_dir", "is required", "nothing");
        grpc = grpc == null ? GrpcConfig.defaults() : grpc;
        cloudApi = cloudApi == null ? CloudApiConfig.defaults() : cloudApi;
        numbers = numbers == null ? List.of() : List.copyOf(numbers);
        outbox = outbox == null ? OutboxConfig.defaults() : outbox;
        dispatch = dispatch == null ? DispatchConfig.defaults() : dispatch;
        store = store == null ? StoreConfig.defaults() : store;
        shutdownTimeout = shutdownTimeout == null ? DEFAULT_SHUTDOWN_TIMEOUT : shutdownTimeout;
        webhook = webhook == null ? WebhookConfig.defaults() : webhook;
        events = events == null ? EventsConfig.defaults() : events;
        media = media == null ? MediaConfig.defaults() : media;
        policy = policy == null ? PolicyConfig.defaults() : policy;
        check(!shutdownTimeout.isNegative(), "shutdown_timeout", "must be >= 0", Durations.format(shutdownTimeout));
        check(!numbers.isEmpty(), "numbers", "must list at least one phone number", "an empty list");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < numbers.size(); i++) {
            NumberConfig n = numbers.get(i);
            check(seen.add(n.alias()), "numbers[" + i + "].alias", "must be unique", "'" + n.alias() + "' twice");
            check(seen.add(n.phoneNumberId()) || n.alias().equals(n.phoneNumberId()),
                    "numbers[" + i + "].phone_number_id", "must be unique", "'" + n.phoneNumberId() + "' twice");
        }
        if (mode == Mode.SANDBOX) {
            check(grpc.isLoopback(), "grpc.listen_address", "must be a loopback address in sandbox mode",
                    grpc.listenAddress());
            check(WebhookConfig.isLoopback(webhook.listenAddress()), "webhook.listen_address",
                    "must be a loopback address in sandbox mode", webhook.listenAddress());
        }
    }

    /** A config with the default webhook listener and event log. */
    public ApplianceConfig(Mode mode, Path dataDir, GrpcConfig grpc, CloudApiConfig cloudApi, List<NumberConfig> numbers,
                           OutboxConfig outbox, DispatchConfig dispatch, StoreConfig store, Duration shutdownTimeout) {
        this(mode, dataDir, grpc, cloudApi, numbers, outbox, dispatch, store, shutdownTimeout, null, null, null, null);
    }

    /** A config with the default media store. */
    public ApplianceConfig(Mode mode, Path dataDir, GrpcConfig grpc, CloudApiConfig cloudApi, List<NumberConfig> numbers,
                           OutboxConfig outbox, DispatchConfig dispatch, StoreConfig store, Duration shutdownTimeout,
                           WebhookConfig webhook, EventsConfig events) {
        this(mode, dataDir, grpc, cloudApi, numbers, outbox, dispatch, store, shutdownTimeout, webhook, events, null, null);
    }

    /** This config with another webhook listener. */
    public ApplianceConfig withWebhook(WebhookConfig w) {
        return new ApplianceConfig(mode, dataDir, grpc, cloudApi, numbers, outbox, dispatch, store, shutdownTimeout, w, events, media, policy);
    }

    /** This config with another event log setup. */
    public ApplianceConfig withEvents(EventsConfig e) {
        return new ApplianceConfig(mode, dataDir, grpc, cloudApi, numbers, outbox, dispatch, store, shutdownTimeout, webhook, e, media, policy);
    }

    /** This config with another media store setup. */
    public ApplianceConfig withMedia(MediaConfig m) {
        return new ApplianceConfig(mode, dataDir, grpc, cloudApi, numbers, outbox, dispatch, store, shutdownTimeout, webhook,
                events, m, policy);
    }

    /** This config with other policy settings. */
    public ApplianceConfig withPolicy(PolicyConfig p) {
        return new ApplianceConfig(mode, dataDir, grpc, cloudApi, numbers, outbox, dispatch, store, shutdownTimeout, webhook,
                events, media, p);
    }

    /** The number a caller names by alias or by phone-number id. */
    public Optional<NumberConfig> findNumber(String aliasOrId) {
        return numbers.stream()
                .filter(n -> n.alias().equals(aliasOrId) || n.phoneNumberId().equals(aliasOrId))
                .findFirst();
    }

    public Path databaseDir() {
        return dataDir.resolve("db");
    }

    /** Where the encrypted media files live: {@code data_dir/media}. */
    public Path mediaDir() {
        return dataDir.resolve("media");
    }
}
