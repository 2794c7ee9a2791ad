package io.wagate.policy;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.ConsentChange;
import io.wagate.api.v1.ConsentRecord;
import io.wagate.api.v1.ConsentSource;
import io.wagate.api.v1.ConsentState;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.MessageError;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.events.EventLog;
import io.wagate.events.LogFollower;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Database;
import io.wagate.store.Keys;
import io.wagate.store.WriteSet;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ConsentRegistry} from the event log: an inbound text that is a configured
 * keyword (STOP, PARAR...) opts the user out or in; a {@code failed} status with 131050 opts the
 * recipient out; Meta's {@code user_preferences} webhook ({@code marketing_messages} {@code stop}
 * or {@code resume}) opts out or in.
 *
 * <p>An internal reader of the event log with its own durable cursor in {@code event_cursors},
 * written in the same batch as the consent changes it made; after a crash it reads the last events
 * again, which changes nothing (see {@link ConsentRegistry#apply}).
 *
 * <p>Threading: one thread, {@value #THREAD_NAME}, woken when the log's head moves.
 */
public final class ConsentFollower implements AutoCloseable {
    public static final String THREAD_NAME = "wagate-consent";
    /** Consent changes made from events, by source. */
    public static final String CHANGES = "policy.consent.changes";
    static final byte[] CURSOR_KEY = Keys.utf8("consent-follower");
    private static final int BATCH = 1_000;
    private static final Logger log = LoggerFactory.getLogger(ConsentFollower.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final EventLog eventLog;
    private final ConsentRegistry registry;
    private final ConsentKeywords keywords;
    private final Counter changes;
    private final LogFollower follower;

    public ConsentFollower(Database db, EventLog eventLog, ConsentRegistry registry, ConsentKeywords keywords,
                           MetricRegistry metrics) {
        this.db = db;
        this.eventLog = eventLog;
        this.registry = registry;
        this.keywords = keywords;
        this.changes = metrics.counter(CHANGES);
        this.follower = new LogFollower(db, eventLog, THREAD_NAME, CURSOR_KEY, "following consent from events",
                this::applyBatch);
    }

    public void start() {
        follower.start();
    }

    /** The next offset to read; everything below is applied. */
    public long cursor() {
        return follower.cursor();
    }

    private static boolean relevant(Event e) {
        return switch (e.getKind()) {
            case INBOUND_MESSAGE -> e.getInbound().hasText();
            case STATUS -> "failed".equals(e.getStatus().getStatus());
            case ACCOUNT_UPDATE -> "user_preferences".equals(e.getAccountUpdate().getField());
            default -> false;
        };
    }

    /** Applies one page from {@code cursor}; returns the next cursor. */
    private long applyBatch(long cursor) {
        EventLog.Page page = eventLog.read(cursor, BATCH, BATCH, ConsentFollower::relevant);
        if (page.nextOffset() == cursor) {
            return cursor;
        }
        WriteSet w = new WriteSet();
        Map<String, ConsentRecord> batch = new HashMap<>();
        synchronized (registry.lock()) {
            for (Event e : page.events()) {
                if (e.getKind() == EventKind.INBOUND_MESSAGE) {
                    onInbound(e, batch, w);
                } else if (e.getKind() == EventKind.STATUS) {
                    onFailed(e, batch, w);
                } else {
                    onUserPreferences(e, batch, w);
                }
            }
            w.put(ColumnFamily.EVENT_CURSORS, CURSOR_KEY, Keys.u64(page.nextOffset()));
            db.writeUnsynced(w);
        }
        return page.nextOffset();
    }

    private void onInbound(Event e, Map<String, ConsentRecord> batch, WriteSet w) {
        InboundMessage in = e.getInbound();
        Optional<ConsentKeywords.Match> m = keywords.match(in.getText().getBody());
        if (m.isEmpty()) {
            return;
        }
        ConsentChange c = ConsentChange.newBuilder().setState(m.get().state())
                .setSource(ConsentSource.CONSENT_SOURCE_KEYWORD)
                .setAt(in.hasSentAt() ? in.getSentAt() : e.getStoredAt())
                .setKeyword(m.get().describe())
                .setMessageId(in.getWamid())
                .build();
        String user = in.getFrom().isEmpty() ? e.getUser() : in.getFrom();
        record(e.getPhoneNumberId(), user, c, batch, w);
    }

    private void onFailed(Event e, Map<String, ConsentRecord> batch, WriteSet w) {
        StatusUpdate s = e.getStatus();
        for (MessageError err : s.getErrorsList()) {
            if (err.getCode() == ConsentCheck.META_OPTED_OUT) {
                ConsentChange c = ConsentChange.newBuilder().setState(ConsentState.OPTED_OUT)
                        .setSource(ConsentSource.CONSENT_SOURCE_META_131050)
                        .setAt(s.hasAt() ? s.getAt() : e.getStoredAt())
                        .setMessageId(s.getMessageId().isEmpty() ? s.getWamid() : s.getMessageId())
                        .setNote(err.getDetails().isEmpty() ? err.getTitle() : err.getDetails())
                        .build();
                String user = s.getRecipientId().isEmpty() ? e.getUser() : s.getRecipientId();
                record(e.getPhoneNumberId(), user, c, batch, w);
                return;
            }
        }
    }

    /**
     * Meta's payload: {@code {"user_preferences": [{"wa_id": "...", "detail": "...", "category":
     * "marketing_messages", "value": "stop"|"resume", "timestamp": 1700000000}], "metadata": {...}}}.
     */
    private void onUserPreferences(Event e, Map<String, ConsentRecord> batch, WriteSet w) {
        JsonNode value;
        try {
            value = JSON.readTree(e.getAccountUpdate().getValueJson());
        } catch (IOException ex) {
            log.warn("user_preferences event {} is not JSON; ignored", e.getId());
            return;
        }
        for (JsonNode p : value.path("user_preferences")) {
            String category = p.path("category").asText("");
            String v = p.path("value").asText("");
            if (!category.equals("marketing_messages") || !(v.equals("stop") || v.equals("resume"))) {
                continue;
            }
            String user = p.path("wa_id").asText("");
            if (user.isEmpty()) {
                user = p.path("user_id").asText("");
            }
            long seconds = p.path("timestamp").asLong(0);
            Timestamp at = seconds > 0 ? Timestamps.fromSeconds(seconds)
                    : e.hasOccurredAt() ? e.getOccurredAt() : e.getStoredAt();
            ConsentChange c = ConsentChange.newBuilder()
                    .setState(v.equals("stop") ? ConsentState.OPTED_OUT : ConsentState.OPTED_IN)
                    .setSource(ConsentSource.CONSENT_SOURCE_USER_PREFERENCES)
                    .setAt(at)
                    .setMessageId(e.getId())
                    .setNote(p.path("detail").asText(""))
                    .build();
            record(e.getPhoneNumberId(), user, c, batch, w);
        }
    }

    private void record(String phoneNumberId, String user, ConsentChange c, Map<String, ConsentRecord> batch,
                        WriteSet w) {
        if (registry.apply(phoneNumberId, user, c, batch, w).isPresent()) {
            changes.inc();
            log.info("user {} {} with number {} ({})", user,
                    c.getState() == ConsentState.OPTED_OUT ? "opted out" : "opted in", phoneNumberId,
                    ConsentCheck.describe(c));
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
