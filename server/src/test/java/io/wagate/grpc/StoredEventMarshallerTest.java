package io.wagate.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import io.grpc.ServerServiceDefinition;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.InboundText;
import io.wagate.api.v1.SubscribeResponse;
import io.wagate.events.ConsumerGroups;
import io.wagate.config.EventsConfig;
import io.wagate.events.EventLog;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored bytes on the wire are exactly what encoding the response would have written. */
class StoredEventMarshallerTest {
    @TempDir
    Path dir;

    private static Event event(int textChars) {
        return Event.newBuilder().setOffset(7).setId("in:wamid.X").setKind(EventKind.INBOUND_MESSAGE)
                .setStoredAt(Timestamps.fromMillis(1_750_000_000_000L)).setPhoneNumberId("1066").setUser("4915")
                .setInbound(InboundMessage.newBuilder().setType("text")
                        .setText(InboundText.newBuilder().setBody("é".repeat(textChars)))).build();
    }

    private static byte[] drain(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((io.grpc.Drainable) in).drainTo(out);
        return out.toByteArray();
    }

    @Test
    void anEventWithStoredBytesIsWrittenAsTheStandardEncodingWouldBe_forShortAndLongLengths() throws Exception {
        for (int chars : new int[] {0, 40, 70, 8_000, 100_000}) { // length prefixes of 1, 2 and 3 bytes
            Event e = event(chars);
            StoredEventMarshaller m = new StoredEventMarshaller(x -> x == e ? e.toByteArray() : null);
            SubscribeResponse r = SubscribeResponse.newBuilder().setEvent(e).build();
            InputStream in = m.stream(r);
            assertThat(in).isInstanceOf(StoredEventMarshaller.TwoPartStream.class);
            assertThat(in.available()).isEqualTo(r.getSerializedSize());
            assertThat(drain(in)).as("%d chars", chars).isEqualTo(r.toByteArray());
            assertThat(m.parse(m.stream(r))).isEqualTo(r);
        }
    }

