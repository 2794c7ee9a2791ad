package io.wagate.policy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.ContactWindow;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.api.v1.WindowInfo;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.StoreException;
import io.wagate.store.WriteSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Customer-service windows per (our phone number, user), kept from inbound messages.
 *
 * <p>A window is keyed by the user's wa_id and, when Meta gives one, also by the business-scoped
 * user id, so a send addressed either way finds it. Updates only move times forward, so applying
 * the same inbound message twice, or two in any order, gives the same window.
 *
 * <p>The free entry point: an inbound message with a referral (click-to-WhatsApp ad, page CTA) at R,
 * and the business's first message to the user at S with R <= S <= R + 24 h (from its status
 * webhook, Meta's time), allow free-form messages until S + 72 h.
 *
 * <p>Thread-safe for reads; updates come from one thread (the status reconciler).
 */
public final class ContactWindows {
    /** How long a user message keeps the customer-service window open. */
    public static final Duration WINDOW = Duration.ofHours(24);
    /** How long after a referral the business's first reply opens a free entry point window. */
    public static final Duration REFERRAL_REPLY = Duration.ofHours(24);
    /** How long the free entry point window stays open after that first reply. */
    public static final Duration FREE_ENTRY_POINT = Duration.ofHours(72);

    private final Database db;

    public ContactWindows(Database db) {
        this.db = db;
    }

    /**
     * The window of this user with this number, by wa_id or business-scoped user id; an E.164
     * number ({@code +16505551234}) is looked up by its wa_id (the digits).
     */
    public Optional<ContactWindow> get(String phoneNumberId, String user) {
        byte[] v = db.get(ColumnFamily.CONTACT_WINDOWS, key(phoneNumberId, userKey(user)));
        return v == null ? Optional.empty() : Optional.of(decode(v));
    }

    /** The key a recipient's window is kept under: an E.164 number without its '+'. */
    public static String userKey(String user) {
        return user.startsWith("+") ? user.substring(1) : user;
    }

    /**
     * Whether a free-form message may be sent at {@code nowMillis} to the user of {@code window}
     * (empty: the user never wrote), and until when.
     *
     * @param user how the caller named the user, for the reason
     */
    public static WindowInfo evaluate(Optional<ContactWindow> window, String user, long nowMillis) {
        WindowInfo.Builder b = WindowInfo.newBuilder();
        if (window.isEmpty() || !window.get().hasLastInboundAt()) {
            return b.setFreeFormAllowed(false).setReason("user " + user + " never wrote to this number").build();
        }
        ContactWindow w = window.get();
        b.setWindow(w).setLastInboundAt(w.getLastInboundAt()).setWindowClosesAt(w.getWindowClosesAt());
        long until = Timestamps.toMillis(w.getWindowClosesAt());
        if (w.hasFirstReplyAfterReferralAt()) {
            Timestamp fep = Timestamps.add(w.getFirstReplyAfterReferralAt(),
                    com.google.protobuf.util.Durations.fromMillis(FREE_ENTRY_POINT.toMillis()));
            b.setFreeEntryPointUntil(fep);
            until = Math.max(until, Timestamps.toMillis(fep));
        }
        if (nowMillis < until) {
            return b.setFreeFormAllowed(true).setFreeFormUntil(Timestamps.fromMillis(until)).build();
        }
        String reason = "the customer-service window with user " + user + " closed at "
                + Timestamps.toString(w.getWindowClosesAt()) + " (24 h after the user's last message, "
                + Timestamps.toString(w.getLastInboundAt()) + ")";
        if (b.hasFreeEntryPointUntil()) {
            reason += "; the free entry point window closed at " + Timestamps.toString(b.getFreeEntryPointUntil());
        }
        return b.setFreeFormAllowed(false).setReason(reason).build();
    }

