package io.wagate.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.wagate.TestAppliance;
import io.wagate.api.v1.CancelMessageRequest;
import io.wagate.api.v1.GetMessageRequest;
import io.wagate.api.v1.GetStatusRequest;
import io.wagate.api.v1.Interactive;
import io.wagate.api.v1.ListMessagesRequest;
import io.wagate.api.v1.ListMessagesResponse;
import io.wagate.api.v1.MarkReadRequest;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendResponse;
import io.wagate.api.v1.SendStreamResponse;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.ReceivedMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Messages service on the whole appliance: real RocksDB, real emulator over sockets, in-process gRPC. */
class MessagesServiceTest {
    @TempDir
    Path dir;
    private TestAppliance t;

    @BeforeEach
    void start() {
        t = TestAppliance.start(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private static SendRequest text(String to, String body) {
        return SendRequest.newBuilder().setFrom("support").setTo(to).setText(Text.newBuilder().setBody(body)).build();
    }

    private Message get(String id) {
        return t.messages().get(GetMessageRequest.newBuilder().setId(id).build());
    }

    private Message awaitState(String id, State state) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> get(id), m -> m.getState() == state);
    }

    private List<String> bodiesReceivedBy(String to) {
        return t.meta.received(TestAppliance.NUMBER_ID).stream()
                .filter(m -> to.equals(m.body().path("to").asText()))
                .map(m -> m.body().path("text").path("body").asText())
                .collect(Collectors.toList());
    }

    @Test
    void send_returnsAcceptedAtOnce_andReachesMeta() {
        SendResponse r = t.messages().send(text("+16505550001", "hi"));
        assertThat(r.getId()).hasSize(13);
        assertThat(r.getState()).isEqualTo(State.ACCEPTED);
        assertThat(r.getDuplicate()).isFalse();
        Message m = awaitState(r.getId(), State.SUBMITTED);
        assertThat(m.getWamid()).startsWith("wamid.");
        assertThat(m.getFrom()).isEqualTo(TestAppliance.NUMBER_ID);
        assertThat(m.getFromAlias()).isEqualTo("support");
        assertThat(m.hasSubmittedAt()).isTrue();
    }

