package io.wagate.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.wagate.config.ConfigException;
import io.wagate.media.MediaCorruptException;
import io.wagate.media.MediaNotFoundException;
import io.wagate.media.MediaNotReadyException;
import io.wagate.media.MediaQuotaExceededException;
import io.wagate.media.MediaStoreClosedException;
import io.wagate.media.MediaTooLargeException;
import io.wagate.media.MediaTypeMismatchException;
import io.wagate.media.MediaUnavailableException;
import io.wagate.media.SizeMismatchException;
import io.wagate.media.UnsupportedMediaTypeException;
import io.wagate.security.MasterKeyException;
import io.wagate.outbox.FieldViolation;
import io.wagate.outbox.InvalidRequestException;
import io.wagate.events.GroupNotFoundException;
import io.wagate.outbox.MessageNotFoundException;
import io.wagate.outbox.QueueFullException;
import io.wagate.outbox.WrongStateException;
import io.wagate.policy.PolicyException;
import io.wagate.store.StoreClosedException;
import io.wagate.store.StoreFullException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become gRPC status. Descriptions are written for the caller; an
 * unexpected exception is logged here with its cause and reaches the caller only as INTERNAL with
 * no internals.
 */
public final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    /** The {@code ErrorInfo.domain} of policy refusals. */
    public static final String POLICY_DOMAIN = "policy.wagate.io";

    private ErrorMapper() {
    }

    public static StatusRuntimeException toStatus(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof StatusRuntimeException) {
            return (StatusRuntimeException) e;
        }
        if (e instanceof InvalidRequestException) {
            return invalidArgument((InvalidRequestException) e);
        }
        if (e instanceof MessageNotFoundException || e instanceof GroupNotFoundException) {
            return Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof WrongStateException) {
            return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof QueueFullException || e instanceof StoreFullException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof StoreClosedException) {
            return Status.UNAVAILABLE.withDescription("Wagate is shutting down; retry against it later")
                    .asRuntimeException();
        }
        if (e instanceof UnsupportedMediaTypeException || e instanceof MediaTypeMismatchException
                || e instanceof MediaTooLargeException || e instanceof SizeMismatchException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof MediaNotFoundException) {
            return Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof MediaQuotaExceededException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof MediaCorruptException) {
            log.error("stored media failed its integrity check: {}", e.getMessage());
            return Status.DATA_LOSS.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof MediaStoreClosedException) {
            return Status.UNAVAILABLE.withDescription("Wagate is shutting down; retry against it later")
                    .asRuntimeException();
        }
        if (e instanceof MediaNotReadyException) {
            return Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof MediaUnavailableException) {
            return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof MasterKeyException) {
            return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof PolicyException) {
            return refused((PolicyException) e);
        }
        if (e instanceof ConfigException) {
            return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
        }
        log.error("unexpected error answering a call", e);
        return Status.INTERNAL.withDescription("internal error; see the Wagate log").asRuntimeException();
    }

    /** The code and message of a failure, for per-item errors in streams. */
    public static io.wagate.api.v1.Error toError(Throwable t) {
        StatusRuntimeException s = toStatus(t);
        io.wagate.api.v1.Error.Builder b = io.wagate.api.v1.Error.newBuilder()
                .setGrpcCode(s.getStatus().getCode().value())
                .setMessage(s.getStatus().getDescription() == null ? "" : s.getStatus().getDescription());
        Throwable e = unwrap(t);
        if (e instanceof InvalidRequestException) {
            for (FieldViolation v : ((InvalidRequestException) e).violations()) {
                b.addFieldViolations(io.wagate.api.v1.FieldViolation.newBuilder()
                        .setField(v.field()).setDescription(v.description()));
            }
        }
        return b.build();
    }

    /**
     * A policy refusal: its kind picks the code; an {@code ErrorInfo} carries the reason (such as
     * WINDOW_CLOSED) and, in {@code meta_code}, the error Meta would have given.
     */
    private static StatusRuntimeException refused(PolicyException e) {
        Code code = switch (e.kind()) {
            case INVALID -> Code.INVALID_ARGUMENT;
            case PRECONDITION -> Code.FAILED_PRECONDITION;
            case EXHAUSTED -> Code.RESOURCE_EXHAUSTED;
            case DENIED -> Code.PERMISSION_DENIED;
        };
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(e.reason()).setDomain(POLICY_DOMAIN);
        if (e.metaCode() != 0) {
            info.putMetadata("meta_code", Integer.toString(e.metaCode()));
        }
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(e.getMessage())
                .addDetails(Any.pack(info.build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    private static StatusRuntimeException invalidArgument(InvalidRequestException e) {
        BadRequest.Builder bad = BadRequest.newBuilder();
        for (FieldViolation v : e.violations()) {
            bad.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                    .setField(v.field()).setDescription(v.description()));
        }
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(e.getMessage())
                .addDetails(Any.pack(bad.build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
