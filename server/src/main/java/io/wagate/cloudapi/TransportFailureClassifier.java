package io.wagate.cloudapi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Decides whether a failed HTTP exchange may have reached Meta. The distinction drives the
 * dispatcher: "not sent" is safe to resend at once, "maybe sent" must be reconciled first.
 *
 * <p>Stateless; safe from any thread.
 */
final class TransportFailureClassifier {

    private TransportFailureClassifier() {
    }

    static SendResult.TransportFailure classify(Throwable failure) {
        Throwable t = unwrap(failure);
        String description = describe(t);
        if (neverConnected(t)) {
            return new SendResult.TransportFailure(false, "connection not established: " + description);
        }
        if (t instanceof HttpTimeoutException) {
            return new SendResult.TransportFailure(true, "no answer within the request timeout: " + description);
        }
        if (t instanceof IOException) {
            return new SendResult.TransportFailure(true, "connection failed after connecting: " + description);
        }
        return new SendResult.TransportFailure(false, "request failed before sending: " + description);
    }

    /** True when the failure, or anything it wraps, happened before a connection existed. */
    private static boolean neverConnected(Throwable t) {
        // HttpClient wraps the root cause (UnresolvedAddressException in a ConnectException, ...),
        // so the whole chain is inspected.
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpConnectTimeoutException || c instanceof ConnectException
                    || c instanceof UnresolvedAddressException || c instanceof UnknownHostException
                    || c instanceof NoRouteToHostException || c instanceof SSLHandshakeException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String describe(Throwable t) {
        // Exception messages from the JDK client name hosts and causes, never request headers.
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
