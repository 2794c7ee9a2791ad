package io.wagate.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.Message;
import io.wagate.api.v1.MessageError;
import io.wagate.api.v1.Priority;
import io.wagate.api.v1.Reaction;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.Text;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageViewTest {

  private static final Timestamp T = Timestamp.newBuilder().setSeconds(1_740_830_400L).setNanos(123_000_000).build();

  private static Message delivered() {
    return Message.newBuilder()
        .setId("01HZX")
        .setFrom("1000")
        .setFromAlias("support")
        .setTo("+15550001111")
        .setState(State.DELIVERED)
        .setPriority(Priority.PRIORITY_HIGH)
        .setAttempts(1)
        .setAcceptedAt(T)
        .setWamid("wamid.HBgL")
        .setRequest(SendRequest.newBuilder().setText(Text.newBuilder().setBody("hello\nworld")))
        .build();
  }

  private static Message failed() {
    return Message.newBuilder()
        .setId("01HZY")
        .setFrom("1000")
        .setTo("+15550002222")
        .setState(State.FAILED)
        .setAttempts(3)
        .setWamid("wamid.X")
        .setLastError(MessageError.newBuilder().setCode(131026).setTitle("Message undeliverable").setHttpStatus(400))
        .setRequest(SendRequest.newBuilder().setImage(Media.newBuilder().setId("987").setCaption("c")))
        .build();
  }

  private static String print(TextTable t) {
    StringWriter s = new StringWriter();
    t.print(new PrintWriter(s));
    return s.toString();
  }

  @Test
  void row_showsAliasTypeAndWamid() {
    assertThat(MessageView.row(delivered()))
        .containsExactly("01HZX", "DELIVERED", "support", "+15550001111", "text", "1", "2025-03-01T12:00:00Z", "wamid.HBgL");
  }

  @Test
  void row_failedShowsLastErrorInsteadOfWamid_andPhoneNumberIdWithoutAlias() {
    assertThat(MessageView.row(failed()))
        .containsExactly("01HZY", "FAILED", "1000", "+15550002222", "image", "3", "-", "131026 Message undeliverable");
  }

  @Test
  void table_alignsColumnsAndMarksEmptyCells() {
    assertThat(print(MessageView.table(List.of(delivered(), failed()))).lines().toList())
        .containsExactly(
            "ID     STATE      FROM     TO            TYPE   ATTEMPTS  ACCEPTED              WAMID/LAST ERROR",
            "01HZX  DELIVERED  support  +15550001111  text   1         2025-03-01T12:00:00Z  wamid.HBgL",
            "01HZY  FAILED     1000     +15550002222  image  3         -                     131026 Message undeliverable");
  }

  @Test
  void detail_listsEveryFieldWithoutHeader() {
    StringWriter s = new StringWriter();
    MessageView.printDetail(delivered(), new PrintWriter(s));
    List<String> lines = s.toString().lines().toList();
    assertThat(lines.get(0)).isEqualTo("id               01HZX");
    assertThat(lines)
        .contains(
            "from             support (1000)",
            "content          \"hello world\"",
            "priority         high",
            "wamid            wamid.HBgL",
            "last error       -");
  }

  @Test
  void detail_ofAHeldMessage_saysUntilWhenAndWhy_othersDoNot() {
    Message held = delivered().toBuilder().setState(State.HELD)
        .setHeldUntil(Timestamp.newBuilder().setSeconds(1_800_000_000L))
        .setHeldReason("the messaging limit of 250 is reached").build();
    StringWriter s = new StringWriter();
    MessageView.printDetail(held, new PrintWriter(s));
    assertThat(s.toString().lines().toList())
        .contains("state            HELD",
            "held until       2027-01-15T08:00:00Z",
            "held because     the messaging limit of 250 is reached");
    StringWriter d = new StringWriter();
    MessageView.printDetail(delivered(), new PrintWriter(d));
    assertThat(d.toString()).doesNotContain("held");
  }

  @Test
  void contentSummary_coversKindsAndShortens() {
    assertThat(MessageView.contentSummary(failed().getRequest())).isEqualTo("media 987 \"c\"");
    assertThat(
            MessageView.contentSummary(
                SendRequest.newBuilder().setReaction(Reaction.newBuilder().setMessageId("wamid.A")).build()))
        .isEqualTo("(remove) to wamid.A");
    String longBody = "x".repeat(100);
    assertThat(MessageView.contentSummary(SendRequest.newBuilder().setText(Text.newBuilder().setBody(longBody)).build()))
        .hasSize(60)
        .endsWith("…");
    assertThat(MessageView.contentSummary(SendRequest.getDefaultInstance())).isEqualTo("-");
  }

  @Test
  void json_usesProtobufMappingWithEnumNamesAndRfc3339Times() {
    String json = Json.proto(delivered());
    assertThat(json)
        .contains("\"id\": \"01HZX\"")
        .contains("\"from_alias\": \"support\"")
        .contains("\"state\": \"DELIVERED\"")
        .contains("\"priority\": \"PRIORITY_HIGH\"")
        .contains("\"accepted_at\": \"2025-03-01T12:00:00.123Z\"")
        .contains("\"attempts\": 1", "\"possible_duplicate\": false")
        .contains("\"body\": \"hello\\nworld\"")
        .doesNotContain("last_error");
  }

  @Test
  void render_mapsListsEscapesAndRaw() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("s", "a\"b\\c\n\u0001");
    m.put("n", 3L);
    m.put("d", 1.5);
    m.put("nan", Double.NaN);
    m.put("none", null);
    m.put("list", List.of(1, true));
    m.put("empty", Map.of());
    m.put("raw", new Json.Raw("{\n  \"x\": 1\n}"));
    String expected = "{\n"
        + "  \"s\": \"a\\\"b\\\\c\\n\\u0001\",\n"
        + "  \"n\": 3,\n"
        + "  \"d\": 1.5,\n"
        + "  \"nan\": null,\n"
        + "  \"none\": null,\n"
        + "  \"list\": [1, true],\n"
        + "  \"empty\": {},\n"
        + "  \"raw\": {\"x\": 1}\n"
        + "}";
    String rendered = Json.render(m);
    assertThat(rendered).contains("\"s\": ").startsWith("{").endsWith("}");
    try {
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      assertThat(json.readTree(rendered)).isEqualTo(json.readTree(expected));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
