package io.wagate.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.wagate.config.PolicyConfig;

/**
 * Who is calling: the internal service's name from the {@value #HEADER} metadata header, put into
 * the call's {@link Context} ({@link #current()}). Absent: the anonymous client {@code ""}.
 *
 * <p><b>Declared, not authenticated.</b> Until clients authenticate with certificates (step 6,
 * mutual TLS) any caller can claim any name; the name keeps idempotency keys of different services
 * apart and picks their quota ({@code policy.clients}), it does not keep out a caller who lies.
 *
 * <p>A malformed name (other than 1-64 letters, digits, '-' or '_') ends the call with
 * UNAUTHENTICATED naming the header, before any service sees it. Stateless and thread-safe.
 */
public final class ClientIdentity implements ServerInterceptor {
    /** The metadata header carrying the client's name. */
    public static final String HEADER = "wagate-client";
    /** The name of a caller that gave none. */
    public static final String ANONYMOUS = "";
    static final Metadata.Key<String> KEY = Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> CLIENT = Context.keyWithDefault("wagate-client", ANONYMOUS);

    /** The calling client's name in the current call, or {@link #ANONYMOUS}. */
    public static String current() {
        return CLIENT.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        Iterable<String> values = headers.getAll(KEY);
        if (values == null) {
            return next.startCall(call, headers);
        }
        String name = null;
        for (String v : values) {
            if (name != null) {
                return refuse(call, "the " + HEADER + " header is given more than once");
            }
            name = v;
        }
        if (!PolicyConfig.CLIENT_NAME.matcher(name).matches()) {
            return refuse(call, "the " + HEADER + " header must be 1-64 letters, digits, '-' or '_', got '"
                    + printable(name) + "'");
        }
        return Contexts.interceptCall(Context.current().withValue(CLIENT, name), call, headers, next);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String why) {
        call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
