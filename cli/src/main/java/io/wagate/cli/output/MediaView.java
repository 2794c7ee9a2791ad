package io.wagate.cli.output;

import io.wagate.api.v1.KeyRotation;
import io.wagate.api.v1.MediaKind;
import io.wagate.api.v1.MediaObject;
import io.wagate.api.v1.MediaState;
import io.wagate.api.v1.MediaStats;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * How stored media looks to people: the table of {@code media ls}, the key/value block of
 * {@code media stats}, human-readable sizes (binary units: KiB, MiB, GiB) and rotation progress.
 */
public final class MediaView {

  /** Column headers of {@link #row}. */
  public static final List<String> HEADERS =
      List.of("ID", "KIND", "STATE", "TYPE", "SIZE", "CREATED", "FILENAME/OWNER");

  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private MediaView() {}

  /** A table of objects with {@link #HEADERS}. */
  public static TextTable table(List<MediaObject> objects) {
    TextTable table = new TextTable(HEADERS.toArray(new String[0]));
    for (MediaObject o : objects) {
      table.row(row(o));
    }
    return table;
  }

  /** One row: id, kind, state, type, size, created, filename (or the owner when it has none). */
  public static String[] row(MediaObject o) {
    return new String[] {
      o.getId(),
      kind(o.getKind()),
      state(o),
      o.getMimeType(),
      size(o.getSize()),
      MessageView.time(o.hasCreatedAt() ? o.getCreatedAt() : null),
      o.getFilename().isEmpty() ? o.getOwner() : o.getFilename()
    };
  }

  /** {@code inbound}, {@code outbound}, or {@code -}. */
  public static String kind(MediaKind k) {
    return switch (k) {
      case INBOUND -> "inbound";
      case OUTBOUND -> "outbound";
      default -> "-";
    };
  }

  private static String state(MediaObject o) {
    if (o.getState() == MediaState.MEDIA_STATE_UNSPECIFIED || o.getState() == MediaState.UNRECOGNIZED) {
      return "-";
    }
    return o.getState().name().toLowerCase(Locale.ROOT);
  }

  /** Bytes as {@code 0 B}, {@code 1023 B}, {@code 1.0 KiB}, {@code 12.3 MiB}. */
  public static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    int unit = -1;
    while (v >= 1024 && unit < UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    // 1023.96 KiB would round to "1024.0 KiB"
    if (v >= 1023.95 && unit < UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
  }

  /** The key/value view of {@code media stats}. */
  public static void printStats(MediaStats s, PrintWriter out) {
    TextTable t = TextTable.keyValue();
    t.row("objects", s.getObjects() + " (" + size(s.getBytes()) + ")");
    t.row("inbound", s.getInboundObjects() + " (" + size(s.getInboundBytes()) + ")");
    t.row("outbound", s.getOutboundObjects() + " (" + size(s.getOutboundBytes()) + ")");
    t.row("quota", quota(s.getBytes(), s.getQuotaBytes()));
    t.row("fetching", Long.toString(s.getFetching()));
    t.row("master key", s.getMasterKeyId());
    t.row("rotation", s.hasRotation() ? rotation(s.getRotation()) : "none");
    t.print(out);
  }

  /** {@code 12.5 % of 1.0 GiB used}, or {@code none} without a quota. */
  public static String quota(long used, long quota) {
    if (quota <= 0) {
      return "none";
    }
    return String.format(Locale.ROOT, "%.1f %% of %s used", used * 100.0 / quota, size(quota));
  }

  /** {@code to KEY: 40/100 data keys re-wrapped (40 %)}, marked when finished. */
  public static String rotation(KeyRotation r) {
    String percent = r.getTotal() == 0 ? "100" : Long.toString(r.getDone() * 100 / r.getTotal());
    return "to " + r.getTargetKeyId() + ": " + r.getDone() + "/" + r.getTotal() + " data keys re-wrapped (" + percent
        + " %)" + (r.getFinished() ? ", finished" : "");
  }
}
