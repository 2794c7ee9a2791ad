package io.wagate.grpc;

import com.google.protobuf.util.Timestamps;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.AdminGrpc;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.KeyRotation;
import io.wagate.api.v1.RotateMasterKeyRequest;
import io.wagate.api.v1.NumberStatus;
import io.wagate.api.v1.Status;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.dispatch.NumberGates;
import io.wagate.media.RotationProgress;
import io.wagate.dispatch.NumberSnapshot;
import io.wagate.outbox.ConversationScheduler;
import io.wagate.outbox.MessageIds;
import io.wagate.api.v1.CircuitState;
import com.google.protobuf.util.Durations;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import io.wagate.api.v1.EventLogStatus;
import io.wagate.api.v1.WebhookStatus;

/** The {@code wagate.v1.Admin} service: what the appliance says about itself. Thread-safe. */
public final class AdminService extends AdminGrpc.AdminImplBase {
    private final ApplianceConfig config;
    private final ConversationScheduler scheduler;
    private final IntSupplier inFlight;
    private final NumberGates gates;
    private final LongSupplier possibleDuplicates;
    private final long startedAtMillis;
    private final String version;
    private final Supplier<WebhookStatus> webhook;
    private final Supplier<EventLogStatus> events;
    private final Supplier<RotationProgress> rotateMasterKey;

    public AdminService(ApplianceConfig config, ConversationScheduler scheduler, IntSupplier inFlight,
                        NumberGates gates, LongSupplier possibleDuplicates, long startedAtMillis, String version,
                        Supplier<WebhookStatus> webhook, Supplier<EventLogStatus> events,
                        Supplier<RotationProgress> rotateMasterKey) {
        this.config = config;
        this.scheduler = scheduler;
        this.inFlight = inFlight;
        this.gates = gates;
        this.possibleDuplicates = possibleDuplicates;
        this.startedAtMillis = startedAtMillis;
        this.version = version;
        this.webhook = webhook;
        this.events = events;
        this.rotateMasterKey = rotateMasterKey;
    }

    @Override
    public void rotateMasterKey(RotateMasterKeyRequest request, StreamObserver<KeyRotation> out) {
        try {
            RotationProgress p = rotateMasterKey.get();
            out.onNext(KeyRotation.newBuilder().setTargetKeyId(p.targetKeyId()).setDone(p.done())
                    .setTotal(p.total()).setFinished(p.finished()).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<Status> out) {
        Map<String, ConversationScheduler.NumberBacklog> backlog = scheduler.backlogByNumber();
        long now = System.currentTimeMillis();
        Status.Builder b = Status.newBuilder()
                .setVersion(version)
                .setMode(config.mode().name().toLowerCase())
                .setStartedAt(Timestamps.fromMillis(startedAtMillis))
                .setDataDir(config.dataDir().toString())
                .setPendingMessages(scheduler.size())
                .setInFlight(inFlight.getAsInt())
                .setPossibleDuplicateResends(possibleDuplicates.getAsLong())
                .setCloudApiBaseUrl(config.cloudApi().baseUrl().toString())
                .setWebhook(webhook.get())
                .setEvents(events.get());
        for (NumberConfig n : config.numbers()) {
            NumberSnapshot snap = gates.snapshot(n.phoneNumberId(), System::currentTimeMillis);
            NumberStatus.Builder ns = NumberStatus.newBuilder()
                    .setAlias(n.alias())
                    .setPhoneNumberId(n.phoneNumberId())
                    .setThroughput(n.throughput())
                    .setPacedRate(snap.pacedRate())
                    .setCircuit(CircuitState.valueOf(snap.circuit().name()))
                    .setPausedReason(snap.reason())
                    .setInFlight(snap.inFlight());
            if (snap.nextProbeAtMillis() > 0) {
                ns.setNextProbeAt(Timestamps.fromMillis(snap.nextProbeAtMillis()));
            }
            ConversationScheduler.NumberBacklog nb = backlog.get(n.phoneNumberId());
            if (nb != null) {
                ns.setPendingMessages(nb.pending())
                        .setPendingHigh(nb.pendingByLane()[0])
                        .setPendingNormal(nb.pendingByLane()[1])
                        .setPendingBulk(nb.pendingByLane()[2])
                        .setOldestAge(Durations.fromMillis(
                                Math.max(0, now - MessageIds.millisOf(nb.oldestAcceptedId()))));
            }
            b.addNumbers(ns);
        }
        out.onNext(b.build());
        out.onCompleted();
    }
}
