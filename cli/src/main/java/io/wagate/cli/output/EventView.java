package io.wagate.cli.output;

import io.wagate.api.v1.AccountUpdate;
import io.wagate.api.v1.Alert;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.Group;
import io.wagate.api.v1.InboundMedia;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.MessageError;
import io.wagate.api.v1.OutboundEnded;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.cli.args.EventKindConverter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * How events and consumer groups look to people: one line per event for {@code events tail}, a
 * table for {@code events read}, and the group views of {@code events groups} and
 * {@code events rewind}. Times are UTC ISO-8601 to the second.
 */
public final class EventView {

  /** Column headers of {@link #cells}. */
  public static final List<String> HEADERS = List.of("OFFSET", "STORED", "KIND", "NUMBER", "USER", "SUMMARY");

  /** Column headers of {@link #groupTable}. */
  public static final List<String> GROUP_HEADERS =
      List.of("GROUP", "FILTER", "COMMITTED", "HEAD", "LAG", "IN FLIGHT", "MEMBERS", "REDELIVERED");

  private static final int SUMMARY_CHARS = 100;
  // the longest short kind name (outbound_ended, account_update), so tail lines stay aligned
  private static final int KIND_WIDTH = 14;

  private EventView() {}

  /** One event's cells under {@link #HEADERS}: offset, stored, kind, number, user, summary. */
  public static String[] cells(Event e) {
    return new String[] {
      Long.toUnsignedString(e.getOffset()),
      MessageView.time(e.hasStoredAt() ? e.getStoredAt() : null),
      EventKindConverter.shortName(e.getKind()),
      e.getNumber().isEmpty() ? e.getPhoneNumberId() : e.getNumber(),
      e.getUser(),
      summary(e)
    };
  }

