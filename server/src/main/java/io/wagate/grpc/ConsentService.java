package io.wagate.grpc;

import com.google.protobuf.util.Timestamps;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.ConsentChange;
import io.wagate.api.v1.ConsentGrpc;
import io.wagate.api.v1.ConsentRecord;
import io.wagate.api.v1.ConsentSource;
import io.wagate.api.v1.ConsentState;
import io.wagate.api.v1.GetConsentRequest;
import io.wagate.api.v1.ListConsentRequest;
import io.wagate.api.v1.ListConsentResponse;
import io.wagate.api.v1.SetConsentRequest;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.outbox.FieldViolation;
import io.wagate.outbox.InvalidRequestException;
import io.wagate.policy.ConsentRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The {@code wagate.v1.Consent} service: the consent ledger ({@link ConsentRegistry}) for callers
 * and {@code wagatectl consent}. Every bad field is reported at once, and nothing is written.
 */
public final class ConsentService extends ConsentGrpc.ConsentImplBase {
    static final int MAX_NOTE = 500;
    static final int MAX_USER = 128;

    private final ApplianceConfig config;
    private final ConsentRegistry registry;
    private final LongSupplier clock;

    public ConsentService(ApplianceConfig config, ConsentRegistry registry, LongSupplier clock) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void set(SetConsentRequest r, StreamObserver<ConsentRecord> out) {
        try {
            List<FieldViolation> v = new ArrayList<>();
            Optional<NumberConfig> number = number(r.getNumber(), false, v);
            String user = user(r.getUser(), v);
            if (r.getState() != ConsentState.OPTED_IN && r.getState() != ConsentState.OPTED_OUT) {
                v.add(new FieldViolation("state", "must be OPTED_IN or OPTED_OUT, got " + r.getState()));
            }
            if (r.getNote().length() > MAX_NOTE) {
                v.add(new FieldViolation("note", "must be at most " + MAX_NOTE + " characters, got "
                        + r.getNote().length()));
            }
            if (!v.isEmpty()) {
                throw new InvalidRequestException(v);
            }
            ConsentChange c = ConsentChange.newBuilder().setState(r.getState())
                    .setSource(ConsentSource.CONSENT_SOURCE_API)
                    .setAt(Timestamps.fromMillis(clock.getAsLong()))
                    .setNote(r.getNote())
                    .build();
            out.onNext(view(registry.set(number.get().phoneNumberId(), user, c)));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void get(GetConsentRequest r, StreamObserver<ConsentRecord> out) {
        try {
            List<FieldViolation> v = new ArrayList<>();
            Optional<NumberConfig> number = number(r.getNumber(), false, v);
            String user = user(r.getUser(), v);
            if (!v.isEmpty()) {
                throw new InvalidRequestException(v);
            }
            Optional<ConsentRecord> rec = registry.get(number.get().phoneNumberId(), user);
            if (rec.isEmpty()) {
                throw Status.NOT_FOUND.withDescription("no consent recorded for user " + user + " with number "
                        + number.get().alias()).asRuntimeException();
            }
            out.onNext(view(rec.get()));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void list(ListConsentRequest r, StreamObserver<ListConsentResponse> out) {
        try {
            List<FieldViolation> v = new ArrayList<>();
            Optional<NumberConfig> number = number(r.getNumber(), true, v);
            if (r.getState() == ConsentState.UNRECOGNIZED) {
                v.add(new FieldViolation("state", "must be OPTED_IN, OPTED_OUT or unspecified (any)"));
            }
            if (r.getPageSize() < 0) {
                v.add(new FieldViolation("page_size", "must be >= 0 (0: the default, 50), got " + r.getPageSize()));
            }
            if (!v.isEmpty()) {
                throw new InvalidRequestException(v);
            }
            int pageSize = r.getPageSize() == 0 ? 50 : Math.min(r.getPageSize(), 1000);
            ConsentState state = r.getState();
            ConsentRegistry.Page page;
            try {
                page = registry.list(number.map(NumberConfig::phoneNumberId).orElse(null),
                        rec -> state == ConsentState.CONSENT_STATE_UNSPECIFIED || rec.getCurrent().getState() == state,
                        pageSize, r.getPageToken());
            } catch (IllegalArgumentException bad) {
                throw InvalidRequestException.of("page_token", bad.getMessage());
            }
            ListConsentResponse.Builder b = ListConsentResponse.newBuilder().setNextPageToken(page.nextPageToken());
            page.records().forEach(rec -> b.addRecords(view(rec)));
            out.onNext(b.build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    private Optional<NumberConfig> number(String aliasOrId, boolean optional, List<FieldViolation> v) {
        if (aliasOrId.isEmpty()) {
            if (!optional) {
                v.add(new FieldViolation("number", "is required: a configured number alias or phone-number id"));
            }
            return Optional.empty();
        }
        Optional<NumberConfig> n = config.findNumber(aliasOrId);
        if (n.isEmpty()) {
            v.add(new FieldViolation("number", "unknown number '" + clip(aliasOrId) + "'; configured: "
                    + config.numbers().stream().map(NumberConfig::alias).collect(Collectors.joining(", "))));
        }
        return n;
    }

    private static String user(String user, List<FieldViolation> v) {
        String u = ConsentRegistry.normalizeUser(user);
        if (u.isEmpty()) {
            v.add(new FieldViolation("user", "is required: the user's phone number (E.164) or business-scoped user id"));
        } else if (u.length() > MAX_USER || u.indexOf('/') >= 0 || u.chars().anyMatch(Character::isISOControl)) {
            v.add(new FieldViolation("user", "'" + clip(user) + "' is not a phone number or business-scoped user id"));
        }
        return u;
    }

    /** The record with the number's alias filled in. */
    private ConsentRecord view(ConsentRecord r) {
        return r.toBuilder().setNumber(config.numbers().stream()
                .filter(n -> n.phoneNumberId().equals(r.getPhoneNumberId()))
                .map(NumberConfig::alias).findFirst().orElse("")).build();
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
