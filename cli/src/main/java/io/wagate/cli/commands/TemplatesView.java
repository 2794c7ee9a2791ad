package io.wagate.cli.commands;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.wagate.api.v1.CatalogueStatus;
import io.wagate.api.v1.MessageTemplate;
import io.wagate.cli.output.TextTable;
import java.io.PrintWriter;
import java.util.List;

/** How the templates commands print catalogue entries and sync states. */
final class TemplatesView {
  private TemplatesView() {}

  static void table(List<MessageTemplate> templates, PrintWriter out) {
    TextTable t = new TextTable("name", "language", "status", "category", "format", "quality", "id");
    for (MessageTemplate m : templates) {
      t.row(m.getName(), m.getLanguage(), m.getStatus(), m.getCategory(), m.getParameterFormat(), m.getQualityScore(),
          m.getId());
    }
    t.print(out);
  }

  static void catalogue(CatalogueStatus s, PrintWriter out) {
    String synced = s.hasLastSyncedAt() ? "synced " + time(s.getLastSyncedAt()) : "never synced";
    String failed = s.getLastError().isEmpty() ? ""
        : "; last attempt " + time(s.getLastAttemptAt()) + " failed: " + s.getLastError();
    out.println("WABA " + s.getWabaId() + ": " + s.getTemplates() + " templates, " + synced + failed);
  }

  static void show(MessageTemplate m, PrintWriter out) {
    TextTable t = TextTable.keyValue();
    t.row("name", m.getName());
    t.row("language", m.getLanguage());
    t.row("status", m.getStatus() + (m.getStatusReason().isEmpty() ? "" : " (" + m.getStatusReason() + ")"));
    t.row("category", m.getCategory());
    t.row("parameter format", m.getParameterFormat());
    t.row("quality", m.getQualityScore());
    t.row("id", m.getId());
    t.row("waba", m.getWabaId());
    t.row("updated", m.hasUpdatedAt() ? time(m.getUpdatedAt()) : "");
    t.print(out);
    out.println("components: " + m.getComponentsJson());
  }

  static String time(Timestamp t) {
    return Timestamps.toString(t);
  }
}
