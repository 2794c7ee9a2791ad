package io.wagate.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import java.util.Map;

/**
 * JSON output. API objects go through protobuf's JSON mapping ({@link #proto}); composite results
 * (benchmarks, status plus health) are built as maps and lists and rendered by {@link #render}.
 */
public final class Json {

  // snake_case field names like the proto files, and zero values printed, so scripts can rely
  // on every field being present
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence();
  // the same, on one line: streams print one JSON object per line
  private static final JsonFormat.Printer LINE_PRINTER = PRINTER.omittingInsignificantWhitespace();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  // "key": value, as protobuf's printer writes it, so embedded API objects look the same
  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));

  /**
   * Already-rendered JSON to embed as is.
   *
   * @param json a complete JSON value
   */
  public record Raw(String json) {}

  private Json() {}

  /** The protobuf JSON mapping of {@code message}, pretty-printed. */
  public static String proto(MessageOrBuilder message) {
    return print(PRINTER, message);
  }

  /** The protobuf JSON mapping of {@code message} on one line, for streams (JSON Lines). */
  public static String protoLine(MessageOrBuilder message) {
    return print(LINE_PRINTER, message);
  }

  private static String print(JsonFormat.Printer printer, MessageOrBuilder message) {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      // only Any fields with unknown types fail, and our API has none
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /**
   * Renders maps (insertion order kept), lists, strings, numbers, booleans, null and {@link Raw},
   * pretty-printed. Non-finite doubles become null.
   */
  public static String render(Object value) {
    try {
      return MAPPER.writer(PRETTY).writeValueAsString(toTree(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  /** {@link #render} on one line, for streams (JSON Lines). */
  public static String renderLine(Object value) {
    try {
      return MAPPER.writeValueAsString(toTree(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  private static JsonNode toTree(Object value) throws JsonProcessingException {
    if (value instanceof Raw raw) {
      return MAPPER.readTree(raw.json());
    }
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return MAPPER.nullNode();
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode node = MAPPER.createObjectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        node.set(String.valueOf(e.getKey()), toTree(e.getValue()));
      }
      return node;
    }
    if (value instanceof List<?> list) {
      ArrayNode node = MAPPER.createArrayNode();
      for (Object item : list) {
        node.add(toTree(item));
      }
      return node;
    }
    return MAPPER.valueToTree(value);
  }
}
