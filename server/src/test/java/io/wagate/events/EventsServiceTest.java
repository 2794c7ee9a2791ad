package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.wagate.TestAppliance;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.Group;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.InboundText;
import io.wagate.api.v1.ReadEventsRequest;
import io.wagate.api.v1.RewindRequest;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.StartPosition;
import io.wagate.api.v1.State;
import io.wagate.api.v1.SubscribeRequest;
import io.wagate.api.v1.Text;
import io.wagate.api.v1.CancelMessageRequest;
import io.wagate.api.v1.DeleteGroupRequest;
import io.wagate.api.v1.ListGroupsRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Events service end to end: a real appliance, real RocksDB, in-process gRPC. */
class EventsServiceTest {
    @TempDir
    Path dir;
    private TestAppliance t;
    private final List<TestSubscriber> subscribers = new ArrayList<>();

    @BeforeEach
    void start() {
        t = TestAppliance.start(dir);
    }

    @AfterEach
    void stop() {
        subscribers.forEach(TestSubscriber::close);
        t.close();
    }

    private TestSubscriber subscribe(SubscribeRequest.Open.Builder open, boolean autoAck) {
        TestSubscriber s = TestSubscriber.open(t.eventsAsync(), open.build(), autoAck);
        subscribers.add(s);
        return s;
    }

