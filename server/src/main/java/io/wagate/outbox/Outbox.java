package io.wagate.outbox;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.ListMessagesRequest;
import io.wagate.api.v1.ListMessagesResponse;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.Priority;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendResponse;
import io.wagate.api.v1.State;
import io.wagate.config.OutboxConfig;
import io.wagate.events.EventLog;
import io.wagate.store.WriteSet;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts messages and answers questions about them; owns the {@link ConversationScheduler} the
 * dispatcher leases from.
 *
 * <p>{@link #accept} completes only after the message (and its idempotency key, in the same
 * atomic write) is synced to disk. Concurrent sends with one idempotency key make one message:
 * the first caller writes, the others wait for its result and get the same id.
 *
 * <p>Thread-safe.
 */
public final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    /** Messages a List call reads at most before answering with a page token. */
    static final int LIST_SCAN_BUDGET = 20_000;
    private static final Set<State> ENDED = EnumSet.of(State.SUBMITTED, State.SENT, State.DELIVERED, State.READ,
            State.PLAYED, State.FAILED, State.EXPIRED, State.CANCELLED);

    private static final Set<State> ENDS_WITH_EVENT = EnumSet.of(State.FAILED, State.EXPIRED, State.CANCELLED);

    private final OutboxConfig config;
    private final OutboxStore store;
    private final EventLog events;
    private final ConversationScheduler scheduler;
    private final MessageIds ids = new MessageIds();
    private final LongSupplier clock;
    private final ConcurrentMap<String, CompletableFuture<SendResponse>> keysInFlight = new ConcurrentHashMap<>();
    /** Idempotency keys accepted before this time are gone; kept in memory so the sweep never re-reads its own tombstones. */
    private long keysForgottenUntil;

    /** @param clock epoch milliseconds */
    public Outbox(OutboxConfig config, OutboxStore store, EventLog events, LongSupplier clock) {
        this.config = config;
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.scheduler = new ConversationScheduler(clock);
    }

    /** Whether a message in this state has ended (left the outbox). */
    public static boolean isEnded(State s) {
        return ENDED.contains(s);
    }

    /** What {@link #recover} found. */
    public record Recovery(int pending, int wereInFlight) {
    }

    /**
     * Rebuilds the schedule from the {@code pending} records alone. Messages that were SENDING when
     * the process stopped may have reached Meta: they become UNCERTAIN and are sent again only if
     * no status for them arrives within {@code reconciliationWindow} (then marked
     * {@code possible_duplicate}), so the contract (at least once) holds.
     */
    public Recovery recover(Duration reconciliationWindow) {
        ids.advancePast(store.maxId());
        int[] counts = new int[2];
        store.forEachPending(m -> {
            Message pending = m;
            if (m.getState() == State.SENDING) {
                Message full = store.get(MessageIds.parse(m.getId()));
                pending = (full == null ? m : full).toBuilder()
                        .setState(State.UNCERTAIN)
                        .setNextAttemptAt(Timestamps.fromMillis(clock.getAsLong() + reconciliationWindow.toMillis()))
                        .setUpdatedAt(now())
                        .build();
                store.update(pending, false).join();
                counts[1]++;
            }
            scheduler.add(entryOf(pending));
            counts[0]++;
        });
        if (counts[1] > 0) {
            log.warn("{} messages were in flight to Meta when Wagate last stopped; they are UNCERTAIN and are sent"
                    + " again (marked possible_duplicate) unless a status for them arrives first", counts[1]);
        }
        return new Recovery(counts[0], counts[1]);
    }

    /**
     * Stores a validated message. For a repeated idempotency key returns the first message
     * ({@code duplicate=true}) and stores nothing.
     *
     * @param client the caller's identity (idempotency keys are per client)
     */
    public CompletableFuture<SendResponse> accept(SendRequestValidator.Validated v, String client) {
        return accept(v, client, "");
    }

    /**
     * As {@link #accept(SendRequestValidator.Validated, String)}, recording the category of the
     * template the send uses (MARKETING, UTILITY, AUTHENTICATION, as the catalogue knew it; "" when
     * unknown or not a template), which the messaging limit looks at when it is dispatched.
     */
    public CompletableFuture<SendResponse> accept(SendRequestValidator.Validated v, String client,
                                                  String templateCategory) {
        SendRequest r = v.request();
        if (r.getIdempotencyKey().isEmpty()) {
            return insert(v, null, templateCategory);
        }
        byte[] key = OutboxStore.idempotencyKey(client, r.getIdempotencyKey());
        String mapKey = client + '\0' + r.getIdempotencyKey();
        CompletableFuture<SendResponse> mine = new CompletableFuture<>();
        CompletableFuture<SendResponse> first = keysInFlight.putIfAbsent(mapKey, mine);
        if (first != null) {
            return first.thenApply(this::asDuplicate);
        }
        try {
            OptionalLong existing = store.findIdempotent(key,
                    clock.getAsLong() - config.idempotencyWindow().toMillis());
            CompletableFuture<SendResponse> result;
            if (existing.isPresent()) {
                Message m = store.get(existing.getAsLong());
                result = CompletableFuture.completedFuture(SendResponse.newBuilder()
                        .setId(m.getId()).setState(m.getState()).setDuplicate(true).build());
            } else {
                result = insert(v, key, templateCategory);
            }
            result.whenComplete((ok, err) -> {
                keysInFlight.remove(mapKey, mine);
                if (err != null) {
                    mine.completeExceptionally(err);
                } else {
                    mine.complete(ok);
                }
            });
            return result;
        } catch (RuntimeException e) {
            keysInFlight.remove(mapKey, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * The first message of a repeated idempotency key, if {@code client} used it within the dedupe
     * window (or is storing it right now); empty otherwise. For callers that must answer a repeat
     * as its first send was answered even when the send would now be refused (a closed window).
     */
    public java.util.Optional<SendResponse> duplicateOf(String idempotencyKey, String client) {
        if (idempotencyKey.isEmpty()) {
            return java.util.Optional.empty();
        }
        CompletableFuture<SendResponse> inFlight = keysInFlight.get(client + '\0' + idempotencyKey);
        if (inFlight != null) {
            return java.util.Optional.of(asDuplicate(inFlight.join()));
        }
        OptionalLong existing = store.findIdempotent(OutboxStore.idempotencyKey(client, idempotencyKey),
                clock.getAsLong() - config.idempotencyWindow().toMillis());
        if (existing.isEmpty()) {
            return java.util.Optional.empty();
        }
        Message m = store.get(existing.getAsLong());
        return java.util.Optional.of(SendResponse.newBuilder().setId(m.getId()).setState(m.getState())
                .setDuplicate(true).build());
    }

    private SendResponse asDuplicate(SendResponse first) {
        Message now = store.get(MessageIds.parse(first.getId()));
        return first.toBuilder().setDuplicate(true).setState(now == null ? first.getState() : now.getState()).build();
    }

    private CompletableFuture<SendResponse> insert(SendRequestValidator.Validated v, byte[] idempotencyKey,
                                                   String templateCategory) {
        if (scheduler.size() >= config.maxPending()) {
            throw new QueueFullException(config.maxPending());
        }
        long nowMillis = clock.getAsLong();
        long id = ids.next(nowMillis);
        SendRequest r = v.request();
        Message m = Message.newBuilder()
                .setId(MessageIds.format(id))
                .setFrom(v.number().phoneNumberId())
                .setFromAlias(v.number().alias())
                .setTo(r.getTo())
                .setState(State.ACCEPTED)
                .setPriority(r.getPriority() == Priority.PRIORITY_UNSPECIFIED ? Priority.PRIORITY_NORMAL
                        : r.getPriority())
                .setIdempotencyKey(r.getIdempotencyKey())
                .setReplyTo(r.getReplyTo())
                .setCallbackData(r.getCallbackData())
                .setAcceptedAt(Timestamps.fromMillis(nowMillis))
                .setUpdatedAt(Timestamps.fromMillis(nowMillis))
                .setExpiresAt(Timestamps.fromMillis(nowMillis + v.validity().toMillis()))
                .setRequest(r)
                .setTemplateCategory(templateCategory)
                .build();
        return store.insert(m, idempotencyKey).thenApply(ignored -> {
            scheduler.add(entryOf(m));
            return SendResponse.newBuilder().setId(m.getId()).setState(State.ACCEPTED).build();
        });
    }

    /** @throws MessageNotFoundException when unknown or malformed */
    public Message get(String id) {
        long numeric;
        try {
            numeric = MessageIds.parse(id);
        } catch (IllegalArgumentException e) {
            throw new MessageNotFoundException(id);
        }
        Message m = store.get(numeric);
        if (m == null) {
            throw new MessageNotFoundException(id);
        }
        return m;
    }

    /**
     * Messages newest first. Reads at most {@link #LIST_SCAN_BUDGET} messages per call, so a
     * selective filter over a long history answers with fewer results and a page token rather
     * than scanning everything.
     */
    public ListMessagesResponse list(ListMessagesRequest r, String fromPhoneNumberId) {
        int pageSize = r.getPageSize() <= 0 ? 50 : Math.min(r.getPageSize(), 1000);
        long from = r.hasAcceptedAfter() ? MessageIds.firstIdAt(Timestamps.toMillis(r.getAcceptedAfter())) : 0;
        long to = r.hasAcceptedBefore() ? MessageIds.firstIdAt(Timestamps.toMillis(r.getAcceptedBefore()))
                : Long.MAX_VALUE;
        if (!r.getPageToken().isEmpty()) {
            try {
                to = Math.min(to, MessageIds.parse(r.getPageToken()));
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.of("page_token", "is not a token from a previous response");
            }
        }
        Set<State> states = r.getStatesList().isEmpty() ? null : EnumSet.copyOf(r.getStatesList());
        ListMessagesResponse.Builder out = ListMessagesResponse.newBuilder();
        long[] lastSeen = {-1};
        int[] scanned = {0};
        store.scanNewestFirst(r.getTo(), from, to, (id, m) -> {
            lastSeen[0] = id;
            if (++scanned[0] > LIST_SCAN_BUDGET) {
                out.setNextPageToken(MessageIds.format(id + 1));
                return false;
            }
            if ((states == null || states.contains(m.getState()))
                    && (fromPhoneNumberId == null || fromPhoneNumberId.equals(m.getFrom()))) {
                if (out.getMessagesCount() == pageSize) {
                    out.setNextPageToken(MessageIds.format(id + 1));
                    return false;
                }
                out.addMessages(m);
            }
            return true;
        });
        return out.build();
    }

    /**
     * Cancels a message that was not yet handed to Meta.
     *
     * @throws WrongStateException when it is being sent or has ended (other than cancelled)
     */
    public CompletableFuture<Message> cancel(String id) {
        Message m = get(id);
        if (m.getState() == State.CANCELLED) {
            return CompletableFuture.completedFuture(m);
        }
        long numeric = MessageIds.parse(id);
        switch (scheduler.claim(numeric)) {
            case LEASED:
                throw new WrongStateException("message " + id + " is being sent to Meta and can no longer be cancelled");
            case UNKNOWN:
                Message current = get(id);
                if (current.getState() == State.CANCELLED) {
                    return CompletableFuture.completedFuture(current);
                }
                throw new WrongStateException("message " + id + " is " + current.getState()
                        + " and can no longer be cancelled");
            default:
                break;
        }
        ConversationScheduler.Entry e = scheduler.entry(numeric);
        Message cancelled = get(id).toBuilder().setState(State.CANCELLED).setUpdatedAt(now())
                .clearNextAttemptAt().clearHeldUntil().clearHeldReason().build();
        return endClaimed(e, cancelled);
    }

    /**
     * Stores the end of a claimed message, then takes it out of its conversation; if the write
     * fails, gives the entry back to the scheduler and fails the future with the store's error.
     */
    private CompletableFuture<Message> endClaimed(ConversationScheduler.Entry e, Message ended) {
        return storeUpdate(ended, true).handle((ok, err) -> {
            if (err != null) {
                scheduler.unclaim(e);
                throw err instanceof RuntimeException ? (RuntimeException) err : new IllegalStateException(err);
            }
            scheduler.finish(e);
            return ended;
        });
    }

    /**
     * A status webhook proved Meta has a message that is still waiting here: UNCERTAIN (its
     * answer was lost), or QUEUED/ACCEPTED again after a resend attempt failed. It becomes
     * SUBMITTED with Meta's wamid, leaves its conversation and is never sent again.
     *
     * @return true when the message was waiting and is now SUBMITTED; false when it is being sent
     *         at this moment (try again once that attempt is recorded) or has already ended
     */
    public CompletableFuture<Boolean> resolveUncertain(String id, String wamid) {
        Message m = get(id);
        if (isEnded(m.getState()) || scheduler.claim(MessageIds.parse(id)) != ConversationScheduler.Claim.CLAIMED) {
            return CompletableFuture.completedFuture(false);
        }
        ConversationScheduler.Entry e = scheduler.entry(MessageIds.parse(id));
        Message current = get(id);
        if (isEnded(current.getState()) || current.getState() == State.SENDING) {
            scheduler.unclaim(e);
            return CompletableFuture.completedFuture(false);
        }
        long nowMillis = clock.getAsLong();
        Message submitted = current.toBuilder().setState(State.SUBMITTED).setWamid(wamid)
                .setSubmittedAt(Timestamps.fromMillis(nowMillis)).setUpdatedAt(Timestamps.fromMillis(nowMillis))
                .clearNextAttemptAt().build();
        return endClaimed(e, submitted).thenApply(ended -> true);
    }

    /** Expires every waiting message whose validity elapsed; returns how many. */
    public int expireDue() {
        List<ConversationScheduler.Entry> due = scheduler.claimExpired();
        for (ConversationScheduler.Entry e : due) {
            Message m = store.get(e.id());
            Message expired = m.toBuilder().setState(State.EXPIRED).setUpdatedAt(now()).clearNextAttemptAt()
                    .clearHeldUntil().clearHeldReason().build();
            endClaimed(e, expired).whenComplete((ok, err) -> {
                if (err != null) {
                    log.warn("could not store expiry of {}: {}", m.getId(), err.toString());
                }
            });
        }
        return due.size();
    }

    /**
     * Forgets idempotency keys older than the dedupe window, at most {@code limit} per call so it
     * can run often without long pauses; returns how many it forgot.
     */
    public synchronized int forgetExpiredKeys(int limit) {
        long before = clock.getAsLong() - config.idempotencyWindow().toMillis();
        if (before <= keysForgottenUntil) {
            return 0;
        }
        OutboxStore.KeySweep sweep = store.forgetIdempotencyKeys(keysForgottenUntil, before, limit);
        keysForgottenUntil = sweep.resumeFromMillis();
        return sweep.forgotten();
    }

    /**
     * Stores a new state of a message; when that state ends it inside the appliance (FAILED,
     * EXPIRED, CANCELLED), the {@code OUTBOUND_ENDED} event is stored in the same atomic write, so
     * every end is reported exactly when it is durable.
     */
    public CompletableFuture<Void> storeUpdate(Message m, boolean ended) {
        WriteSet w = store.updateOf(m, ended);
        if (!ENDS_WITH_EVENT.contains(m.getState())) {
            return store.write(w);
        }
        return events.appendWith(w, List.of(OutboundEvents.ended(m))).thenApply(r -> null);
    }

    public EventLog eventLog() {
        return events;
    }

    public ConversationScheduler scheduler() {
        return scheduler;
    }

    public OutboxStore store() {
        return store;
    }

    private Timestamp now() {
        return Timestamps.fromMillis(clock.getAsLong());
    }

    private static ConversationScheduler.Entry entryOf(Message m) {
        int lane;
        switch (m.getPriority()) {
            case PRIORITY_HIGH:
                lane = 0;
                break;
            case PRIORITY_BULK:
                lane = 2;
                break;
            default:
                lane = 1;
        }
        long notBefore = m.hasNextAttemptAt() ? Timestamps.toMillis(m.getNextAttemptAt()) : 0;
        return new ConversationScheduler.Entry(MessageIds.parse(m.getId()),
                ConversationScheduler.conversationKey(m.getFrom(), m.getTo()), lane,
                Timestamps.toMillis(m.getExpiresAt()), notBefore);
    }
}
