package io.wagate.sandbox;

import io.wagate.cloudapi.ErrorCodeTable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Scripted misbehaviour of the sandbox's messages endpoint: "the next N requests (to recipient R,
 * or to anyone) answer with Meta error C", "drop the connection", "never answer".
 *
 * <p>Rules are consumed in the order they were added; a request takes one use of the first rule
 * that matches its recipient ({@code to} or {@code recipient}; mark-reads have none and match only
 * "any recipient" rules). Faults apply after authentication and JSON parsing and before
 * validation, as Meta's throttles and outages do.
 *
 * <p>What is recorded: a faulted error answer is not a received message (Meta did not accept it).
 * A dropped or stalled request is recorded in {@link SandboxEmulator#attempted()}, because a real
 * Meta may have accepted such a request before the connection died; that is exactly the case
 * the gateway must reconcile.
 *
 * <p>New kinds of fault (rate limiters, outages, webhooks) are new {@link Fault} records handled
 * by the handler. Thread-safe (one monitor): scripted from test threads, consumed on event loops.
 */
public final class FaultPlan {

    /** What to do instead of the normal answer. */
    public sealed interface Fault permits MetaError, Drop, Stall {
    }

    /**
     * Answer with Meta's error envelope.
     *
     * @param code Meta's error code
     * @param httpStatus HTTP status to answer with
     * @param details {@code error_data.details}; null for Meta's title
     */
    public record MetaError(int code, int httpStatus, String details) implements Fault {
    }

    /** Close the connection without answering, after the request was read. */
    public record Drop() implements Fault {
    }

    /** Read the request and never answer (until the client gives up or the connection idles out). */
    public record Stall() implements Fault {
    }

    private final List<Rule> rules = new ArrayList<>();

    /**
     * Adds a rule.
     *
     * @param times how many matching requests it applies to, at least 1
     * @param recipient only requests to this {@code to}/{@code recipient} value; null for any
     */
    public synchronized FaultPlan add(int times, String recipient, Fault fault) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1, got " + times);
        }
        rules.add(new Rule(recipient, Objects.requireNonNull(fault, "fault"), times));
        return this;
    }

    /** The next {@code times} requests (to {@code recipient}, or any if null) fail with {@code code} and {@code httpStatus}. */
    public FaultPlan failNext(int times, String recipient, int code, int httpStatus) {
        return add(times, recipient, new MetaError(code, httpStatus, null));
    }

    /** As {@link #failNext(int, String, int, int)} with the HTTP status of Meta's table for {@code code}. */
    public FaultPlan failNext(int times, String recipient, int code) {
        return failNext(times, recipient, code, ErrorCodeTable.httpStatus(code));
    }

    /** The next {@code times} requests have their connection closed without an answer. */
    public FaultPlan dropNext(int times, String recipient) {
        return add(times, recipient, new Drop());
    }

    /** The next {@code times} requests are never answered. */
    public FaultPlan stallNext(int times, String recipient) {
        return add(times, recipient, new Stall());
    }

    /** Forgets every rule. */
    public synchronized void clear() {
        rules.clear();
    }

    /** Uses left across all rules. */
    public synchronized int pending() {
        return rules.stream().mapToInt(r -> r.remaining).sum();
    }

    /** Takes one use of the first rule matching {@code recipient} (null: the request has none). */
    synchronized Optional<Fault> next(String recipient) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.recipient == null || r.recipient.equals(recipient)) {
                if (--r.remaining == 0) {
                    it.remove();
                }
                return Optional.of(r.fault);
            }
        }
        return Optional.empty();
    }

    private static final class Rule {
        final String recipient;
        final Fault fault;
        int remaining;

        Rule(String recipient, Fault fault, int remaining) {
            this.recipient = recipient;
            this.fault = fault;
            this.remaining = remaining;
        }
    }
}
