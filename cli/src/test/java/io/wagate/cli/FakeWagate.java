package io.wagate.cli;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.AdminGrpc;
import io.wagate.api.v1.CancelMessageRequest;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.ListMessagesRequest;
import io.wagate.api.v1.ListMessagesResponse;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.NumberStatus;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendResponse;
import io.wagate.api.v1.SendStreamResponse;
import io.wagate.api.v1.State;
import io.wagate.cli.connection.ChannelFactory;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal in-process Wagate for CLI tests: Messages and Admin over in-memory maps, plus health.
 * It checks only what the tests need ({@code to} must start with '+'), and answers with the same
 * status codes and details the real server uses. Not a substitute for end-to-end tests.
 */
final class FakeWagate implements AutoCloseable {

  static final Timestamp STARTED = Timestamp.newBuilder().setSeconds(1_740_830_400L).build(); // 2025-03-01T12:00Z

  final List<SendRequest> received = new CopyOnWriteArrayList<>();
  final Map<String, Message> messages = new ConcurrentHashMap<>();
  final HealthStatusManager health = new HealthStatusManager();
  private final Map<String, String> byIdempotencyKey = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Server server;
  private final String inProcessName;

  FakeWagate() throws IOException {
    this(InProcessServerBuilder.generateName());
  }

  private FakeWagate(String inProcessName) throws IOException {
    this(InProcessServerBuilder.forName(inProcessName).directExecutor(), inProcessName);
  }

  /** Serves on a real socket, for tests of the production channel factory. */
  FakeWagate(ServerBuilder<?> builder) throws IOException {
    this(builder, null);
  }

  private FakeWagate(ServerBuilder<?> builder, String inProcessName) throws IOException {
    this.inProcessName = inProcessName;
    server =
        builder
            .addService(new Messages())
            .addService(new Admin())
            .addService(health.getHealthService())
            .build()
            .start();
  }

  /** The target string for {@code --target}. */
  String target() {
    if (inProcessName != null) {
      return "in-process:" + inProcessName;
    }
    return "127.0.0.1:" + server.getPort();
  }

  /** A channel factory for in-process targets, as tests supply to Wagatectl. */
  static ChannelFactory channels() {
    return settings -> {
      if (!settings.target().isInProcess()) {
        throw new IllegalArgumentException("tests only use in-process targets, got " + settings.target());
      }
      ManagedChannel channel = InProcessChannelBuilder.forName(settings.target().inProcessName()).build();
      return channel;
    };
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private SendResponse accept(SendRequest r) {
    if (!r.getTo().startsWith("+")) {
      throw StatusProto.toStatusRuntimeException(
          com.google.rpc.Status.newBuilder()
              .setCode(Code.INVALID_ARGUMENT_VALUE)
              .setMessage("invalid SendRequest")
              .addDetails(
                  Any.pack(
                      BadRequest.newBuilder()
                          .addFieldViolations(
                              BadRequest.FieldViolation.newBuilder()
                                  .setField("to")
                                  .setDescription("must be E.164 (+16505551234), got \"" + r.getTo() + "\""))
                          .build()))
              .build());
    }
    if (!r.getIdempotencyKey().isEmpty() && byIdempotencyKey.containsKey(r.getIdempotencyKey())) {
      Message first = messages.get(byIdempotencyKey.get(r.getIdempotencyKey()));
      return SendResponse.newBuilder().setId(first.getId()).setState(first.getState()).setDuplicate(true).build();
    }
    received.add(r);
    String id = "m" + ids.incrementAndGet();
    messages.put(
        id,
        Message.newBuilder()
            .setId(id)
            .setFrom("1000")
            .setFromAlias(r.getFrom())
            .setTo(r.getTo())
            .setState(State.ACCEPTED)
            .setRequest(r)
            .setAcceptedAt(STARTED)
            .build());
    if (!r.getIdempotencyKey().isEmpty()) {
      byIdempotencyKey.put(r.getIdempotencyKey(), id);
    }
    return SendResponse.newBuilder().setId(id).setState(State.ACCEPTED).build();
  }

  private final class Messages extends MessagesGrpc.MessagesImplBase {
    @Override
    public void send(SendRequest request, StreamObserver<SendResponse> response) {
      try {
        SendResponse r = accept(request);
        response.onNext(r);
        response.onCompleted();
      } catch (RuntimeException e) {
        response.onError(e);
      }
    }

    @Override
    public StreamObserver<SendRequest> sendStream(StreamObserver<SendStreamResponse> responses) {
      AtomicLong sequence = new AtomicLong();
      return new StreamObserver<>() {
        @Override
        public void onNext(SendRequest request) {
          SendStreamResponse.Builder b = SendStreamResponse.newBuilder().setSequence(sequence.getAndIncrement());
          try {
            b.setAccepted(accept(request));
          } catch (RuntimeException e) {
            Status s = Status.fromThrowable(e);
            b.setError(io.wagate.api.v1.Error.newBuilder().setGrpcCode(s.getCode().value()).setMessage(String.valueOf(s.getDescription())));
          }
          synchronized (responses) {
            responses.onNext(b.build());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          synchronized (responses) {
            responses.onCompleted();
          }
        }
      };
    }

    @Override
    public void get(GetMessageRequest request, StreamObserver<Message> response) {
      Message m = messages.get(request.getId());
      if (m == null) {
        response.onError(Status.NOT_FOUND.withDescription("no message " + request.getId()).asRuntimeException());
        return;
      }
      response.onNext(m);
      response.onCompleted();
    }

    @Override
    public void list(ListMessagesRequest request, StreamObserver<ListMessagesResponse> response) {
      ListMessagesResponse.Builder b = ListMessagesResponse.newBuilder();
      messages.values().stream()
          .filter(m -> request.getStatesList().isEmpty() || request.getStatesList().contains(m.getState()))
          .sorted((a, c) -> c.getId().compareTo(a.getId()))
          .limit(request.getPageSize())
          .forEach(b::addMessages);
      if (messages.size() > request.getPageSize()) {
        b.setNextPageToken("next");
      }
      response.onNext(b.build());
      response.onCompleted();
    }

    @Override
    public void cancel(CancelMessageRequest request, StreamObserver<Message> response) {
      Message m = messages.get(request.getId());
      if (m == null) {
        response.onError(Status.NOT_FOUND.withDescription("no message " + request.getId()).asRuntimeException());
        return;
      }
      if (m.getState() != State.ACCEPTED && m.getState() != State.CANCELLED) {
        response.onError(
            Status.FAILED_PRECONDITION.withDescription("message " + m.getId() + " is " + m.getState()).asRuntimeException());
        return;
      }
      Message cancelled = m.toBuilder().setState(State.CANCELLED).build();
      messages.put(m.getId(), cancelled);
      response.onNext(cancelled);
      response.onCompleted();
    }
  }

  private final class Admin extends AdminGrpc.AdminImplBase {
    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<io.wagate.api.v1.Status> response) {
      response.onNext(
          io.wagate.api.v1.Status.newBuilder()
              .setVersion("0.1.0-test")
              .setMode("sandbox")
              .setStartedAt(STARTED)
              .setDataDir("/var/lib/wagate")
              .setCloudApiBaseUrl("http://127.0.0.1:7480")
              .setPendingMessages(messages.size())
              .setInFlight(2)
              .addNumbers(NumberStatus.newBuilder().setAlias("support").setPhoneNumberId("1000").setPendingMessages(3))
              .build());
      response.onCompleted();
    }
  }
}