    @Test
    void readingByteByByteAndInChunksGivesTheSameBytes() throws Exception {
        Event e = event(300);
        StoredEventMarshaller m = new StoredEventMarshaller(x -> e.toByteArray());
        SubscribeResponse r = SubscribeResponse.newBuilder().setEvent(e).build();
        InputStream single = m.stream(r);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = single.read(); b != -1; b = single.read()) {
            out.write(b);
        }
        assertThat(out.toByteArray()).isEqualTo(r.toByteArray());
        InputStream chunked = m.stream(r);
        assertThat(chunked.read()).isEqualTo(r.toByteArray()[0] & 0xFF);
        assertThat(chunked.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(r.toByteArray(), 1, r.getSerializedSize()));
        assertThat(chunked.read(new byte[4], 0, 4)).isEqualTo(-1);
    }

    @Test
    void heartbeatsAndEventsNoLongerInMemoryUseTheStandardEncoding() throws Exception {
        StoredEventMarshaller m = new StoredEventMarshaller(x -> null);
        SubscribeResponse beat = SubscribeResponse.newBuilder()
                .setHeartbeat(SubscribeResponse.Heartbeat.newBuilder().setHeadOffset(9)).build();
        SubscribeResponse old = SubscribeResponse.newBuilder().setEvent(event(5)).build();
        assertThat(m.stream(beat).readAllBytes()).isEqualTo(beat.toByteArray());
        assertThat(m.stream(old)).isNotInstanceOf(StoredEventMarshaller.TwoPartStream.class);
        assertThat(m.stream(old).readAllBytes()).isEqualTo(old.toByteArray());
    }

    @Test
    void theServiceKeepsEveryMethod_andOnlySubscribeChangesMarshaller() {
        try (Database db = Database.open(StoreOptions.defaults(dir.resolve("db")))) {
            EventLog log = new EventLog(db, System::currentTimeMillis);
            log.append(List.of(Event.newBuilder().setId("a").setKind(EventKind.INBOUND_MESSAGE).build())).join();
            ConsumerGroups groups = new ConsumerGroups(db, log, EventsConfig.defaults(), System::currentTimeMillis);
            ServerServiceDefinition def = new EventsService(groups, log).definition();
            Map<String, Integer> names = new java.util.TreeMap<>();
            def.getMethods().forEach(md -> names.merge(md.getMethodDescriptor().getFullMethodName(), 1, Integer::sum));
            assertThat(names.keySet()).containsExactlyInAnyOrderElementsOf(
                    EventsGrpc.getServiceDescriptor().getMethods().stream().map(x -> x.getFullMethodName()).toList());
            assertThat(def.getMethod(EventsGrpc.getSubscribeMethod().getFullMethodName()).getMethodDescriptor()
                    .getResponseMarshaller()).isInstanceOf(StoredEventMarshaller.class);
            // the event the log hands out is one it has the stored bytes of
            Event stored = log.read(1, 10, 10, x -> true).events().get(0);
            assertThat(log.encoded(stored)).isEqualTo(stored.toByteArray());
            assertThat(log.encoded(stored.toBuilder().build())).isNull(); // another instance: encoded again
            groups.close();
        }
    }

    @Test
    void overARealSocketTwoGroupsReceiveEveryEventIntact() throws Exception {
        try (Database db = Database.open(StoreOptions.defaults(dir.resolve("db")))) {
            EventLog log = new EventLog(db, System::currentTimeMillis);
            ConsumerGroups groups = new ConsumerGroups(db, log, EventsConfig.defaults(), System::currentTimeMillis);
            groups.start();
            io.grpc.Server server = io.grpc.netty.NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
                    .addService(new EventsService(groups, log).definition()).build().start();
            io.grpc.ManagedChannel channel = io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                    .usePlaintext().build();
            try {
                List<java.util.concurrent.BlockingQueue<Event>> received = new java.util.ArrayList<>();
                for (String group : List.of("crm", "erp")) {
                    java.util.concurrent.BlockingQueue<Event> got = new java.util.concurrent.LinkedBlockingQueue<>();
                    received.add(got);
                    io.grpc.stub.StreamObserver<io.wagate.api.v1.SubscribeRequest> requests =
                            EventsGrpc.newStub(channel).subscribe(new io.grpc.stub.StreamObserver<>() {
                                @Override
                                public void onNext(SubscribeResponse r) {
                                    if (r.hasEvent()) {
                                        got.add(r.getEvent());
                                    }
                                }

                                @Override
                                public void onError(Throwable t) {
                                }

                                @Override
                                public void onCompleted() {
                                }
                            });
                    requests.onNext(io.wagate.api.v1.SubscribeRequest.newBuilder().setOpen(
                            io.wagate.api.v1.SubscribeRequest.Open.newBuilder().setGroup(group)
                                    .setStart(io.wagate.api.v1.StartPosition.newBuilder().setEarliest(true))).build());
                }
                List<Event> appended = new java.util.ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    appended.add(event(i * 37).toBuilder().clearOffset().clearStoredAt().setId("in:" + i).build());
                }
                log.append(appended).join();
                List<Event> expected = log.read(1, 100, 100, x -> true).events();
                assertThat(expected).hasSize(50);
                for (java.util.concurrent.BlockingQueue<Event> got : received) {
                    List<Event> events = new java.util.ArrayList<>();
                    while (events.size() < 50) {
                        Event e = got.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                        assertThat(e).as("event %d", events.size() + 1).isNotNull();
                        events.add(e);
                    }
                    events.sort(java.util.Comparator.comparingLong(Event::getOffset));
                    assertThat(events).isEqualTo(expected);
                }
            } finally {
                channel.shutdownNow();
                server.shutdownNow();
                groups.close();
            }
        }
    }
}
