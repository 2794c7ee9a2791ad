package io.wagate.dispatch;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessageError;
import io.wagate.api.v1.State;
import io.wagate.cloudapi.CloudApiClient;
import io.wagate.cloudapi.MessagePayloadMapper;
import io.wagate.cloudapi.RetryClass;
import io.wagate.cloudapi.SendResult;
import io.wagate.media.OutboundMedia;
import io.wagate.config.DispatchConfig;
import io.wagate.api.v1.Alert;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.outbox.ConversationScheduler;
import io.wagate.outbox.Outbox;
import io.wagate.outbox.OutboxStore;
import io.wagate.policy.MessagingLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends leased messages to Meta and records what happened.
 *
 * <p>For each message: lease the head of a ready conversation, store SENDING (so a crash while the
 * request is out is known after restart), POST it, then store the outcome (SUBMITTED with the
 * wamid, QUEUED for a retry, or FAILED with Meta's error) and give the conversation back to the
 * scheduler. Requests run asynchronously; {@code dispatch.max_in_flight} bounds how many are out
 * at once. Before SENDING, the messaging limit ({@link #setMessagingLimits}) may hold the message:
 * it is stored HELD and given back to the scheduler until its {@code held_until}, still the head of
 * its conversation, without spending an attempt. The state writes of concurrent sends share synced
 * group commits.
 *
 * <p>Threading: one leasing thread, the HTTP client's threads for completions, one timer for
 * expiry and for forgetting idempotency keys past the dedupe window. {@link #close} stops leasing and waits a bounded time for requests in flight; those
 * still out stay SENDING on disk and are resent (marked possible_duplicate) after restart.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Prefix of biz_opaque_callback_data: our id travels there so status webhooks can be matched. */
    public static final String CALLBACK_PREFIX = "wg1:";
    /** Counter of resends that may duplicate a message Meta already has (the contract's metric). */
    public static final String AMBIGUOUS_RESENDS = "dispatch.ambiguous_resends";
    private static final long STORE_RETRY_MS = 1000;
    private static final int KEY_SWEEP_BATCH = 10_000;

    private final DispatchConfig config;
    private final Outbox outbox;
    private final OutboxStore store;
    private final ConversationScheduler scheduler;
    private final CloudApiClient client;
    private final OutboundMedia media;
    private final MessagePayloadMapper mapper = new MessagePayloadMapper();
    private final Map<String, String> tokens;
    private final NumberGates gates;
    private final RetryPolicy policy;
    private final LongSupplier clock;
    private final Semaphore permits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread leaser;
    private final ScheduledExecutorService timer;
    private volatile boolean running = true;
    private volatile MessagingLimits limits;

    private final Counter submitted;
    private final Counter retries;
    private final Counter failed;
    private final Counter expired;
    private final Counter ambiguousResends;
    private final Counter numberPauses;
    private final Counter uncertain;
    private final Timer latency;

    /**
     * @param tokens access token per phone-number id
     * @param clock  epoch milliseconds
     */
    public Dispatcher(DispatchConfig config, Outbox outbox, CloudApiClient client, Map<String, String> tokens,
                      NumberGates gates, MetricRegistry metrics, LongSupplier clock) {
        this(config, outbox, client, tokens, gates, null, metrics, clock);
    }

    /** @param media turns stored media ids into Meta's (null: no media store; such sends never get here) */
    public Dispatcher(DispatchConfig config, Outbox outbox, CloudApiClient client, Map<String, String> tokens,
                      NumberGates gates, OutboundMedia media, MetricRegistry metrics, LongSupplier clock) {
        this.media = media;
        this.config = config;
        this.outbox = outbox;
        this.store = outbox.store();
        this.scheduler = outbox.scheduler();
        this.client = client;
        this.gates = gates;
        this.tokens = Map.copyOf(tokens);
        this.policy = new RetryPolicy(config);
        this.clock = clock;
        this.permits = new Semaphore(config.maxInFlight());
        this.submitted = metrics.counter("dispatch.submitted");
        this.retries = metrics.counter("dispatch.retries");
        this.failed = metrics.counter("dispatch.failed");
        this.expired = metrics.counter("dispatch.expired");
        this.ambiguousResends = metrics.counter(AMBIGUOUS_RESENDS);
        this.numberPauses = metrics.counter("dispatch.number_pauses");
        this.uncertain = metrics.counter("dispatch.uncertain");
        this.latency = metrics.timer("cloudapi.send.latency");
        this.leaser = new Thread(this::leaseLoop, "wagate-dispatcher");
        this.leaser.setDaemon(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wagate-outbox-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Consults {@code l} before each message goes to Meta (the messaging limit: hold marketing to
     * new users beyond the tier); null: nothing is held. Set before {@link #start}.
     */
    public void setMessagingLimits(MessagingLimits l) {
        this.limits = l;
    }

    public void start() {
        leaser.start();
        timer.scheduleWithFixedDelay(this::expireDue, 250, 250, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::forgetExpiredKeys, 1, 10, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(gates::evictIdleRecipients, 60, 60, TimeUnit.SECONDS);
    }

    /** Requests to Meta awaiting an answer. */
    public int inFlight() {
        return inFlight.get();
    }

    private void expireDue() {
        try {
            expired.inc(outbox.expireDue());
        } catch (RuntimeException e) {
            log.warn("expiry sweep failed: {}", e.toString());
        }
    }

    private void forgetExpiredKeys() {
        try {
            while (outbox.forgetExpiredKeys(KEY_SWEEP_BATCH) == KEY_SWEEP_BATCH) {
                // keep going: a backlog of expired keys is cleared in batches
            }
        } catch (RuntimeException e) {
            log.warn("forgetting expired idempotency keys failed: {}", e.toString());
        }
    }

    private void leaseLoop() {
        while (running) {
            try {
                if (!permits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                ConversationScheduler.Entry e = scheduler.lease(200, TimeUnit.MILLISECONDS);
                if (e == null || !running) {
                    if (e != null) {
                        scheduler.release(e, 0);
                    }
                    permits.release();
                    continue;
                }
                inFlight.incrementAndGet();
                dispatch(e).whenComplete((ok, err) -> {
                    inFlight.decrementAndGet();
                    permits.release();
                    if (err != null) {
                        log.error("dispatch of message {} failed unexpectedly; it stays queued", e.id(), err);
                    }
                });
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException ex) {
                log.error("dispatcher loop error", ex);
            }
        }
    }

    private CompletableFuture<Void> dispatch(ConversationScheduler.Entry e) {
        Message m;
        try {
            m = store.get(e.id());
        } catch (RuntimeException ex) {
            scheduler.release(e, clock.getAsLong() + STORE_RETRY_MS);
            return CompletableFuture.failedFuture(ex);
        }
        long now = clock.getAsLong();
        if (now >= e.expiresAt()) {
            Message end = m.toBuilder().setState(State.EXPIRED).setUpdatedAt(Timestamps.fromMillis(now))
                    .clearNextAttemptAt().clearHeldUntil().clearHeldReason().build();
            return outbox.storeUpdate(end, true).handle((ok, err) -> {
                if (err != null) {
                    scheduler.release(e, clock.getAsLong() + STORE_RETRY_MS);
                } else {
                    expired.inc();
                    scheduler.finish(e);
                }
                return null;
            });
        }
        MessagingLimits.Reservation reservation = null;
        MessagingLimits l = limits;
        if (l != null && m.getState() != State.UNCERTAIN && m.getState() != State.SENDING) {
            // (an UNCERTAIN or SENDING message may already be at Meta: it was counted when it first went)
            MessagingLimits.Admission a = l.admit(m, now);
            if (a.held()) {
                return hold(e, m, a, now);
            }
            reservation = a.reserved();
        }
        MessagingLimits.Reservation reached = reservation;
        Message.Builder sendingBuilder = m.toBuilder()
                .setState(State.SENDING)
                .setAttempts(m.getAttempts() + 1)
                .setUpdatedAt(Timestamps.fromMillis(now))
                .clearNextAttemptAt()
                .clearHeldUntil()
                .clearHeldReason();
        if (m.getState() == State.UNCERTAIN || m.getState() == State.SENDING) {
            // Meta may already have it and no status said so within the reconciliation window
            // (or its outcome could not be stored): sending again may make a second copy
            sendingBuilder.setPossibleDuplicate(true);
            ambiguousResends.inc();
        }
        Message sending = sendingBuilder.build();
        String token = tokens.get(m.getFrom());
        return store.update(sending, false)
                .handle((ok, err) -> {
                    if (err != null) {
                        // could not record SENDING (disk full?): do not send, try again shortly
                        log.warn("could not store SENDING for {}: {}", m.getId(), err.toString());
                        undo(reached);
                        scheduler.release(e, clock.getAsLong() + STORE_RETRY_MS);
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    Timer.Context t = latency.time();
                    NumberGates.Gate gate = gates.gate(m.getFrom());
                    long sentAt = gates.nanos();
                    if (gate != null) {
                        gate.inFlight.incrementAndGet();
                    }
                    return send(m, token)
                            .thenCompose(result -> {
                                t.stop();
                                if (gate != null) {
                                    gate.inFlight.decrementAndGet();
                                    feedback(gate, m.getTo(), sentAt, result);
                                }
                                return record(e, sending, result, reached);
                            });
                })
                .thenCompose(f -> f);
    }

    /** Sends {@code m}, first turning its stored media into Meta media ids (uploading what Meta lacks). */
    private CompletableFuture<SendResult> send(Message m, String token) {
        if (media == null || !OutboundMedia.refersToStored(m.getRequest())) {
            return client.sendMessage(m.getFrom(), token, mapper.toJson(m.getRequest(), m.getTo(), callbackData(m)));
        }
        return media.resolve(m.getRequest(), m.getFrom(), token).thenCompose(r -> r.failure() != null
                ? CompletableFuture.completedFuture(r.failure())
                : client.sendMessage(m.getFrom(), token, mapper.toJson(r.request(), m.getTo(), callbackData(m))));
    }

    /** Tells the number's gate what Meta (or the network) answered, before the message is recorded. */
    private void feedback(NumberGates.Gate gate, String recipient, long sentAt, SendResult result) {
        long now = gates.nanos();
        if (result instanceof SendResult.TransportFailure) {
            gate.circuit.onTransportFailure(!((SendResult.TransportFailure) result).requestMayHaveBeenSent(), now);
            return;
        }
        gate.circuit.onSuccess(now); // any answer means the uplink works
        if (result instanceof SendResult.Accepted) {
            gate.pacer.onSuccess(now);
            gate.pairs.onSuccess(recipient, now);
            return;
        }
        SendResult.MetaError error = (SendResult.MetaError) result;
        RetryClass retryClass = policy.retryClassOf(error);
        String why = "(#" + error.code() + ") " + error.title()
                + (error.details() == null || error.details().isEmpty() ? "" : ": " + error.details());
        switch (retryClass) {
            case THROTTLED_NUMBER:
                if (gate.pacer.onThrottled(sentAt, now)) {
                    log.info("number {} throttled by Meta (130429): pacing down to {} msg/s", gate.number.alias(),
                            String.format(java.util.Locale.ROOT, "%.1f", gate.pacer.currentRate()));
                }
                break;
            case THROTTLED_PAIR:
                gate.pairs.onPairThrottled(recipient, now);
                break;
            case MAINTENANCE:
                pause(gate, now, RetryPolicy.MAINTENANCE_DELAY_MS, why, error);
                break;
            case QUOTA:
                pause(gate, now, RetryPolicy.QUOTA_DELAY_MS, why, error);
                break;
            case AUTH:
            case POLICY:
                pause(gate, now, RetryPolicy.AUTH_PAUSE_MS, why, error);
                break;
            default:
                break;
        }
    }

    /** Stops the whole number for a while instead of failing its queue message by message. */
    private void pause(NumberGates.Gate gate, long now, long millis, String why, SendResult.MetaError error) {
        boolean wasPaused = gate.circuit.isPaused(now);
        gate.circuit.pause(now + TimeUnit.MILLISECONDS.toNanos(millis), why);
        if (!wasPaused) {
            numberPauses.inc();
            log.error("ALERT number {} ({}) paused for {} s: {}; its messages stay queued and it is tried again"
                    + " after the pause", gate.number.alias(), gate.number.phoneNumberId(), millis / 1000, why);
            long at = clock.getAsLong();
            Event alert = Event.newBuilder()
                    .setId("alert:number_paused:" + gate.number.phoneNumberId() + ":" + at)
                    .setKind(EventKind.ALERT)
                    .setOccurredAt(Timestamps.fromMillis(at))
                    .setNumber(gate.number.alias())
                    .setPhoneNumberId(gate.number.phoneNumberId())
                    .setAlert(Alert.newBuilder()
                            .setCode("number_paused")
                            .setMessage("number " + gate.number.alias() + " paused for " + millis / 1000 + " s: " + why
                                    + "; its messages stay queued")
                            .setError(errorOf(error, at))
                            .setUntil(Timestamps.fromMillis(at + millis)))
                    .build();
            outbox.eventLog().append(List.of(alert)).whenComplete((r, err) -> {
                if (err != null) {
                    log.warn("could not store the alert for number {}: {}", gate.number.alias(), err.toString());
                }
            });
        }
    }

    /**
     * Keeps a message back at the head of its conversation (so nothing behind it overtakes it):
     * stored HELD with when and why, no attempt spent, tried again at {@code a.heldUntil()}.
     */
    private CompletableFuture<Void> hold(ConversationScheduler.Entry e, Message m, MessagingLimits.Admission a,
                                         long now) {
        Message heldMessage = m.toBuilder().setState(State.HELD)
                .setHeldUntil(Timestamps.fromMillis(a.heldUntil()))
                .setHeldReason(a.reason())
                .setNextAttemptAt(Timestamps.fromMillis(a.heldUntil()))
                .setUpdatedAt(Timestamps.fromMillis(now))
                .build();
        return outbox.storeUpdate(heldMessage, false).handle((ok, err) -> {
            if (err != null) {
                log.warn("could not store HELD for {}: {}", m.getId(), err.toString());
                scheduler.release(e, clock.getAsLong() + STORE_RETRY_MS);
            } else {
                if (m.getState() != State.HELD) {
                    log.info("message {} held until {}: {}", m.getId(), Timestamps.toString(heldMessage.getHeldUntil()),
                            a.reason());
                }
                scheduler.release(e, a.heldUntil());
            }
            return null;
        });
    }

    private void undo(MessagingLimits.Reservation r) {
        MessagingLimits l = limits;
        if (l != null && r != null) {
            l.undo(r);
        }
    }

    private CompletableFuture<Void> record(ConversationScheduler.Entry e, Message sending, SendResult result,
                                           MessagingLimits.Reservation reached) {
        long now = clock.getAsLong();
        RetryDecision d = policy.decide(result, sending.getAttempts());
        Message.Builder next = sending.toBuilder().setUpdatedAt(Timestamps.fromMillis(now));
        boolean ended;
        long notBefore = 0;
        switch (d.kind()) {
            case SUBMITTED:
                SendResult.Accepted a = (SendResult.Accepted) result;
                next.setState(State.SUBMITTED).setWamid(a.wamid()).setSubmittedAt(Timestamps.fromMillis(now));
                if (a.waId() != null) {
                    next.setWaId(a.waId());
                }
                ended = true;
                break;
            case RETRY:
                notBefore = now + d.delayMillis();
                next.setState(State.QUEUED).setNextAttemptAt(Timestamps.fromMillis(notBefore))
                        .setLastError(errorOf(result, now));
                if (!d.spendsAttempt()) {
                    next.setAttempts(sending.getAttempts() - 1);
                }
                ended = false;
                break;
            case UNCERTAIN:
                // the request went out and no answer came: wait for a status carrying our id
                notBefore = now + d.delayMillis();
                next.setState(State.UNCERTAIN).setNextAttemptAt(Timestamps.fromMillis(notBefore))
                        .setLastError(errorOf(result, now));
                ended = false;
                break;
            default:
                next.setState(State.FAILED).setLastError(errorOf(result, now));
                ended = true;
        }
        Message updated = next.build();
        long releaseAt = notBefore;
        return outbox.storeUpdate(updated, ended).handle((ok, err) -> {
            if (err != null) {
                // the outcome is not durable: keep the message leased-out state on disk (SENDING)
                // and retry later; a restart would also resend it as a possible duplicate
                log.warn("could not store the outcome for {}: {}", updated.getId(), err.toString());
                scheduler.release(e, clock.getAsLong() + STORE_RETRY_MS);
                return null;
            }
            if (d.kind() == RetryDecision.Kind.RETRY || d.kind() == RetryDecision.Kind.FAIL) {
                undo(reached); // Meta refused it (or it never left): the user was not reached
            }
            switch (d.kind()) {
                case SUBMITTED:
                    submitted.inc();
                    scheduler.finish(e);
                    break;
                case RETRY:
                    retries.inc();
                    scheduler.release(e, releaseAt);
                    break;
                case UNCERTAIN:
                    uncertain.inc();
                    scheduler.release(e, releaseAt);
                    break;
                default:
                    failed.inc();
                    log.info("message {} failed: {}", updated.getId(), describe(updated.getLastError()));
                    scheduler.finish(e);
            }
            return null;
        });
    }

    private static String callbackData(Message m) {
        return CALLBACK_PREFIX + m.getId() + (m.getCallbackData().isEmpty() ? "" : ":" + m.getCallbackData());
    }

    private static MessageError errorOf(SendResult result, long now) {
        MessageError.Builder b = MessageError.newBuilder().setAt(Timestamps.fromMillis(now));
        if (result instanceof SendResult.MetaError) {
            SendResult.MetaError e = (SendResult.MetaError) result;
            b.setCode(e.code()).setHttpStatus(e.httpStatus()).setRetryable(e.retryClass().retryable());
            if (e.title() != null) {
                b.setTitle(e.title());
            }
            if (e.details() != null) {
                b.setDetails(e.details());
            }
            if (e.fbtraceId() != null) {
                b.setFbtraceId(e.fbtraceId());
            }
        } else if (result instanceof SendResult.TransportFailure) {
            SendResult.TransportFailure t = (SendResult.TransportFailure) result;
            b.setTitle(t.requestMayHaveBeenSent() ? "no answer from Meta" : "Meta unreachable")
                    .setDetails(t.description()).setRetryable(true);
        }
        return b.build();
    }

    private static String describe(MessageError e) {
        return "(#" + e.getCode() + ") " + e.getTitle() + (e.getDetails().isEmpty() ? "" : ": " + e.getDetails());
    }

    /** Stops leasing, then waits up to {@code drain} for requests in flight to be answered and recorded. */
    public void close(Duration drain) {
        running = false;
        scheduler.wakeAll();
        timer.shutdownNow();
        try {
            leaser.join(1000);
            long deadline = System.nanoTime() + drain.toNanos();
            while (inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        if (inFlight() > 0) {
            log.warn("{} requests to Meta were still unanswered at shutdown; they are resent after restart and"
                    + " marked possible_duplicate", inFlight());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