    /** Inbound text events, {@code perUser} for each of {@code users} users, interleaved. */
    private List<Event> inbound(int users, int perUser, String tag) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < perUser; i++) {
            for (int u = 0; u < users; u++) {
                String user = "1555000" + String.format("%04d", u);
                out.add(Event.newBuilder().setId("in:" + tag + ":" + u + ":" + i).setKind(EventKind.INBOUND_MESSAGE)
                        .setNumber("support").setPhoneNumberId(TestAppliance.NUMBER_ID).setUser(user)
                        .setInbound(InboundMessage.newBuilder().setType("text").setFrom(user)
                                .setText(InboundText.newBuilder().setBody(tag + " " + i)))
                        .build());
            }
        }
        return out;
    }

    private void store(List<Event> events) {
        t.appliance.eventLog().append(events).join();
    }

    @Test
    void aSubscriberGetsEveryEventInOrderPerConversation_andItsAcksCommitTheGroup() throws Exception {
        store(inbound(5, 40, "a"));
        TestSubscriber s = subscribe(TestSubscriber.group("crm"), true);
        List<Event> got = s.take(200, Duration.ofSeconds(10));
        assertInOrderPerConversation(got);
        assertThat(got.stream().map(Event::getId).distinct()).hasSize(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(group("crm").getCommittedOffset()).isEqualTo(t.appliance.eventLog().head() + 1));
        assertThat(group("crm").getLag()).isZero();
        // live events keep coming
        store(inbound(2, 3, "b"));
        assertThat(s.take(6, Duration.ofSeconds(5))).extracting(Event::getId).allMatch(id -> id.startsWith("in:b:"));
    }

    @Test
    void aRedeliveredWebhookIsStoredOnce_evenWhenTheCopiesRace() throws Exception {
        List<Event> batch = inbound(3, 10, "dup");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread th = new Thread(() -> store(batch));
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        EventSink.AppendResult again = t.appliance.eventLog().append(batch).join();
        assertThat(again).isEqualTo(new EventSink.AppendResult(0, 30));
        List<Event> all = t.events().read(ReadEventsRequest.newBuilder().setLimit(1000).build()).getEventsList();
        assertThat(all).hasSize(30);
        assertThat(all.stream().map(Event::getOffset).collect(Collectors.toSet())).hasSize(30);
    }

    @Test
    void twoGroupsEachSeeEverything_twoMembersOfAGroupShareIt() throws Exception {
        TestSubscriber a1 = subscribe(TestSubscriber.group("a").setMaxInFlight(5), true);
        TestSubscriber a2 = subscribe(TestSubscriber.group("a").setMaxInFlight(5), true);
        TestSubscriber b = subscribe(TestSubscriber.group("b"), true);
        store(inbound(20, 10, "x"));
        List<Event> bs = b.take(200, Duration.ofSeconds(10));
        assertThat(bs).extracting(Event::getId).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(10)).until(() -> a1.events.size() + a2.events.size() >= 200);
        assertThat(a1.events).isNotEmpty();
        assertThat(a2.events).isNotEmpty();
        Set<String> union = new HashSet<>();
        a1.events.forEach(e -> union.add(e.getId()));
        a2.events.forEach(e -> union.add(e.getId()));
        assertThat(union).hasSize(200);
        List<Event> merged = new ArrayList<>(a1.events);
        merged.addAll(a2.events);
        merged.sort((x, y) -> Long.compare(x.getOffset(), y.getOffset()));
        assertInOrderPerConversation(merged);
        assertThat(group("a").getMembersList()).hasSize(2);
    }

    @Test
    void anEventNotAckedWithinTheDeadlineComesAgain_andANackBringsItBackAtOnce() throws Exception {
        store(inbound(1, 2, "r"));
        TestSubscriber s = subscribe(TestSubscriber.group("slow").setAckDeadline(Durations.fromSeconds(1)), false);
        List<Event> first = s.take(2, Duration.ofSeconds(5));
        // not acked: after the deadline both come again, in order
        List<Event> again = s.take(2, Duration.ofSeconds(5));
        assertThat(again).extracting(Event::getOffset).containsExactlyElementsOf(
                first.stream().map(Event::getOffset).toList());
        assertThat(group("slow").getRedelivered()).isGreaterThanOrEqualTo(2);
        s.nack(again.get(0).getOffset());
        List<Event> afterNack = s.take(2, Duration.ofMillis(900)); // before the deadline
        assertThat(afterNack.get(0).getOffset()).isEqualTo(first.get(0).getOffset());
        s.ack(first.get(0).getOffset(), first.get(1).getOffset());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(group("slow").getLag()).isZero());
    }

    @Test
    void aSubscriberThatWasAwayResumesWithoutAGap_evenAcrossARestart() throws Exception {
        store(inbound(4, 25, "before"));
        TestSubscriber s = subscribe(TestSubscriber.group("away"), false);
        List<Event> got = s.take(100, Duration.ofSeconds(10));
        long[] firstHalf = got.stream().limit(50).mapToLong(Event::getOffset).toArray();
        s.ack(firstHalf);
        await().atMost(Duration.ofSeconds(5)).until(() -> group("away").getInFlight() == 50);
        s.close();
        subscribers.remove(s);
        // events go on while it is away, and the appliance restarts
        store(inbound(4, 250, "while-away"));
        t.closeAppliance();
        t.open();
        store(inbound(4, 25, "after-restart"));
        TestSubscriber back = subscribe(TestSubscriber.group("away"), true);
        long head = t.appliance.eventLog().head();
        Set<Long> seen = new HashSet<>();
        for (long o : firstHalf) {
            seen.add(o);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            back.events.forEach(e -> seen.add(e.getOffset()));
            return seen.size() >= head;
        });
        for (long o = 1; o <= head; o++) {
            assertThat(seen).as("offset %d", o).contains(o);
        }
        assertThat(back.events.stream().map(Event::getOffset).filter(o -> contains(firstHalf, o)).count())
                .as("acknowledged events do not come again").isZero();
    }

    @Test
    void startPositions_latestEarliestOffsetAndTime() throws Exception {
        store(inbound(1, 5, "old"));
        long cut = System.currentTimeMillis() + 5;
        Thread.sleep(20);
        store(inbound(1, 3, "new"));
        TestSubscriber latest = subscribe(TestSubscriber.group("l").setStart(StartPosition.newBuilder().setLatest(true)), true);
        TestSubscriber earliest = subscribe(TestSubscriber.group("e"), true);
        TestSubscriber byOffset = subscribe(TestSubscriber.group("o").setStart(StartPosition.newBuilder().setOffset(4)), true);
        TestSubscriber byTime = subscribe(TestSubscriber.group("t")
                .setStart(StartPosition.newBuilder().setTime(Timestamps.fromMillis(cut))), true);
        assertThat(earliest.take(8, Duration.ofSeconds(5))).hasSize(8);
        assertThat(byOffset.take(5, Duration.ofSeconds(5)).get(0).getOffset()).isEqualTo(4);
        assertThat(byTime.take(3, Duration.ofSeconds(5))).extracting(Event::getId).allMatch(id -> id.startsWith("in:new"));
        store(inbound(1, 1, "live"));
        assertThat(latest.take(1, Duration.ofSeconds(5)).get(0).getId()).startsWith("in:live");
        assertThat(latest.events).isEmpty();
        assertThat(byTime.events.poll(200, TimeUnit.MILLISECONDS).getId()).startsWith("in:live");
    }

    @Test
    void filtersByNumberAndKind() throws Exception {
        store(inbound(2, 2, "f"));
        Event other = inbound(1, 1, "other").get(0).toBuilder().setId("in:other-number").setNumber("sales")
                .setPhoneNumberId(TestAppliance.OTHER_NUMBER_ID).build();
        store(List.of(other));
        TestSubscriber sales = subscribe(TestSubscriber.group("sales-only",
                EventFilter.newBuilder().addNumbers("sales").build()), true);
        TestSubscriber byId = subscribe(TestSubscriber.group("sales-by-id",
                EventFilter.newBuilder().addNumbers(TestAppliance.OTHER_NUMBER_ID).build()), true);
        TestSubscriber alerts = subscribe(TestSubscriber.group("alerts",
                EventFilter.newBuilder().addKinds(EventKind.ALERT).build()), true);
        assertThat(sales.take(1, Duration.ofSeconds(5)).get(0).getId()).isEqualTo("in:other-number");
        assertThat(byId.take(1, Duration.ofSeconds(5)).get(0).getId()).isEqualTo("in:other-number");
        assertThat(sales.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(alerts.events.poll(100, TimeUnit.MILLISECONDS)).isNull();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(group("alerts").getCommittedOffset()).isEqualTo(t.appliance.eventLog().head() + 1));
    }

    @Test
    void aSlowReaderNeverHasMoreThanItsWindowOut() throws Exception {
        store(inbound(50, 20, "w"));
        TestSubscriber s = subscribe(TestSubscriber.group("window").setMaxInFlight(10), false);
        List<Event> first = s.take(10, Duration.ofSeconds(5));
        assertThat(s.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(group("window").getInFlight()).isEqualTo(10);
        s.ack(first.get(0).getOffset());
        assertThat(s.take(1, Duration.ofSeconds(5))).hasSize(1);
        assertThat(s.events.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void rewindSendsTheGroupBack_andMembersAreTold() throws Exception {
        store(inbound(2, 5, "rw"));
        TestSubscriber s = subscribe(TestSubscriber.group("rw"), true);
        s.take(10, Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(group("rw").getLag()).isZero());
        Group g = t.events().rewind(RewindRequest.newBuilder().setGroup("rw")
                .setTo(StartPosition.newBuilder().setOffset(6)).build());
        assertThat(g.getCommittedOffset()).isEqualTo(6);
        assertThat(s.rewinds.poll(5, TimeUnit.SECONDS)).isEqualTo(6);
        assertThat(s.take(5, Duration.ofSeconds(5)).get(0).getOffset()).isEqualTo(6);
    }

    @Test
    void deletingAGroupEndsItsStreams() throws Exception {
        TestSubscriber s = subscribe(TestSubscriber.group("gone"), true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !group("gone").getMembersList().isEmpty());
        t.events().deleteGroup(DeleteGroupRequest.newBuilder().setGroup("gone").build());
        assertThat(s.ended.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(t.events().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList())
                .extracting(Group::getName).doesNotContain("gone");
    }

    @Test
    void badRequestsAreRefusedWithTheFieldNamed() throws Exception {
        TestSubscriber badName = subscribe(TestSubscriber.group("no spaces"), true);
        assertRefused(badName, Status.Code.INVALID_ARGUMENT, "open.group");
        TestSubscriber tooMany = subscribe(TestSubscriber.group("g").setMaxInFlight(100_000), true);
        assertRefused(tooMany, Status.Code.INVALID_ARGUMENT, "open.max_in_flight");
        TestSubscriber deadline = subscribe(TestSubscriber.group("g").setAckDeadline(Durations.fromMillis(10)), true);
        assertRefused(deadline, Status.Code.INVALID_ARGUMENT, "open.ack_deadline");
        TestSubscriber kind = subscribe(TestSubscriber.group("g").setFilter(EventFilter.newBuilder().addKindsValue(99)), true);
        assertRefused(kind, Status.Code.INVALID_ARGUMENT, "open.filter.kinds[0]");
        TestSubscriber ok = subscribe(TestSubscriber.group("g"), true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !group("g").getMembersList().isEmpty());
        TestSubscriber otherFilter = subscribe(TestSubscriber.group("g",
                EventFilter.newBuilder().addKinds(EventKind.STATUS).build()), true);
        assertRefused(otherFilter, Status.Code.FAILED_PRECONDITION, "other filters");
        assertThat(ok.ended).isNotDone();
        assertThatThrownBy(() -> t.events().rewind(RewindRequest.newBuilder().setGroup("nope").build()))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("NOT_FOUND").hasMessageContaining("nope");
        assertThatThrownBy(() -> t.events().read(ReadEventsRequest.newBuilder().setLimit(5000).build()))
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("limit");
    }

    @Test
    void aCancelledMessageIsAnOutboundEndedEvent() throws Exception {
        t.meta.startOutage();
        String id = t.messages().send(SendRequest.newBuilder().setFrom("support").setTo("+15550001234")
                .setText(Text.newBuilder().setBody("never mind")).build()).getId();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> // once the failed attempt is back
                t.messages().cancel(CancelMessageRequest.newBuilder().setId(id).build()).getState() == State.CANCELLED);
        TestSubscriber s = subscribe(TestSubscriber.group("ends", EventFilter.newBuilder()
                .addKinds(EventKind.OUTBOUND_ENDED).build()), true);
        Event e = s.take(1, Duration.ofSeconds(5)).get(0);
        assertThat(e.getOutboundEnded().getMessageId()).isEqualTo(id);
        assertThat(e.getOutboundEnded().getState()).isEqualTo(State.CANCELLED);
        assertThat(e.getUser()).isEqualTo("15550001234");
        assertThat(e.getNumber()).isEqualTo("support");
    }

    private void assertRefused(TestSubscriber s, Status.Code code, String mention) throws Exception {
        Status st = s.ended.get(5, TimeUnit.SECONDS);
        assertThat(st.getCode()).isEqualTo(code);
        assertThat(st.getDescription()).contains(mention);
    }

    private Group group(String name) {
        return t.events().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList().stream()
                .filter(g -> g.getName().equals(name)).findFirst().orElseThrow();
    }

    private static boolean contains(long[] a, long v) {
        for (long x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    static void assertInOrderPerConversation(List<Event> events) {
        Map<String, Long> last = new HashMap<>();
        for (Event e : events) {
            String c = EventFilters.conversationOf(e);
            Long prev = last.put(c, e.getOffset());
            assertThat(prev == null || prev < e.getOffset()).as("conversation %s: %d after %d", c, e.getOffset(), prev)
                    .isTrue();
        }
    }
}
