package io.wagate.grpc;

import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.ContactBookGrpc;
import io.wagate.api.v1.GetWindowRequest;
import io.wagate.api.v1.WindowInfo;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.outbox.InvalidRequestException;
import io.wagate.policy.ContactWindows;
import java.util.function.LongSupplier;

/**
 * The {@code wagate.v1.ContactBook} service: whether a free-form message to a user is possible
 * now and until when ({@link ContactWindows#evaluate}, the rule the window check applies).
 *
 * <p>Stateless; one database point read per call.
 */
public final class ContactsService extends ContactBookGrpc.ContactBookImplBase {
    private final ApplianceConfig config;
    private final ContactWindows windows;
    private final LongSupplier clock;

    public ContactsService(ApplianceConfig config, ContactWindows windows, LongSupplier clock) {
        this.config = config;
        this.windows = windows;
        this.clock = clock;
    }

    @Override
    public void getWindow(GetWindowRequest r, StreamObserver<WindowInfo> out) {
        try {
            NumberConfig n = config.findNumber(r.getFrom()).orElseThrow(() -> InvalidRequestException.of("from",
                    r.getFrom().isEmpty() ? "is required: a number alias or phone-number id"
                            : "unknown number '" + r.getFrom() + "'"));
            if (r.getUser().isEmpty() || r.getUser().length() > 128) {
                throw InvalidRequestException.of("user", r.getUser().isEmpty()
                        ? "is required: an E.164 number, wa_id or business-scoped user id" : "is longer than 128");
            }
            out.onNext(ContactWindows.evaluate(windows.get(n.phoneNumberId(), r.getUser()), r.getUser(),
                    clock.getAsLong()));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }
}
