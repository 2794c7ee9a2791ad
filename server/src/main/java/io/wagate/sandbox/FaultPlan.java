package io.wagate.sandbox;

import io.wagate.cloudapi.ErrorCodeTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Scripted misbehaviour of the sandbox's messages endpoint: "the next N requests (to recipient R,
 * or to anyone) answer with Meta error C", "drop the connection", "reset it", "never answer",
 * "answer after a latency drawn from this distribution", for a number of requests, for a while, or
 * until removed. Each rule is a {@link FaultSpec}; the control API ({@code /_sandbox/faults}) adds
 * the same rules over HTTP.
 *
 * <p>When a rule applies. Each request is checked at up to three moments, with the rules in the
 * order they were added:
 * <ol>
 *   <li>a new connection: the first firing {@link ResetOnConnect} resets it before anything is read;
 *   <li>a request line to {@code /{version}/{number}/messages}: the first firing
 *       {@link ResetBeforeRead} for that number resets the connection before the body is read;
 *   <li>after authentication and JSON parsing and before the limits and validation (as Meta's
 *       throttles and outages do): the first firing answer fault ({@link MetaError}, {@link Drop},
 *       {@link ResetAfterRead}, {@link Stall}) replaces the answer, and independently the first
 *       firing {@link Delay} replaces the configured latency of the answer.
 * </ol>
 * A rule matches by number and recipient ({@code to} or {@code recipient}; mark-reads have none and
 * match only "any recipient" rules), then fires with its probability; firing takes one of its
 * uses. Rules past their duration or out of uses are forgotten. The control endpoints
 * ({@code /_sandbox/...}) are never faulted, except by {@link ResetOnConnect}, which cannot tell.
 *
 * <p>What is recorded: a faulted error answer is not a received message (Meta did not accept it);
 * nor is anything reset before it was read. A dropped, reset-after-read or stalled request is
 * recorded in {@link SandboxEmulator#attempted()}, because a real Meta may have accepted such a
 * request before the connection died; that is exactly the case the gateway must reconcile.
 *
 * <p>Thread-safe (one monitor): scripted from test threads and the control API, consumed on event loops.
 */
public final class FaultPlan {

    /** What to do instead of, or in addition to, the normal answer. */
    public sealed interface Fault permits MetaError, Drop, Stall, ResetAfterRead, ResetBeforeRead, ResetOnConnect, Delay {
    }

    /**
     * Answer with Meta's error envelope: any code, with any status (5xx with 131000, 131016, 2 or
     * 133004 emulate Meta's outages).
     *
     * @param code Meta's error code
     * @param httpStatus HTTP status to answer with
     * @param details {@code error_data.details}; null for Meta's title
     */
    public record MetaError(int code, int httpStatus, String details) implements Fault {
        public MetaError {
            if (httpStatus < 100 || httpStatus > 599) {
                throw new IllegalArgumentException("http_status must be 100..599, got " + httpStatus);
            }
        }

        /** With the HTTP status of Meta's table for {@code code}. */
        public static MetaError of(int code) {
            return new MetaError(code, ErrorCodeTable.httpStatus(code), null);
        }
    }

    /** Close the connection (FIN) without answering, after the request was read. */
    public record Drop() implements Fault {
    }

    /** Read the request and never answer (until the client gives up or the connection idles out): a timeout. */
    public record Stall() implements Fault {
    }

    /** Read the request, record it as attempted, then reset the connection (RST, SO_LINGER 0). */
    public record ResetAfterRead() implements Fault {
    }

    /** Reset the connection (RST) on a request line, before its body is read; nothing is recorded. */
    public record ResetBeforeRead() implements Fault {
    }

    /** Reset a new connection (RST) as soon as it is accepted, before reading a byte; nothing is recorded. */
    public record ResetOnConnect() implements Fault {
    }

    /** Answer normally (or with another fault) after a latency drawn from {@code latency}. */
    public record Delay(Latency latency) implements Fault {
        public Delay {
            Objects.requireNonNull(latency, "latency must be set");
        }
    }

    /**
     * A rule as it stands now.
     *
     * @param id the handle to {@link #remove(long)} it by
     * @param spec the rule as added
     * @param remaining uses left, or null when it has no count limit
     * @param expiresAt when it stops applying, or null when it has no time limit
     */
    public record ActiveFault(long id, FaultSpec spec, Integer remaining, Instant expiresAt) {
    }

    /** What the third check decided: an answer fault and a latency, each null when none fired. */
    record Decision(Fault answer, Latency delay) {
        static final Decision NONE = new Decision(null, null);
    }

    private final List<Rule> rules = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();

    /**
     * Adds a rule.
     *
     * @return its id, for {@link #remove(long)}
     */
    public synchronized long add(FaultSpec spec) {
        Objects.requireNonNull(spec, "spec");
        long now = System.nanoTime();
        Rule r = new Rule(ids.incrementAndGet(), spec, spec.times() == 0 ? -1 : spec.times(),
                spec.duration() == null ? 0 : now + spec.duration().toNanos(),
                spec.duration() == null ? null : Instant.now().plus(spec.duration()));
        rules.add(r);
        return r.id;
    }

    /**
     * Adds a rule for a number of requests.
     *
     * @param times how many matching requests it applies to, at least 1
     * @param recipient only requests to this {@code to}/{@code recipient} value; null for any
     */
    public FaultPlan add(int times, String recipient, Fault fault) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1, got " + times);
        }
        add(FaultSpec.of(fault).forRecipient(recipient).times(times));
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

    /** Every request (to {@code recipient}, or any if null) fails with {@code code} for {@code duration}. */
    public FaultPlan failFor(Duration duration, String recipient, int code, int httpStatus) {
        add(FaultSpec.of(new MetaError(code, httpStatus, null)).forRecipient(recipient).lasting(duration));
        return this;
    }

    /** The next {@code times} requests have their connection closed without an answer. */
    public FaultPlan dropNext(int times, String recipient) {
        return add(times, recipient, new Drop());
    }

    /** The next {@code times} requests are read, recorded as attempted, and their connection reset (RST). */
    public FaultPlan resetNext(int times, String recipient) {
        return add(times, recipient, new ResetAfterRead());
    }

    /** The next {@code times} requests to the messages endpoint are reset before their body is read. */
    public FaultPlan resetBeforeReadNext(int times) {
        return add(times, null, new ResetBeforeRead());
    }

    /** The next {@code times} new connections are reset as soon as they are accepted. */
    public FaultPlan resetOnConnectNext(int times) {
        return add(times, null, new ResetOnConnect());
    }

    /** The next {@code times} requests are never answered. */
    public FaultPlan stallNext(int times, String recipient) {
        return add(times, recipient, new Stall());
    }

    /** The next {@code times} answers (to {@code recipient}, or any) come after {@code latency}. */
    public FaultPlan delayNext(int times, String recipient, Latency latency) {
        return add(times, recipient, new Delay(latency));
    }

    /** Every answer comes after {@code latency} for {@code duration}. */
    public FaultPlan delayFor(Duration duration, Latency latency) {
        add(FaultSpec.of(new Delay(latency)).lasting(duration));
        return this;
    }

    /** Removes one rule; false if it is gone already. */
    public synchronized boolean remove(long id) {
        return rules.removeIf(r -> r.id == id);
    }

    /** Forgets every rule. */
    public synchronized void clear() {
        rules.clear();
    }

    /** Uses left across all rules; {@link Integer#MAX_VALUE} while a rule without a count limit is active. */
    public synchronized int pending() {
        expire(System.nanoTime());
        long sum = 0;
        for (Rule r : rules) {
            sum += r.remaining < 0 ? Integer.MAX_VALUE : r.remaining;
        }
        return (int) Math.min(Integer.MAX_VALUE, sum);
    }

    /** The active rules in the order they apply; a snapshot. */
    public synchronized List<ActiveFault> rules() {
        expire(System.nanoTime());
        return rules.stream().map(r -> new ActiveFault(r.id, r.spec, r.remaining < 0 ? null : r.remaining, r.expiresAt))
                .toList();
    }

    /** How many times a rule fired since start. */
    public long hitCount() {
        return hits.get();
    }

    /** The first check: whether to reset a new connection. */
    synchronized boolean onConnect() {
        return fire(f -> f instanceof ResetOnConnect, null, null) != null;
    }

    /** The second check: whether to reset a messages request of {@code number} before reading its body. */
    synchronized boolean onRequestLine(String number) {
        return fire(f -> f instanceof ResetBeforeRead, number, null) != null;
    }

    /** The third check, on a parsed messages request. */
    synchronized Decision onRequest(String number, String recipient) {
        if (rules.isEmpty()) {
            return Decision.NONE;
        }
        Fault answer = fire(FaultPlan::replacesAnswer, number, recipient);
        Fault delay = fire(f -> f instanceof Delay, number, recipient);
        return answer == null && delay == null ? Decision.NONE
                : new Decision(answer, delay == null ? null : ((Delay) delay).latency());
    }

    private static boolean replacesAnswer(Fault f) {
        return f instanceof MetaError || f instanceof Drop || f instanceof Stall || f instanceof ResetAfterRead;
    }

    private Fault fire(Predicate<Fault> kind, String number, String recipient) {
        long now = System.nanoTime();
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.expired(now)) {
                it.remove();
                continue;
            }
            Fault f = r.spec.fault();
            if (!kind.test(f) || !r.spec.matches(number, recipient)) {
                continue;
            }
            if (r.spec.probability() < 1 && ThreadLocalRandom.current().nextDouble() >= r.spec.probability()) {
                continue;
            }
            if (r.remaining > 0 && --r.remaining == 0) {
                it.remove();
            }
            hits.incrementAndGet();
            return f;
        }
        return null;
    }

    private void expire(long now) {
        rules.removeIf(r -> r.expired(now));
    }

    private static final class Rule {
        final long id;
        final FaultSpec spec;
        /** Meaningful only when {@code expiresAt} is set (nanoTime values may be anything, even 0). */
        final long deadlineNanos;
        final Instant expiresAt;
        int remaining;

        Rule(long id, FaultSpec spec, int remaining, long deadlineNanos, Instant expiresAt) {
            this.id = id;
            this.spec = spec;
            this.remaining = remaining;
            this.deadlineNanos = deadlineNanos;
            this.expiresAt = expiresAt;
        }

        boolean expired(long now) {
            return expiresAt != null && now - deadlineNanos >= 0;
        }
    }
}
