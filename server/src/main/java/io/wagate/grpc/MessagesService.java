package io.wagate.grpc;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.CancelMessageRequest;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.ListMessagesRequest;
import io.wagate.api.v1.ListMessagesResponse;
import io.wagate.api.v1.MarkReadRequest;
import io.wagate.api.v1.MarkReadResponse;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendResponse;
import io.wagate.api.v1.SendStreamResponse;
import io.wagate.cloudapi.CloudApiClient;
import io.wagate.cloudapi.MessagePayloadMapper;
import io.wagate.cloudapi.SendResult;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.outbox.InvalidRequestException;
import io.wagate.outbox.Outbox;
import io.wagate.outbox.SendRequestValidator;
import io.wagate.media.OutboundMedia;
import io.wagate.policy.SendContext;
import io.wagate.policy.SendPolicy;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code wagate.v1.Messages} service: validates, hands to the {@link Outbox}, answers.
 *
 * <p>Threading: unary handlers run on the gRPC executor and answer from whichever thread completes
 * the durable write. {@code SendStream} keeps at most {@link #STREAM_WINDOW} requests of one
 * stream in progress and asks for more only while the client reads its responses, so a client
 * that stops reading cannot grow server memory.
 */
public final class MessagesService extends MessagesGrpc.MessagesImplBase {
    static final int STREAM_WINDOW = 256;

    private final ApplianceConfig config;
    private final Outbox outbox;
    private final SendRequestValidator validator;
    private final CloudApiClient cloudApi;
    private final MessagePayloadMapper mapper = new MessagePayloadMapper();
    private final Map<String, String> tokens;
    private final OutboundMedia media;
    private final SendPolicy policy;

    /**
     * @param tokens access token per phone-number id
     * @param media  checks stored media ids in sends; null when there is no media store
     * @param policy WhatsApp's rules, checked after validation and before queueing
     */
    public MessagesService(ApplianceConfig config, Outbox outbox, CloudApiClient cloudApi, Map<String, String> tokens,
                           OutboundMedia media, SendPolicy policy) {
        this.media = media;
        this.policy = policy;
        this.config = config;
        this.outbox = outbox;
        this.validator = new SendRequestValidator(config);
        this.cloudApi = cloudApi;
        this.tokens = Map.copyOf(tokens);
    }

    @Override
    public void send(SendRequest request, StreamObserver<SendResponse> out) {
        CompletableFuture<SendResponse> f;
        try {
            f = accept(request);
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
            return;
        }
        f.whenComplete((r, err) -> {
            if (err != null) {
                out.onError(ErrorMapper.toStatus(err));
            } else {
                out.onNext(r);
                out.onCompleted();
            }
        });
    }

    private CompletableFuture<SendResponse> accept(SendRequest request) {
        String client = ClientIdentity.current(); // declared, not authenticated, until step 6
        SendRequestValidator.Validated v = validator.validate(request);
        String templateCategory = "";
        if (!policy.isEmpty()) {
            SendContext checked;
            try {
                checked = policy.check(new SendContext(request, v.number(), client, System.currentTimeMillis()));
            } catch (io.wagate.policy.PolicyException refused) {
                // a repeat of an accepted send answers as the first did, though the rules say no now
                java.util.Optional<SendResponse> first = outbox.duplicateOf(request.getIdempotencyKey(), client);
                if (first.isPresent()) {
                    return CompletableFuture.completedFuture(first.get());
                }
                throw refused;
            }
            if (checked.request() != request) {
                v = validator.validate(checked.request()); // a fallback template replaced the message
            }
            templateCategory = checked.template().map(t -> t.category().name()).orElse("");
        }
        SendRequest queued = v.request();
        if (OutboundMedia.refersToStored(queued)) {
            if (media == null) {
                throw InvalidRequestException.of("stored_media_id", "this appliance has no media store");
            }
            media.check(queued);
        }
        return outbox.accept(v, client, templateCategory);
    }

    @Override
    public StreamObserver<SendRequest> sendStream(StreamObserver<SendStreamResponse> responses) {
        ServerCallStreamObserver<SendStreamResponse> call = (ServerCallStreamObserver<SendStreamResponse>) responses;
        call.disableAutoRequest();
        StreamState state = new StreamState(call);
        call.setOnCancelHandler(() -> state.cancelled = true);
        call.setOnReadyHandler(state::onReady);
        call.request(STREAM_WINDOW);
        return new StreamObserver<>() {
            private long sequence;
            private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

            @Override
            public void onNext(SendRequest request) {
                long seq = sequence++;
                CompletableFuture<SendStreamResponse> result;
                try {
                    result = accept(request).handle((r, err) -> response(seq, r, err));
                } catch (RuntimeException e) {
                    result = CompletableFuture.completedFuture(response(seq, null, e));
                }
                // responses leave in request order: each waits for the one before it
                tail = tail.thenCombine(result, (ignored, r) -> {
                    state.emit(r);
                    return null;
                });
            }

            @Override
            public void onError(Throwable t) {
                state.cancelled = true;
            }

            @Override
            public void onCompleted() {
                tail.whenComplete((ok, err) -> {
                    if (!state.cancelled) {
                        call.onCompleted();
                    }
                });
            }
        };
    }

    private static SendStreamResponse response(long seq, SendResponse accepted, Throwable err) {
        SendStreamResponse.Builder b = SendStreamResponse.newBuilder().setSequence(seq);
        return err == null ? b.setAccepted(accepted).build() : b.setError(ErrorMapper.toError(err)).build();
    }

    /** Flow control of one SendStream: a request is asked for only when a response could be written. */
    private static final class StreamState {
        private final ServerCallStreamObserver<SendStreamResponse> call;
        private int owed;
        volatile boolean cancelled;

        StreamState(ServerCallStreamObserver<SendStreamResponse> call) {
            this.call = call;
        }

        synchronized void emit(SendStreamResponse r) {
            if (cancelled) {
                return;
            }
            call.onNext(r);
            if (call.isReady()) {
                call.request(1);
            } else {
                owed++;
            }
        }

        synchronized void onReady() {
            if (owed > 0 && !cancelled) {
                call.request(owed);
                owed = 0;
            }
        }
    }

    @Override
    public void get(GetMessageRequest request, StreamObserver<Message> out) {
        try {
            out.onNext(outbox.get(request.getId()));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void list(ListMessagesRequest request, StreamObserver<ListMessagesResponse> out) {
        try {
            String from = null;
            if (!request.getFrom().isEmpty()) {
                from = config.findNumber(request.getFrom()).map(NumberConfig::phoneNumberId)
                        .orElseThrow(() -> InvalidRequestException.of("from",
                                "unknown number '" + request.getFrom() + "'"));
            }
            if (request.getPageSize() < 0) {
                throw InvalidRequestException.of("page_size", "must be >= 0");
            }
            out.onNext(outbox.list(request, from));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void cancel(CancelMessageRequest request, StreamObserver<Message> out) {
        try {
            outbox.cancel(request.getId()).whenComplete((m, err) -> {
                if (err != null) {
                    out.onError(ErrorMapper.toStatus(err));
                } else {
                    out.onNext(m);
                    out.onCompleted();
                }
            });
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void markRead(MarkReadRequest request, StreamObserver<MarkReadResponse> out) {
        NumberConfig number = config.findNumber(request.getFrom()).orElse(null);
        if (number == null || request.getMessageId().isEmpty() || request.getMessageId().length() > 128) {
            out.onError(ErrorMapper.toStatus(number == null
                    ? InvalidRequestException.of("from", "unknown number '" + request.getFrom() + "'")
                    : InvalidRequestException.of("message_id", "is required: the wamid of the inbound message")));
            return;
        }
        cloudApi.markRead(number.phoneNumberId(), tokens.get(number.phoneNumberId()),
                        mapper.markRead(request.getMessageId(), request.getTypingIndicator()))
                .whenComplete((result, err) -> {
                    if (err != null) {
                        out.onError(ErrorMapper.toStatus(err));
                    } else if (result instanceof SendResult.MetaError) {
                        out.onError(metaError((SendResult.MetaError) result));
                    } else if (result instanceof SendResult.TransportFailure) {
                        out.onError(Status.UNAVAILABLE.withDescription("Meta could not be reached: "
                                + ((SendResult.TransportFailure) result).description()).asRuntimeException());
                    } else {
                        out.onNext(MarkReadResponse.getDefaultInstance());
                        out.onCompleted();
                    }
                });
    }

    /** Meta refused a synchronous call: FAILED_PRECONDITION with Meta's code in an ErrorInfo. */
    private static io.grpc.StatusRuntimeException metaError(SendResult.MetaError e) {
        ErrorInfo info = ErrorInfo.newBuilder()
                .setReason("META_" + e.code())
                .setDomain("graph.facebook.com")
                .putMetadata("code", String.valueOf(e.code()))
                .putMetadata("title", e.title() == null ? "" : e.title())
                .putMetadata("details", e.details() == null ? "" : e.details())
                .putMetadata("fbtrace_id", e.fbtraceId() == null ? "" : e.fbtraceId())
                .putMetadata("retryable", String.valueOf(e.retryClass().retryable()))
                .build();
        int code = e.code() == 131009 || e.code() == 100 ? Code.INVALID_ARGUMENT_VALUE : Code.FAILED_PRECONDITION_VALUE;
        return io.grpc.protobuf.StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code)
                .setMessage("Meta refused: (#" + e.code() + ") " + e.title()
                        + (e.details() == null ? "" : ": " + e.details()))
                .addDetails(Any.pack(info))
                .build());
    }
}