    @Test
    void sameIdempotencyKey_fromHundredParallelCallers_makesOneMessage() throws Exception {
        SendRequest req = text("+16505550002", "once").toBuilder().setIdempotencyKey("order-1001").build();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SendResponse>> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return t.messages().send(req);
            }));
        }
        go.countDown();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        int duplicates = 0;
        for (Future<SendResponse> f : results) {
            SendResponse r = f.get(20, TimeUnit.SECONDS);
            ids.add(r.getId());
            duplicates += r.getDuplicate() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(ids).hasSize(1);
        assertThat(duplicates).isEqualTo(99);
        awaitState(ids.iterator().next(), State.SUBMITTED);
        Thread.sleep(200);
        assertThat(bodiesReceivedBy("+16505550002")).containsExactly("once");
        // later, after submission, the key still answers with the first message
        SendResponse again = t.messages().send(req);
        assertThat(again.getId()).isEqualTo(ids.iterator().next());
        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.getState()).isEqualTo(State.SUBMITTED);
    }

    @Test
    void conversation_staysInOrder_whileItsHeadIsRetried() {
        String to = "+16505550003";
        t.meta.faults().failNext(3, to, 131000, 500);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(t.messages().send(text(to, "m" + i)).getId());
        }
        // another conversation is not held up by this one's retries
        String other = t.messages().send(text("+16505550004", "other")).getId();
        awaitState(other, State.SUBMITTED);
        for (String id : ids) {
            awaitState(id, State.SUBMITTED);
        }
        assertThat(bodiesReceivedBy(to)).containsExactly("m0", "m1", "m2", "m3", "m4");
        Message head = get(ids.get(0));
        assertThat(head.getAttempts()).isEqualTo(4);
        assertThat(head.getLastError().getCode()).isEqualTo(131000);
        assertThat(head.getLastError().getRetryable()).isTrue();
        assertThat(get(ids.get(1)).getAttempts()).isEqualTo(1);
    }

    @Test
    void permanentMetaError_failsWithMetasError() {
        String to = "+16505550005";
        t.meta.faults().failNext(1, to, 131026, 400);
        String id = t.messages().send(text(to, "x")).getId();
        Message m = awaitState(id, State.FAILED);
        assertThat(m.getLastError().getCode()).isEqualTo(131026);
        assertThat(m.getLastError().getRetryable()).isFalse();
        assertThat(m.getLastError().getFbtraceId()).isNotEmpty();
        assertThat(m.getAttempts()).isEqualTo(1);
    }

    @Test
    void transientErrors_failAfterMaxAttempts() {
        String to = "+16505550006";
        t.meta.faults().failNext(50, to, 131016, 503);
        String id = t.messages().send(text(to, "x")).getId();
        Message m = awaitState(id, State.FAILED);
        assertThat(m.getAttempts()).isEqualTo(TestAppliance.fastRetries().maxAttempts());
        assertThat(m.getLastError().getCode()).isEqualTo(131016);
    }

    @Test
    void validityElapses_whileRetried_endsExpired() {
        String to = "+16505550007";
        t.meta.faults().failNext(1000, to, 130429, 400);
        String id = t.messages().send(text(to, "late").toBuilder()
                .setValidity(Durations.fromMillis(700)).build()).getId();
        String behind = t.messages().send(text(to, "behind").toBuilder()
                .setValidity(Durations.fromMillis(700)).build()).getId();
        Message m = awaitState(id, State.EXPIRED);
        assertThat(m.getLastError().getCode()).isEqualTo(130429);
        awaitState(behind, State.EXPIRED);
        assertThat(bodiesReceivedBy(to)).isEmpty();
        // each end is an event, stored with the state
        java.util.List<io.wagate.api.v1.Event> ends = t.events().read(io.wagate.api.v1.ReadEventsRequest.newBuilder()
                .setFilter(io.wagate.api.v1.EventFilter.newBuilder()
                        .addKinds(io.wagate.api.v1.EventKind.OUTBOUND_ENDED)).build()).getEventsList();
        assertThat(ends).extracting(e -> e.getOutboundEnded().getMessageId()).containsExactly(id, behind);
        assertThat(ends).allMatch(e -> e.getOutboundEnded().getState() == State.EXPIRED
                && e.getId().endsWith(":expired") && e.getUser().equals("16505550007"));
    }

    @Test
    void cancel_beforeSubmission_stopsIt_andAfterIsRefused() {
        String to = "+16505550008";
        t.meta.faults().failNext(1000, to, 131000, 500);
        String head = t.messages().send(text(to, "head")).getId();
        String queued = t.messages().send(text(to, "queued")).getId();
        Message cancelled = t.messages().cancel(CancelMessageRequest.newBuilder().setId(queued).build());
        assertThat(cancelled.getState()).isEqualTo(State.CANCELLED);
        // cancelling again is a no-op
        assertThat(t.messages().cancel(CancelMessageRequest.newBuilder().setId(queued).build()).getState())
                .isEqualTo(State.CANCELLED);
        t.meta.faults().clear();
        awaitState(head, State.SUBMITTED);
        assertThat(bodiesReceivedBy(to)).containsExactly("head");
        assertThat(get(queued).getState()).isEqualTo(State.CANCELLED);
        assertThatThrownBy(() -> t.messages().cancel(CancelMessageRequest.newBuilder().setId(head).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("SUBMITTED");
                });
    }

    @Test
    void unknownIds_areNotFound() {
        for (String id : List.of("0000000000000", "not-an-id")) {
            assertThatThrownBy(() -> get(id)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            assertThatThrownBy(() -> t.messages().cancel(CancelMessageRequest.newBuilder().setId(id).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
    }

    @Test
    void badRequests_getOneFieldViolationPerProblem_andStoreNothing() {
        SendRequest bad = SendRequest.newBuilder()
                .setFrom("nobody")
                .setTo("12345")
                .setValidity(Durations.fromDays(31))
                .setInteractive(Interactive.newBuilder().setBody("x")
                        .setButtons(Interactive.Buttons.newBuilder()
                                .addButtons(Interactive.ReplyButton.newBuilder().setId("1").setTitle("a"))
                                .addButtons(Interactive.ReplyButton.newBuilder().setId("2").setTitle("b"))
                                .addButtons(Interactive.ReplyButton.newBuilder().setId("3").setTitle("c"))
                                .addButtons(Interactive.ReplyButton.newBuilder().setId("4")
                                        .setTitle("a title far longer than twenty"))))
                .build();
        StatusRuntimeException e = catchStatus(bad);
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        List<String> fields = violations(e).stream().map(BadRequest.FieldViolation::getField).collect(Collectors.toList());
        assertThat(fields).contains("from", "to", "validity", "interactive.buttons.buttons",
                "interactive.buttons.buttons[3].title");

        assertThat(violations(catchStatus(text("+16505550009", "x".repeat(4097)))))
                .extracting(BadRequest.FieldViolation::getField).containsExactly("text.body");
        assertThat(violations(catchStatus(SendRequest.newBuilder().setFrom("support").setTo("+16505550009")
                .setImage(Media.newBuilder().setLink("https://e.com/a.png").setCaption("c".repeat(1025))).build())))
                .extracting(BadRequest.FieldViolation::getField).containsExactly("image.caption");
        assertThat(violations(catchStatus(SendRequest.newBuilder().setFrom("support").setTo("+16505550009").build())))
                .extracting(BadRequest.FieldViolation::getField).containsExactly("content");
        Interactive.List.Builder eleven = Interactive.List.newBuilder().setButton("Pick");
        for (int s = 0; s < 2; s++) {
            Interactive.Section.Builder section = Interactive.Section.newBuilder().setTitle("S" + s);
            for (int i = 0; i < 6; i++) {
                section.addRows(Interactive.Row.newBuilder().setId(s + "-" + i).setTitle("row"));
            }
            eleven.addSections(section);
        }
        assertThat(violations(catchStatus(SendRequest.newBuilder().setFrom("support").setTo("US.13491208655302741918")
                .setInteractive(Interactive.newBuilder().setBody("b").setList(eleven)).build())))
                .extracting(BadRequest.FieldViolation::getField).containsExactly("interactive.list.sections");

        ListMessagesResponse all = t.messages().list(ListMessagesRequest.getDefaultInstance());
        assertThat(all.getMessagesList()).isEmpty();
        assertThat(t.meta.receivedCount()).isZero();
    }

    @Test
    void list_filtersByStateRecipientAndNumber_andPages() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(t.messages().send(text("+1650555100" + (i % 2), "n" + i)).getId());
        }
        t.messages().send(text("+16505551009", "from sales").toBuilder().setFrom("sales").build());
        for (String id : ids) {
            awaitState(id, State.SUBMITTED);
        }
        ListMessagesResponse byTo = t.messages().list(ListMessagesRequest.newBuilder().setTo("+16505551000").build());
        assertThat(byTo.getMessagesList()).extracting(Message::getId)
                .containsExactly(ids.get(6), ids.get(4), ids.get(2), ids.get(0));
        ListMessagesResponse page1 = t.messages().list(ListMessagesRequest.newBuilder().setFrom("support")
                .addStates(State.SUBMITTED).setPageSize(4).build());
        assertThat(page1.getMessagesList()).extracting(Message::getId)
                .containsExactly(ids.get(6), ids.get(5), ids.get(4), ids.get(3));
        ListMessagesResponse page2 = t.messages().list(ListMessagesRequest.newBuilder().setFrom("support")
                .addStates(State.SUBMITTED).setPageSize(4).setPageToken(page1.getNextPageToken()).build());
        assertThat(page2.getMessagesList()).extracting(Message::getId)
                .containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(page2.getNextPageToken()).isEmpty();
        assertThat(t.messages().list(ListMessagesRequest.newBuilder().setFrom("sales").build()).getMessagesCount())
                .isEqualTo(1);
        assertThat(t.messages().list(ListMessagesRequest.newBuilder().addStates(State.FAILED).build()).getMessagesCount())
                .isZero();
    }

    @Test
    void sendStream_answersEachRequestInOrder_errorsIncluded() throws Exception {
        List<SendStreamResponse> responses = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<SendRequest> requests = t.messagesAsync().sendStream(new StreamObserver<>() {
            @Override
            public void onNext(SendStreamResponse r) {
                synchronized (responses) {
                    responses.add(r);
                }
            }

            @Override
            public void onError(Throwable e) {
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        for (int i = 0; i < 1000; i++) {
            requests.onNext(i == 500 ? text("bad", "x") : text("+1650557" + String.format("%04d", i % 50), "s" + i));
        }
        requests.onCompleted();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(responses).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            SendStreamResponse r = responses.get(i);
            assertThat(r.getSequence()).isEqualTo(i);
            if (i == 500) {
                assertThat(r.getError().getGrpcCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
                assertThat(r.getError().getFieldViolationsList()).extracting(f -> f.getField()).containsExactly("to");
            } else {
                assertThat(r.getAccepted().getState()).isEqualTo(State.ACCEPTED);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> t.meta.receivedCount() == 999);
        // per conversation in order
        for (int c = 0; c < 50; c++) {
            String to = "+1650557" + String.format("%04d", c);
            List<Integer> seq = bodiesReceivedBy(to).stream().map(b -> Integer.parseInt(b.substring(1)))
                    .collect(Collectors.toList());
            assertThat(seq).isSorted();
        }
    }

    @Test
    void markRead_reachesMeta_andBadIdsAreInvalid() {
        t.messages().markRead(MarkReadRequest.newBuilder().setFrom("support")
                .setMessageId("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTdBQjRBRjQ5Q0Y0QzA3M0JGMgA=").setTypingIndicator(true).build());
        List<ReceivedMessage> read = t.meta.markedRead();
        assertThat(read).hasSize(1);
        assertThat(read.get(0).body().path("status").asText()).isEqualTo("read");
        assertThat(read.get(0).body().path("typing_indicator").path("type").asText()).isEqualTo("text");
        assertThatThrownBy(() -> t.messages().markRead(MarkReadRequest.newBuilder().setFrom("nobody")
                .setMessageId("wamid.X").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void status_reportsNumbersAndPending() {
        t.meta.faults().failNext(1000, "+16505550011", 131000, 500);
        t.messages().send(text("+16505550011", "stuck"));
        io.wagate.api.v1.Status s = t.admin().getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(s.getMode()).isEqualTo("sandbox");
        assertThat(s.getNumbersList()).extracting(n -> n.getAlias()).containsExactly("support", "sales");
        assertThat(s.getPendingMessages()).isEqualTo(1);
        assertThat(s.getNumbers(0).getPendingMessages()).isEqualTo(1);
    }

    private StatusRuntimeException catchStatus(SendRequest r) {
        try {
            t.messages().send(r);
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the send to fail");
    }

    private static List<BadRequest.FieldViolation> violations(StatusRuntimeException e) {
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        assertThat(s).isNotNull();
        return s.getDetailsList().stream().filter(a -> a.is(BadRequest.class)).map(a -> {
            try {
                return a.unpack(BadRequest.class);
            } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
            }
        }).flatMap(b -> b.getFieldViolationsList().stream()).collect(Collectors.toList());
    }
}
