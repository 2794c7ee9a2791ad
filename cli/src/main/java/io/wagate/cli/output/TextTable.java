package io.wagate.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A left-aligned text table: columns two spaces apart, the last one unpadded, headers in upper case.
 * Not thread-safe.
 */
public final class TextTable {

  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  /** A table with these column headers. */
  public TextTable(String... headers) {
    this.columns = headers.length;
    rows.add(headers.clone());
  }

  private TextTable(int columns) {
    this.columns = columns;
  }

  /** A key/value block: two columns and no header line. */
  public static TextTable keyValue() {
    return new TextTable(2);
  }

  /** Adds a row; null cells print as {@code -}. */
  public TextTable row(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
    }
    String[] copy = new String[columns];
    for (int i = 0; i < columns; i++) {
      copy[i] = cells[i] == null || cells[i].isEmpty() ? "-" : cells[i];
    }
    rows.add(copy);
    return this;
  }

  /** Prints the header and all rows. */
  public void print(PrintWriter out) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line);
    }
  }
}
