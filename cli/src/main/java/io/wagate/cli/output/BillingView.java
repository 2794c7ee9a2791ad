package io.wagate.cli.output;

import io.wagate.api.v1.BillingDimension;
import io.wagate.api.v1.BillingReport;
import io.wagate.api.v1.BillingRow;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Billing reports as a text table or as CSV (RFC 4180). */
public final class BillingView {

  private BillingView() {}

  /** The grouped columns' headers, in the order rows are sorted. */
  private static List<String> keyHeaders(Set<BillingDimension> by, boolean csv) {
    List<String> h = new ArrayList<>();
    if (by.contains(BillingDimension.BY_DAY)) {
      h.add("day");
    }
    if (by.contains(BillingDimension.BY_NUMBER)) {
      h.add("number");
      h.add(csv ? "phone_number_id" : "phone number id");
    }
    if (by.contains(BillingDimension.BY_CATEGORY)) {
      h.add("category");
    }
    if (by.contains(BillingDimension.BY_COUNTRY)) {
      h.add("country");
    }
    if (by.contains(BillingDimension.BY_PRICING_TYPE)) {
      h.add(csv ? "pricing_type" : "type");
    }
    return h;
  }

  private static List<String> keys(BillingRow r, Set<BillingDimension> by) {
    List<String> k = new ArrayList<>();
    if (by.contains(BillingDimension.BY_DAY)) {
      k.add(r.getDay());
    }
    if (by.contains(BillingDimension.BY_NUMBER)) {
      k.add(r.getNumber());
      k.add(r.getPhoneNumberId());
    }
    if (by.contains(BillingDimension.BY_CATEGORY)) {
      k.add(r.getCategory());
    }
    if (by.contains(BillingDimension.BY_COUNTRY)) {
      k.add(r.getCountry());
    }
    if (by.contains(BillingDimension.BY_PRICING_TYPE)) {
      k.add(r.getPricingType());
    }
    return k;
  }

  /** A header line, a table of the groups and a TOTAL row. */
  public static void printTable(BillingReport r, Set<BillingDimension> by, PrintWriter out) {
    out.println("billing " + r.getFrom() + " to " + r.getTo() + " (UTC days, both included), estimated in "
        + r.getCurrency());
    List<String> headers = new ArrayList<>();
    for (String h : keyHeaders(by, false)) {
      headers.add(h.toUpperCase(java.util.Locale.ROOT));
    }
    headers.addAll(List.of("BILLABLE", "FREE", "EST. COST", "NOTE"));
    TextTable t = new TextTable(headers.toArray(String[]::new));
    for (BillingRow row : r.getRowsList()) {
      List<String> cells = keys(row, by);
      cells.addAll(figures(row));
      t.row(cells.toArray(String[]::new));
    }
    List<String> total = new ArrayList<>();
    for (int i = 0; i < keyHeaders(by, false).size(); i++) {
      total.add(i == 0 ? "TOTAL" : "");
    }
    List<String> figures = figures(r.getTotals());
    if (total.isEmpty()) {
      figures.set(figures.size() - 1, ("TOTAL " + figures.get(figures.size() - 1)).trim());
    }
    total.addAll(figures);
    t.row(total.toArray(String[]::new));
    t.print(out);
  }

  private static List<String> figures(BillingRow row) {
    List<String> f = new ArrayList<>();
    f.add(Long.toString(row.getBillable()));
    f.add(Long.toString(row.getFree()));
    f.add(row.getEstimatedCost() + " " + row.getCurrency());
    f.add(row.getMissingPricesCount() == 0 ? "" : "no price for " + String.join(", ", row.getMissingPricesList()));
    return f;
  }

  /** A header row, then one row per group. */
  public static void printCsv(BillingReport r, Set<BillingDimension> by, PrintWriter out) {
    List<String> headers = new ArrayList<>(keyHeaders(by, true));
    headers.addAll(List.of("billable", "free", "estimated_cost", "currency", "missing_prices"));
    line(headers, out);
    for (BillingRow row : r.getRowsList()) {
      List<String> cells = keys(row, by);
      cells.add(Long.toString(row.getBillable()));
      cells.add(Long.toString(row.getFree()));
      cells.add(row.getEstimatedCost());
      cells.add(row.getCurrency());
      cells.add(String.join(";", row.getMissingPricesList()));
      line(cells, out);
    }
  }

  private static void line(List<String> cells, PrintWriter out) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(csvField(cells.get(i)));
    }
    b.append("\r\n"); // RFC 4180 ends records with CRLF
    out.print(b);
  }

  /** A field quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
  static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
