package io.wagate.policy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.ContactWindow;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.InboundMessage;
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
 * <p>Thread-safe for reads; updates come from one thread (the status reconciler).
 */
public final class ContactWindows {
    /** How long a user message keeps the customer-service window open. */
    public static final Duration WINDOW = Duration.ofHours(24);

    private final Database db;

    public ContactWindows(Database db) {
        this.db = db;
    }

    /** The window of this user with this number, by wa_id or business-scoped user id. */
    public Optional<ContactWindow> get(String phoneNumberId, String user) {
        byte[] v = db.get(ColumnFamily.CONTACT_WINDOWS, key(phoneNumberId, user));
        return v == null ? Optional.empty() : Optional.of(decode(v));
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
        batch.put(primary, updated);
        byte[] value = updated.toByteArray();
        w.put(ColumnFamily.CONTACT_WINDOWS, key(e.getPhoneNumberId(), e.getUser()), value);
        if (!updated.getUserId().isEmpty() && !updated.getUserId().equals(e.getUser())) {
            w.put(ColumnFamily.CONTACT_WINDOWS, key(e.getPhoneNumberId(), updated.getUserId()), value);
        }
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
