package io.wagate.grpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventsGrpc;
import io.wagate.api.v1.SubscribeResponse;
import io.wagate.events.EventLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a subscription's events as the bytes they were stored as, when the log still has them in
 * memory, instead of encoding the same event again for every consumer group: encoding was the
 * largest cost of delivery with several groups.
 *
 * <p>A {@code SubscribeResponse} holding only an event is, on the wire, the event's field tag
 * and length followed by the event's own bytes, so nothing but that prefix is written here.
 * Anything else goes through the standard protobuf marshaller; parsing is unchanged.
 */
final class StoredEventMarshaller implements Marshaller<SubscribeResponse> {
    private final Marshaller<SubscribeResponse> standard = ProtoUtils.marshaller(SubscribeResponse.getDefaultInstance());
    private final Function<Event, byte[]> storedBytes;

    StoredEventMarshaller(Function<Event, byte[]> storedBytes) {
        this.storedBytes = storedBytes;
    }

    /** {@code definition} with the Subscribe method's responses written by this marshaller. */
    static ServerServiceDefinition install(ServerServiceDefinition definition, EventLog log) {
        StoredEventMarshaller marshaller = new StoredEventMarshaller(log::encoded);
        ServiceDescriptor original = definition.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> m : definition.getMethods()) {
            boolean subscribe = m.getMethodDescriptor().getFullMethodName()
                    .equals(EventsGrpc.getSubscribeMethod().getFullMethodName());
            methods.add(subscribe ? withMarshaller(cast(m), marshaller) : m);
        }
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(out::addMethod);
        return out.build();
    }

    @SuppressWarnings("unchecked")
    private static ServerMethodDefinition<Object, SubscribeResponse> cast(ServerMethodDefinition<?, ?> m) {
        return (ServerMethodDefinition<Object, SubscribeResponse>) m;
    }

    private static <Q> ServerMethodDefinition<Q, SubscribeResponse> withMarshaller(
            ServerMethodDefinition<Q, SubscribeResponse> m, StoredEventMarshaller marshaller) {
        MethodDescriptor<Q, SubscribeResponse> md = m.getMethodDescriptor();
        return ServerMethodDefinition.create(md.toBuilder(md.getRequestMarshaller(), marshaller).build(),
                m.getServerCallHandler());
    }

    @Override
    public InputStream stream(SubscribeResponse value) {
        if (value.getResponseCase() == SubscribeResponse.ResponseCase.EVENT) {
            byte[] body = storedBytes.apply(value.getEvent());
            if (body != null) {
                return new TwoPartStream(prefix(body.length), body);
            }
        }
        return standard.stream(value);
    }

    @Override
    public SubscribeResponse parse(InputStream stream) {
        return standard.parse(stream);
    }

    /** The event field's tag and the length of its bytes, as the message would encode them. */
    private static byte[] prefix(int length) {
        byte[] prefix = new byte[CodedOutputStream.computeTagSize(SubscribeResponse.EVENT_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(length)];
        CodedOutputStream out = CodedOutputStream.newInstance(prefix);
        try {
            out.writeTag(SubscribeResponse.EVENT_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(length);
        } catch (IOException e) {
            throw new IllegalStateException("the prefix is sized exactly", e);
        }
        return prefix;
    }

    /** Two arrays read as one stream; gRPC drains it straight into its frame. */
    static final class TwoPartStream extends InputStream implements Drainable, KnownLength {
        private final byte[] head;
        private final byte[] body;
        private int pos;

        TwoPartStream(byte[] head, byte[] body) {
            this.head = head;
            this.body = body;
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = available();
            if (pos < head.length) {
                target.write(head, pos, head.length - pos);
                target.write(body);
            } else {
                target.write(body, pos - head.length, body.length - (pos - head.length));
            }
            pos = head.length + body.length;
            return n;
        }

        @Override
        public int available() {
            return head.length + body.length - pos;
        }

        @Override
        public int read() {
            if (available() == 0) {
                return -1;
            }
            int b = pos < head.length ? head[pos] : body[pos - head.length];
            pos++;
            return b & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = Math.min(len, available());
            if (n == 0) {
                return -1;
            }
            for (int done = 0; done < n; ) {
                boolean inHead = pos < head.length;
                byte[] src = inHead ? head : body;
                int at = inHead ? pos : pos - head.length;
                int chunk = Math.min(n - done, src.length - at);
                System.arraycopy(src, at, b, off + done, chunk);
                done += chunk;
                pos += chunk;
            }
            return n;
        }
    }
}
