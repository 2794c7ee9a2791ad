package io.wagate.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON output. API objects go through protobuf's JSON mapping ({@link #proto}); composite results
 * (benchmarks, status plus health) are built as maps and lists and rendered by {@link #render}.
 */
public final class Json {

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();

  /**
   * Already-rendered JSON to embed as is.
   *
   * @param json a complete JSON value
   */
  public record Raw(String json) {}

  private Json() {}

  /** The protobuf JSON mapping of {@code message}, pretty-printed. */
  public static String proto(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      // only Any fields with unknown types fail, and our API has none
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /**
   * Renders maps (insertion order kept), lists, strings, numbers, booleans, null and {@link Raw},
   * pretty-printed with two-space indents. Non-finite doubles become null.
   */
  public static String render(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, "");
    return b.toString();
  }

  private static void write(StringBuilder b, Object value, String indent) {
    if (value == null) {
      b.append("null");
    } else if (value instanceof Raw raw) {
      b.append(raw.json().strip().replace("\n", "\n" + indent));
    } else if (value instanceof String s) {
      quote(b, s);
    } else if (value instanceof Double d) {
      b.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
    } else if (value instanceof Float f) {
      write(b, f.doubleValue(), indent);
    } else if (value instanceof Number || value instanceof Boolean) {
      b.append(value);
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append("{\n");
      Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        b.append(indent).append("  ");
        quote(b, String.valueOf(e.getKey()));
        b.append(": ");
        write(b, e.getValue(), indent + "  ");
        b.append(it.hasNext() ? ",\n" : "\n");
      }
      b.append(indent).append('}');
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append("[\n");
      for (int i = 0; i < list.size(); i++) {
        b.append(indent).append("  ");
        write(b, list.get(i), indent + "  ");
        b.append(i < list.size() - 1 ? ",\n" : "\n");
      }
      b.append(indent).append(']');
    } else {
      quote(b, value.toString());
    }
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }
}