  /** One event as a line of {@code events tail}: the {@link #cells} two spaces apart, kind padded. */
  public static String line(Event e) {
    String[] c = cells(e);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < c.length; i++) {
      String cell = c[i] == null || c[i].isEmpty() ? "-" : c[i];
      if (i > 0) {
        b.append("  ");
      }
      b.append(cell);
      if (i == 2 && i < c.length - 1) {
        b.append(" ".repeat(Math.max(0, KIND_WIDTH - cell.length())));
      }
    }
    return b.toString();
  }

  /** A table of events with {@link #HEADERS}. */
  public static TextTable table(List<Event> events) {
    TextTable t = new TextTable(HEADERS.toArray(new String[0]));
    for (Event e : events) {
      t.row(cells(e));
    }
    return t;
  }

  /**
   * What the event says, in one line of at most about 100 characters: an inbound message's type
   * and text or media id, a status with its wamid and our message id, an alert's code and message.
   */
  public static String summary(Event e) {
    String s;
    switch (e.getBodyCase()) {
      case INBOUND:
        s = inbound(e.getInbound());
        break;
      case STATUS:
        s = status(e.getStatus());
        break;
      case WEBHOOK_ERROR:
        s = errors(e.getWebhookError().getErrorsList());
        break;
      case OUTBOUND_ENDED:
        s = outboundEnded(e.getOutboundEnded());
        break;
      case ALERT:
        s = alert(e.getAlert());
        break;
      case ACCOUNT_UPDATE:
        s = accountUpdate(e.getAccountUpdate());
        break;
      case MEDIA:
        s = mediaUpdate(e.getMedia());
        break;
      case UNPARSED:
        s = "kept raw: " + e.getUnparsed().getProblem();
        break;
      default:
        return "-";
    }
    return MessageView.shorten(s, SUMMARY_CHARS);
  }

  /** A filter as {@code all}, or {@code numbers=a,b kinds=inbound,status}. */
  public static String filter(EventFilter f) {
    List<String> parts = new ArrayList<>();
    if (f.getNumbersCount() > 0) {
      parts.add("numbers=" + String.join(",", f.getNumbersList()));
    }
    if (f.getKindsCount() > 0) {
      List<String> kinds = new ArrayList<>();
      for (EventKind k : f.getKindsList()) {
        kinds.add(EventKindConverter.shortName(k));
      }
      parts.add("kinds=" + String.join(",", kinds));
    }
    return parts.isEmpty() ? "all" : String.join(" ", parts);
  }

  /** A table of groups with {@link #GROUP_HEADERS}. */
  public static TextTable groupTable(List<Group> groups) {
    TextTable t = new TextTable(GROUP_HEADERS.toArray(new String[0]));
    for (Group g : groups) {
      t.row(g.getName(), filter(g.getFilter()), Long.toUnsignedString(g.getCommittedOffset()),
          Long.toUnsignedString(g.getHeadOffset()), Long.toUnsignedString(g.getLag()),
          Long.toUnsignedString(g.getInFlight()), String.join(",", g.getMembersList()),
          Long.toUnsignedString(g.getRedelivered()));
    }
    return t;
  }

  /** The key/value view of one group. */
  public static void printGroup(Group g, PrintWriter out) {
    TextTable t = TextTable.keyValue();
    t.row("group", g.getName());
    t.row("filter", filter(g.getFilter()));
    t.row("committed", Long.toUnsignedString(g.getCommittedOffset()));
    t.row("head", Long.toUnsignedString(g.getHeadOffset()));
    t.row("lag", Long.toUnsignedString(g.getLag()));
    t.row("in flight", Long.toUnsignedString(g.getInFlight()));
    t.row("members", String.join(", ", g.getMembersList()));
    t.row("created", MessageView.time(g.hasCreatedAt() ? g.getCreatedAt() : null));
    t.row("redelivered", Long.toUnsignedString(g.getRedelivered()));
    t.print(out);
  }

  private static String inbound(InboundMessage m) {
    String type = m.getType().isEmpty() ? "message" : m.getType();
    switch (m.getContentCase()) {
      case TEXT:
        return type + " " + MessageView.quote(m.getText().getBody());
      case MEDIA:
        return type + " " + media(m.getMedia());
      case LOCATION:
        return type + " " + m.getLocation().getLatitude() + "," + m.getLocation().getLongitude()
            + (m.getLocation().getName().isEmpty() ? "" : " " + MessageView.quote(m.getLocation().getName()));
      case CONTACTS:
        return type + " " + m.getContacts().getContactsCount() + " contact(s)";
      case INTERACTIVE:
        return type + " " + m.getInteractive().getType() + " " + m.getInteractive().getId()
            + (m.getInteractive().getTitle().isEmpty() ? "" : " " + MessageView.quote(m.getInteractive().getTitle()));
      case BUTTON:
        return type + " " + MessageView.quote(m.getButton().getText()) + " payload " + m.getButton().getPayload();
      case REACTION:
        return type + " " + (m.getReaction().getEmoji().isEmpty() ? "(removed)" : m.getReaction().getEmoji())
            + " to " + m.getReaction().getMessageId();
      case ORDER:
        return type + " catalog " + m.getOrder().getCatalogId()
            + (m.getOrder().getText().isEmpty() ? "" : " " + MessageView.quote(m.getOrder().getText()));
      case SYSTEM:
        return type + " " + m.getSystem().getType()
            + (m.getSystem().getBody().isEmpty() ? "" : " " + MessageView.quote(m.getSystem().getBody()));
      default:
        return m.getErrorsCount() == 0 ? type : type + " " + errors(m.getErrorsList());
    }
  }

  /** Wagate's media id when the message has one (what {@code media get} takes), else Meta's. */
  private static String media(InboundMedia m) {
    String id = m.getStoredMediaId().isEmpty() ? m.getMetaMediaId() : m.getStoredMediaId();
    return "media " + id + (m.getCaption().isEmpty() ? "" : " " + MessageView.quote(m.getCaption()));
  }

  /** A MEDIA event: {@code stored ID TYPE SIZE} or {@code lost ID: why}. */
  private static String mediaUpdate(io.wagate.api.v1.MediaUpdate m) {
    if (m.getState() == io.wagate.api.v1.MediaState.LOST) {
      return "lost " + m.getStoredMediaId() + ": " + m.getError();
    }
    return "stored " + m.getStoredMediaId() + " " + m.getMimeType() + " " + m.getSize() + " B"
        + (m.getInboundWamid().isEmpty() ? "" : " (" + m.getInboundWamid() + ")");
  }

  private static String status(StatusUpdate s) {
    StringBuilder b = new StringBuilder(s.getStatus().isEmpty() ? "status" : s.getStatus());
    b.append(' ').append(s.getWamid());
    if (!s.getMessageId().isEmpty()) {
      b.append(" message ").append(s.getMessageId());
    }
    if (s.getErrorsCount() > 0) {
      b.append(": ").append(errors(s.getErrorsList()));
    }
    return b.toString();
  }

  private static String outboundEnded(OutboundEnded o) {
    StringBuilder b = new StringBuilder(MessageView.state(o.getState()));
    b.append(" message ").append(o.getMessageId());
    if (!o.getTo().isEmpty()) {
      b.append(" to ").append(o.getTo());
    }
    if (o.hasError()) {
      b.append(": ").append(MessageView.error(o.getError()));
    }
    return b.toString();
  }

  private static String alert(Alert a) {
    StringBuilder b = new StringBuilder(a.getCode());
    if (!a.getMessage().isEmpty()) {
      b.append(": ").append(a.getMessage());
    }
    if (a.hasUntil()) {
      b.append(" (until ").append(MessageView.time(a.getUntil())).append(')');
    }
    if (a.hasError()) {
      b.append(" [").append(a.getError().getCode()).append(' ').append(a.getError().getTitle()).append(']');
    }
    return b.toString();
  }

  private static String accountUpdate(AccountUpdate u) {
    return u.getField() + (u.getValueJson().isEmpty() ? "" : " " + u.getValueJson().replace("\n", " "));
  }

  private static String errors(List<MessageError> errors) {
    if (errors.isEmpty()) {
      return "no error details";
    }
    MessageError first = errors.get(0);
    return first.getCode() + " " + first.getTitle()
        + (first.getDetails().isEmpty() ? "" : ": " + first.getDetails())
        + (errors.size() > 1 ? " (+" + (errors.size() - 1) + " more)" : "");
  }
}