    /**
     * Adds the update a status of an outbound message makes to {@code w}: the business's first
     * message (sent, delivered or read; Meta's time) within 24 h after the user's latest referral
     * opens the free entry point window. Only that first reply is written, so most statuses write
     * nothing. {@code batch} holds windows already updated in the same batch.
     */
    public void onStatus(Event e, Map<String, ContactWindow> batch, WriteSet w) {
        StatusUpdate s = e.getStatus();
        String status = s.getStatus();
        if (e.getUser().isEmpty() || !(status.equals("sent") || status.equals("delivered") || status.equals("read"))) {
            return;
        }
        String primary = e.getPhoneNumberId() + '/' + e.getUser();
        ContactWindow current = batch.get(primary);
        if (current == null) {
            current = get(e.getPhoneNumberId(), e.getUser()).orElse(null);
        }
        if (current == null || !current.hasLastReferralAt()) {
            return;
        }
        Timestamp at = s.hasAt() ? s.getAt() : e.getStoredAt();
        Timestamp referral = current.getLastReferralAt();
        Timestamp latest = Timestamps.add(referral, com.google.protobuf.util.Durations.fromMillis(REFERRAL_REPLY.toMillis()));
        if (Timestamps.compare(at, referral) < 0 || Timestamps.compare(at, latest) > 0) {
            return;
        }
        if (current.hasFirstReplyAfterReferralAt()
                && Timestamps.compare(current.getFirstReplyAfterReferralAt(), referral) >= 0
                && Timestamps.compare(current.getFirstReplyAfterReferralAt(), at) <= 0) {
            return; // that referral's first reply is known already
        }
        ContactWindow updated = current.toBuilder().setFirstReplyAfterReferralAt(at).build();
        store(e.getPhoneNumberId(), e.getUser(), primary, updated, batch, w);
    }

    private void store(String phoneNumberId, String user, String primary, ContactWindow updated,
                       Map<String, ContactWindow> batch, WriteSet w) {
        batch.put(primary, updated);
        byte[] value = updated.toByteArray();
        w.put(ColumnFamily.CONTACT_WINDOWS, key(phoneNumberId, user), value);
        if (!updated.getUserId().isEmpty() && !updated.getUserId().equals(user)) {
            w.put(ColumnFamily.CONTACT_WINDOWS, key(phoneNumberId, updated.getUserId()), value);
            batch.put(phoneNumberId + '/' + updated.getUserId(), updated);
        }
        if (!updated.getWaId().isEmpty() && !updated.getWaId().equals(user)) {
            w.put(ColumnFamily.CONTACT_WINDOWS, key(phoneNumberId, updated.getWaId()), value);
            batch.put(phoneNumberId + '/' + updated.getWaId(), updated);
        }
    }

    /**
     * Adds the updates an inbound message makes to {@code w}; {@code batch} holds windows already
     * updated in the same batch (read before the store).
     */
    public void onInbound(Event e, Map<String, ContactWindow> batch, WriteSet w) {
        InboundMessage in = e.getInbound();
        if (e.getUser().isEmpty()) {
            return;
        }
        String primary = e.getPhoneNumberId() + '/' + e.getUser();
        ContactWindow current = batch.get(primary);
        if (current == null) {
            current = get(e.getPhoneNumberId(), e.getUser()).orElse(null);
        }
        Timestamp at = in.hasSentAt() ? in.getSentAt() : e.getStoredAt();
        ContactWindow.Builder b = current == null
                ? ContactWindow.newBuilder().setPhoneNumberId(e.getPhoneNumberId()).setUser(e.getUser())
                : current.toBuilder();
        if (!in.getFrom().isEmpty()) {
            b.setWaId(in.getFrom());
        }
        if (!in.getUserId().isEmpty()) {
            b.setUserId(in.getUserId());
        }
        if (!in.getProfileName().isEmpty()) {
            b.setProfileName(in.getProfileName());
        }
        if (!b.hasLastInboundAt() || Timestamps.compare(at, b.getLastInboundAt()) > 0) {
            b.setLastInboundAt(at)
                    .setWindowClosesAt(Timestamps.add(at, com.google.protobuf.util.Durations.fromMillis(WINDOW.toMillis())))
                    .setLastInboundWamid(in.getWamid());
        }
        if (in.hasReferral() && (!b.hasLastReferralAt() || Timestamps.compare(at, b.getLastReferralAt()) > 0)) {
            b.setLastReferralAt(at);
        }
        ContactWindow updated = b.build();
        if (updated.equals(current)) {
            return;
        }
        store(e.getPhoneNumberId(), e.getUser(), primary, updated, batch, w);
    }

    private static byte[] key(String phoneNumberId, String user) {
        return Keys.utf8(phoneNumberId + '/' + user);
    }

    private static ContactWindow decode(byte[] v) {
        try {
            return ContactWindow.parseFrom(v);
        } catch (InvalidProtocolBufferException ex) {
            throw new StoreException("a contact window record does not decode: " + ex.getMessage(), ex);
        }
    }
}
