package io.wagate.cli.output;

import io.wagate.api.v1.ConsentChange;
import io.wagate.api.v1.ConsentRecord;
import io.wagate.api.v1.ConsentSource;
import io.wagate.api.v1.ConsentState;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** How consent records look in a terminal: one record in detail with its history, or a table. */
public final class ConsentView {

  private ConsentView() {}

  /** {@code opted-out}, {@code opted-in}. */
  public static String state(ConsentState s) {
    return switch (s) {
      case OPTED_IN -> "opted-in";
      case OPTED_OUT -> "opted-out";
      default -> s.name().toLowerCase(Locale.ROOT);
    };
  }

  /** {@code api}, {@code keyword}, {@code 131050}, {@code user-preferences}. */
  public static String source(ConsentSource s) {
    return switch (s) {
      case CONSENT_SOURCE_API -> "api";
      case CONSENT_SOURCE_KEYWORD -> "keyword";
      case CONSENT_SOURCE_META_131050 -> "131050";
      case CONSENT_SOURCE_USER_PREFERENCES -> "user-preferences";
      default -> s.name().toLowerCase(Locale.ROOT);
    };
  }

  /** What caused a change: the keyword, the message, the note. */
  public static String cause(ConsentChange c) {
    StringBuilder b = new StringBuilder();
    if (!c.getKeyword().isEmpty()) {
      b.append(c.getKeyword());
    }
    if (!c.getMessageId().isEmpty()) {
      b.append(b.length() == 0 ? "" : " ").append("message ").append(c.getMessageId());
    }
    if (!c.getNote().isEmpty()) {
      b.append(b.length() == 0 ? "" : " ").append("\"").append(c.getNote()).append("\"");
    }
    return b.toString();
  }

  /** One record: the current consent and then its history, newest first. */
  public static void printDetail(ConsentRecord r, PrintWriter out) {
    TextTable t = TextTable.keyValue();
    t.row("number", r.getNumber().isEmpty() ? r.getPhoneNumberId() : r.getNumber() + " (" + r.getPhoneNumberId() + ")");
    t.row("user", r.getUser());
    t.row("state", state(r.getCurrent().getState()));
    t.row("since", MessageView.time(r.getCurrent().getAt()));
    t.row("source", source(r.getCurrent().getSource()));
    t.row("cause", cause(r.getCurrent()));
    t.print(out);
    if (r.getHistoryCount() > 0) {
      out.println();
      out.println("history:");
      TextTable h = new TextTable("AT", "STATE", "SOURCE", "CAUSE");
      for (ConsentChange c : r.getHistoryList()) {
        h.row(MessageView.time(c.getAt()), state(c.getState()), source(c.getSource()), cause(c));
      }
      h.print(out);
    }
  }

  /** Records as a table: number, user, state, since, source, cause. */
  public static TextTable table(List<ConsentRecord> records) {
    TextTable t = new TextTable("NUMBER", "USER", "STATE", "SINCE", "SOURCE", "CAUSE");
    for (ConsentRecord r : records) {
      t.row(r.getNumber().isEmpty() ? r.getPhoneNumberId() : r.getNumber(), r.getUser(),
          state(r.getCurrent().getState()), MessageView.time(r.getCurrent().getAt()),
          source(r.getCurrent().getSource()), cause(r.getCurrent()));
    }
    return t;
  }
}
