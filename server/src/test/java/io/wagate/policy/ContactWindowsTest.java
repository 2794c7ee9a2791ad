package io.wagate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.ContactWindow;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.Referral;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.api.v1.WindowInfo;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import io.wagate.store.WriteSet;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windows and the free entry point on a real RocksDB, applied as the status reconciler applies them. */
class ContactWindowsTest {
    private static final String PN = "100000000000001";
    private static final String USER = "16505551234";
    private static final long H = 3_600_000L;
    private static final long T0 = 1_900_000_000_000L;

    @TempDir
    Path dir;
    private Database db;
    private ContactWindows windows;

    @BeforeEach
    void open() {
        db = Database.open(StoreOptions.defaults(dir.resolve("db")));
        windows = new ContactWindows(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void inbound(long at, boolean referral) {
        InboundMessage.Builder in = InboundMessage.newBuilder().setWamid("w" + at).setFrom(USER).setUserId("US.1")
                .setSentAt(Timestamps.fromMillis(at));
        if (referral) {
            in.setReferral(Referral.newBuilder().setSourceType("ad"));
        }
        apply(Event.newBuilder().setKind(EventKind.INBOUND_MESSAGE).setPhoneNumberId(PN).setUser(USER).setInbound(in)
                .build(), true);
    }

    private void status(String status, long at) {
        apply(Event.newBuilder().setKind(EventKind.STATUS).setPhoneNumberId(PN).setUser(USER)
                .setStatus(StatusUpdate.newBuilder().setStatus(status).setRecipientId(USER).setAt(Timestamps.fromMillis(at)))
                .build(), false);
    }

    private void apply(Event e, boolean in) {
        WriteSet w = new WriteSet();
        Map<String, ContactWindow> batch = new HashMap<>();
        if (in) {
            windows.onInbound(e, batch, w);
        } else {
            windows.onStatus(e, batch, w);
        }
        if (!w.isEmpty()) {
            db.writeUnsynced(w);
        }
    }

    private WindowInfo at(long now) {
        return ContactWindows.evaluate(windows.get(PN, "+" + USER), "+" + USER, now);
    }

    @Test
    void window_opensFor24h_movesForwardOnly() {
        assertFalse(at(T0).getFreeFormAllowed());
        inbound(T0, false);
        assertTrue(at(T0 + 24 * H - 1).getFreeFormAllowed());
        assertFalse(at(T0 + 24 * H).getFreeFormAllowed());
        inbound(T0 - 5 * H, false); // older message, applied late: no change
        assertEquals(Timestamps.fromMillis(T0 + 24 * H), at(T0).getWindowClosesAt());
        inbound(T0 + 30 * H, false);
        assertTrue(at(T0 + 31 * H).getFreeFormAllowed());
        assertEquals(windows.get(PN, USER), windows.get(PN, "US.1"), "kept under the business-scoped id too");
    }

    @Test
    void freeEntryPoint_firstReplyWithin24hOfReferral() {
        inbound(T0, true);
        status("sent", T0 - H); // before the referral: not a reply to it
        assertFalse(at(T0).hasFreeEntryPointUntil());
        status("delivered", T0 + 3 * H);
        assertEquals(Timestamps.fromMillis(T0 + 75 * H), at(T0).getFreeEntryPointUntil());
        status("sent", T0 + 2 * H); // the same message's sent status arriving after delivered: earlier, still valid
        assertEquals(Timestamps.fromMillis(T0 + 74 * H), at(T0).getFreeEntryPointUntil());
        status("sent", T0 + 10 * H); // later replies do not move it
        assertEquals(Timestamps.fromMillis(T0 + 74 * H), at(T0).getFreeEntryPointUntil());
        assertTrue(at(T0 + 74 * H - 1).getFreeFormAllowed());
        WindowInfo closed = at(T0 + 74 * H);
        assertFalse(closed.getFreeFormAllowed());
        assertTrue(closed.getReason().contains("free entry point window closed"), closed.getReason());
    }

    @Test
    void freeEntryPoint_notWhenFirstReplyLate_orStatusFailed() {
        inbound(T0, true);
        status("failed", T0 + H);
        status("sent", T0 + 25 * H);
        assertFalse(at(T0).hasFreeEntryPointUntil());
        // a new referral: its own first reply counts
        inbound(T0 + 30 * H, true);
        status("sent", T0 + 31 * H);
        assertEquals(Timestamps.fromMillis(T0 + 103 * H), at(T0).getFreeEntryPointUntil());
    }

    @Test
    void statusWithoutWindow_writesNothing() {
        status("sent", T0);
        assertEquals(Optional.empty(), windows.get(PN, USER));
    }
}
