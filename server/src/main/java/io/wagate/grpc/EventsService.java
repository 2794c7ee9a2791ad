package io.wagate.grpc;

import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.DeleteGroupRequest;
import io.wagate.api.v1.DeleteGroupResponse;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.Group;
import io.wagate.api.v1.ListGroupsRequest;
import io.wagate.api.v1.ListGroupsResponse;
import io.wagate.api.v1.ReadEventsRequest;
import io.wagate.api.v1.ReadEventsResponse;
import io.wagate.api.v1.RewindRequest;
import io.wagate.api.v1.SubscribeRequest;
import io.wagate.api.v1.SubscribeResponse;
import io.wagate.events.ConsumerGroups;
import io.wagate.events.EventFilters;
import io.wagate.events.EventLog;
import io.wagate.events.GroupClosedException;
import io.wagate.events.GroupMember;
import io.wagate.outbox.InvalidRequestException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code wagate.v1.Events} service: subscriptions through consumer groups, group admin, and
 * reads without a group. Thread-safe.
 *
 * <p>A joined subscription's stream is written only in its group's lane of {@link ConsumerGroups}
 * (events, heartbeats, rewinds, the end), one call at a time; gRPC's flow control ({@code
 * isReady}) decides whether a member can take more, so a slow reader holds nothing beyond its
 * group's bounded buffer.
 */
public final class EventsService extends EventsGrpc.EventsImplBase {
    static final int DEFAULT_READ_LIMIT = 100;
    static final int MAX_READ_LIMIT = 1_000;
    private static final int READ_SCAN_LIMIT = 100_000;

    private final ConsumerGroups groups;
    private final EventLog eventLog;

    public EventsService(ConsumerGroups groups, EventLog eventLog) {
        this.groups = groups;
        this.eventLog = eventLog;
    }

    /**
     * The service to register: as {@link #bindService()}, but subscriptions send events as the
     * bytes they were stored as (see {@link StoredEventMarshaller}).
     */
    public ServerServiceDefinition definition() {
        return StoredEventMarshaller.install(bindService(), eventLog);
    }

    @Override
    public StreamObserver<SubscribeRequest> subscribe(StreamObserver<SubscribeResponse> responses) {
        ServerCallStreamObserver<SubscribeResponse> call = (ServerCallStreamObserver<SubscribeResponse>) responses;
        return new SubscriberStream(call);
    }

    /** One Subscribe call: an open, then acks. */
    private final class SubscriberStream implements StreamObserver<SubscribeRequest>, GroupMember {
        private final ServerCallStreamObserver<SubscribeResponse> call;
        private volatile ConsumerGroups.Subscription subscription;
        private final AtomicBoolean done = new AtomicBoolean();

        SubscriberStream(ServerCallStreamObserver<SubscribeResponse> call) {
            this.call = call;
            call.setOnCancelHandler(this::leave);
            call.setOnReadyHandler(() -> {
                ConsumerGroups.Subscription s = subscription;
                if (s != null) {
                    s.ready();
                }
            });
        }

        @Override
        public void onNext(SubscribeRequest request) {
            try {
                if (request.hasOpen()) {
                    if (subscription != null) {
                        throw InvalidRequestException.of("open", "the stream is already open; send acks");
                    }
                    subscription = groups.join(request.getOpen(), this);
                } else if (request.hasAck()) {
                    if (subscription == null) {
                        throw InvalidRequestException.of("open", "the first request must open the subscription");
                    }
                    subscription.ack(request.getAck().getOffsetsList(), request.getAck().getNackOffsetsList());
                } else {
                    throw InvalidRequestException.of("request", "must be open or ack");
                }
            } catch (RuntimeException e) {
                fail(ErrorMapper.toStatus(e));
            }
        }

        @Override
        public void onError(Throwable t) {
            leave();
        }

        @Override
        public void onCompleted() {
            ConsumerGroups.Subscription s = subscription;
            leave();
            if (s != null) {
                s.inLane(() -> end(null));
            } else {
                end(null); // never joined, or the group ended it already: nobody else writes
            }
        }

        private void leave() {
            ConsumerGroups.Subscription s = subscription;
            if (s != null) {
                subscription = null;
                s.leave();
            }
        }

        private void fail(io.grpc.StatusRuntimeException e) {
            ConsumerGroups.Subscription s = subscription;
            leave();
            if (s != null) {
                s.inLane(() -> end(e));
            } else {
                end(e); // never joined: no other thread writes to this stream
            }
        }

        /** Ends the call once; runs in the group's lane, or when no group writes to the stream. */
        private void end(io.grpc.StatusRuntimeException e) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (e == null) {
                call.onCompleted();
            } else {
                call.onError(e);
            }
        }

        @Override
        public boolean isReady() {
            return !done.get() && call.isReady();
        }

        @Override
        public void send(Event event) {
            if (!done.get()) {
                call.onNext(SubscribeResponse.newBuilder().setEvent(event).build());
            }
        }

        @Override
        public void rewound(long offset) {
            if (!done.get()) {
                call.onNext(SubscribeResponse.newBuilder()
                        .setRewound(SubscribeResponse.Rewound.newBuilder().setOffset(offset)).build());
            }
        }

        @Override
        public void heartbeat(long head) {
            if (!done.get() && call.isReady()) {
                call.onNext(SubscribeResponse.newBuilder()
                        .setHeartbeat(SubscribeResponse.Heartbeat.newBuilder().setHeadOffset(head)).build());
            }
        }

        @Override
        public void close(GroupClosedException reason) {
            subscription = null;
            Status status = reason.retryable() ? Status.UNAVAILABLE : Status.NOT_FOUND;
            end(status.withDescription(reason.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void listGroups(ListGroupsRequest request, StreamObserver<ListGroupsResponse> out) {
        try {
            out.onNext(ListGroupsResponse.newBuilder().addAllGroups(groups.list())
                    .setHeadOffset(eventLog.head()).setFirstOffset(eventLog.first()).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void rewind(RewindRequest request, StreamObserver<Group> out) {
        try {
            out.onNext(groups.rewind(request.getGroup(), request.getTo()));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void deleteGroup(DeleteGroupRequest request, StreamObserver<DeleteGroupResponse> out) {
        try {
            groups.delete(request.getGroup());
            out.onNext(DeleteGroupResponse.getDefaultInstance());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void read(ReadEventsRequest request, StreamObserver<ReadEventsResponse> out) {
        try {
            int limit = request.getLimit() == 0 ? DEFAULT_READ_LIMIT : request.getLimit();
            if (limit > MAX_READ_LIMIT) {
                throw InvalidRequestException.of("limit", "must be at most " + MAX_READ_LIMIT + ", was " + limit);
            }
            EventFilters.validate(request.getFilter(), "filter");
            long from = request.hasFrom() ? groups.resolve(request.getFrom(), "from") : eventLog.first();
            EventLog.Page page = eventLog.read(from, limit, READ_SCAN_LIMIT, EventFilters.matcher(request.getFilter()));
            out.onNext(ReadEventsResponse.newBuilder().addAllEvents(page.events())
                    .setNextOffset(page.nextOffset()).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }
}
