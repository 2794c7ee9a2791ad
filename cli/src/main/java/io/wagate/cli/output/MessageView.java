package io.wagate.cli.output;

import com.google.protobuf.Timestamp;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessageError;
import io.wagate.api.v1.Priority;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * How a {@link Message} looks to people: one table row for {@code messages list}, a key/value
 * block for {@code messages get}. Times are UTC ISO-8601 to the second.
 */
public final class MessageView {

  /** Column headers of {@link #row}. */
  public static final List<String> HEADERS =
      List.of("ID", "STATE", "FROM", "TO", "TYPE", "ATTEMPTS", "ACCEPTED", "WAMID/LAST ERROR");

  private static final int SUMMARY_CHARS = 60;

  private MessageView() {}

  /** A table of messages with {@link #HEADERS}. */
  public static TextTable table(List<Message> messages) {
    TextTable table = new TextTable(HEADERS.toArray(new String[0]));
    for (Message m : messages) {
      table.row(row(m));
    }
    return table;
  }

  /** One row: id, state, from, to, type, attempts, accepted, wamid or last error. */
  public static String[] row(Message m) {
    return new String[] {
      m.getId(),
      state(m.getState()),
      m.getFromAlias().isEmpty() ? m.getFrom() : m.getFromAlias(),
      m.getTo(),
      type(m.getRequest()),
      Integer.toString(m.getAttempts()),
      time(m.hasAcceptedAt() ? m.getAcceptedAt() : null),
      wamidOrError(m)
    };
  }

  /** The key/value view of one message. */
  public static void printDetail(Message m, PrintWriter out) {
    TextTable t = TextTable.keyValue();
    t.row("id", m.getId());
    t.row("state", state(m.getState()) + (m.getPossibleDuplicate() ? " (possible duplicate)" : ""));
    t.row("from", m.getFromAlias().isEmpty() ? m.getFrom() : m.getFromAlias() + " (" + m.getFrom() + ")");
    t.row("to", m.getTo() + (m.getWaId().isEmpty() ? "" : " (wa_id " + m.getWaId() + ")"));
    t.row("type", type(m.getRequest()));
    t.row("content", contentSummary(m.getRequest()));
    t.row("priority", priority(m.getPriority()));
    t.row("attempts", Integer.toString(m.getAttempts()));
    t.row("accepted", time(m.hasAcceptedAt() ? m.getAcceptedAt() : null));
    t.row("updated", time(m.hasUpdatedAt() ? m.getUpdatedAt() : null));
    t.row("submitted", time(m.hasSubmittedAt() ? m.getSubmittedAt() : null));
    t.row("next attempt", time(m.hasNextAttemptAt() ? m.getNextAttemptAt() : null));
    if (m.hasHeldUntil()) {
      t.row("held until", time(m.getHeldUntil()));
      t.row("held because", m.getHeldReason());
    }
    t.row("expires", time(m.hasExpiresAt() ? m.getExpiresAt() : null));
    t.row("wamid", m.getWamid());
    t.row("last error", m.hasLastError() ? error(m.getLastError()) : null);
    t.row("idempotency key", m.getIdempotencyKey());
    t.row("reply to", m.getReplyTo());
    t.row("callback data", m.getCallbackData());
    t.print(out);
  }

  /** The state's name, {@code -} when unset. */
  public static String state(State s) {
    return s == State.STATE_UNSPECIFIED ? "-" : s.name();
  }

  /** {@code high}, {@code normal} or {@code bulk}; unspecified reads as normal, as the server treats it. */
  public static String priority(Priority p) {
    switch (p) {
      case PRIORITY_HIGH:
        return "high";
      case PRIORITY_BULK:
        return "bulk";
      default:
        return "normal";
    }
  }

  /** The content type: {@code text}, {@code template}, {@code image}, ... or {@code -}. */
  public static String type(SendRequest r) {
    SendRequest.ContentCase c = r.getContentCase();
    return c == SendRequest.ContentCase.CONTENT_NOT_SET ? "-" : c.name().toLowerCase(Locale.ROOT);
  }

  /** A one-line summary of the content, shortened to about 60 characters. */
  public static String contentSummary(SendRequest r) {
    String s;
    switch (r.getContentCase()) {
      case TEXT:
        s = quote(r.getText().getBody());
        break;
      case TEMPLATE:
        s = r.getTemplate().getName() + " (" + r.getTemplate().getLanguage() + ")";
        break;
      case IMAGE:
        s = media(r.getImage());
        break;
      case AUDIO:
        s = media(r.getAudio());
        break;
      case VIDEO:
        s = media(r.getVideo());
        break;
      case DOCUMENT:
        s = media(r.getDocument());
        break;
      case STICKER:
        s = media(r.getSticker());
        break;
      case LOCATION:
        s = r.getLocation().getLatitude() + "," + r.getLocation().getLongitude()
            + (r.getLocation().getName().isEmpty() ? "" : " " + quote(r.getLocation().getName()));
        break;
      case CONTACTS:
        s = r.getContacts().getContactsCount() + " contact(s)";
        break;
      case INTERACTIVE:
        s = r.getInteractive().getActionCase().name().toLowerCase(Locale.ROOT) + " " + quote(r.getInteractive().getBody());
        break;
      case REACTION:
        s = (r.getReaction().getEmoji().isEmpty() ? "(remove)" : r.getReaction().getEmoji())
            + " to " + r.getReaction().getMessageId();
        break;
      default:
        return "-";
    }
    return shorten(s);
  }

  /** A timestamp as UTC ISO-8601 to the second; {@code -} when null or zero. */
  public static String time(Timestamp t) {
    if (t == null || (t.getSeconds() == 0 && t.getNanos() == 0)) {
      return "-";
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The last error as {@code code title: details}. */
  public static String error(MessageError e) {
    StringBuilder b = new StringBuilder();
    b.append(e.getCode()).append(' ').append(e.getTitle());
    if (!e.getDetails().isEmpty()) {
      b.append(": ").append(e.getDetails());
    }
    if (e.getHttpStatus() != 0) {
      b.append(" (http ").append(e.getHttpStatus()).append(e.getRetryable() ? ", retryable)" : ")");
    }
    return b.toString();
  }

  private static String wamidOrError(Message m) {
    boolean showError =
        m.hasLastError() && (m.getWamid().isEmpty() || m.getState() == State.FAILED || m.getState() == State.QUEUED);
    if (showError) {
      return shorten(m.getLastError().getCode() + " " + m.getLastError().getTitle());
    }
    return m.getWamid();
  }

  private static String media(Media m) {
    String source = m.getSourceCase() == Media.SourceCase.LINK ? m.getLink() : "media " + m.getId();
    return source + (m.getCaption().isEmpty() ? "" : " " + quote(m.getCaption()));
  }

  /** {@code s} in double quotes, line breaks as spaces. */
  static String quote(String s) {
    return '"' + s.replace("\n", " ") + '"';
  }

  private static String shorten(String s) {
    return shorten(s, SUMMARY_CHARS);
  }

  /** {@code s}, cut to {@code max} characters with an ellipsis when longer. */
  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
