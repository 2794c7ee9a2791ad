package io.wagate.grpc;

import com.google.protobuf.util.Timestamps;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.AdminGrpc;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.NumberStatus;
import io.wagate.api.v1.Status;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.outbox.ConversationScheduler;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The {@code wagate.v1.Admin} service: what the appliance says about itself. Thread-safe. */
public final class AdminService extends AdminGrpc.AdminImplBase {
    private final ApplianceConfig config;
    private final ConversationScheduler scheduler;
    private final IntSupplier inFlight;
    private final LongSupplier possibleDuplicates;
    private final long startedAtMillis;
    private final String version;

    public AdminService(ApplianceConfig config, ConversationScheduler scheduler, IntSupplier inFlight,
                        LongSupplier possibleDuplicates, long startedAtMillis, String version) {
        this.config = config;
        this.scheduler = scheduler;
        this.inFlight = inFlight;
        this.possibleDuplicates = possibleDuplicates;
        this.startedAtMillis = startedAtMillis;
        this.version = version;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<Status> out) {
        Map<String, Long> pending = scheduler.pendingByNumber();
        Status.Builder b = Status.newBuilder()
                .setVersion(version)
                .setMode(config.mode().name().toLowerCase())
                .setStartedAt(Timestamps.fromMillis(startedAtMillis))
                .setDataDir(config.dataDir().toString())
                .setPendingMessages(scheduler.size())
                .setInFlight(inFlight.getAsInt())
                .setPossibleDuplicateResends(possibleDuplicates.getAsLong())
                .setCloudApiBaseUrl(config.cloudApi().baseUrl().toString());
        for (NumberConfig n : config.numbers()) {
            b.addNumbers(NumberStatus.newBuilder()
                    .setAlias(n.alias())
                    .setPhoneNumberId(n.phoneNumberId())
                    .setPendingMessages(pending.getOrDefault(n.phoneNumberId(), 0L)));
        }
        out.onNext(b.build());
        out.onCompleted();
    }
}
