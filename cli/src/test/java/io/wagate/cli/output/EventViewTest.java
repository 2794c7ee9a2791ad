package io.wagate.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.wagate.api.v1.AccountUpdate;
import io.wagate.api.v1.Alert;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.Group;
import io.wagate.api.v1.InboundMedia;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.InboundReaction;
import io.wagate.api.v1.InboundText;
import io.wagate.api.v1.InteractiveReply;
import io.wagate.api.v1.MessageError;
import io.wagate.api.v1.OutboundEnded;
import io.wagate.api.v1.State;
import io.wagate.api.v1.StatusUpdate;
import io.wagate.api.v1.WebhookError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventViewTest {

  private static final Timestamp T = Timestamp.newBuilder().setSeconds(1_740_830_400L).setNanos(123_000_000).build();

  private static Event.Builder event(long offset, EventKind kind) {
    return Event.newBuilder().setOffset(offset).setKind(kind).setStoredAt(T).setNumber("support")
        .setPhoneNumberId("1000").setUser("15550001111");
  }

  private static Event inboundText(String body) {
    return event(7, EventKind.INBOUND_MESSAGE)
        .setInbound(InboundMessage.newBuilder().setType("text").setText(InboundText.newBuilder().setBody(body)))
        .build();
  }

  @Test
  void line_inboundText_offsetTimeKindNumberUserAndQuotedBody() {
    assertThat(EventView.line(inboundText("hello\nthere")))
        .isEqualTo("7  2025-03-01T12:00:00Z  inbound         support  15550001111  text \"hello there\"");
  }

  @Test
  void line_kindIsPadded_soLinesOfDifferentKindsAlign() {
    Event ended = event(8, EventKind.OUTBOUND_ENDED)
        .setOutboundEnded(OutboundEnded.newBuilder().setMessageId("01ABC").setState(State.CANCELLED).setTo("+15550001111"))
        .build();
    String a = EventView.line(inboundText("hi"));
    String b = EventView.line(ended);
    assertThat(a.indexOf("support")).isEqualTo(b.indexOf("support"));
    assertThat(b).endsWith("outbound_ended  support  15550001111  CANCELLED message 01ABC to +15550001111");
  }

  @Test
  void line_unknownNumberAndNoUser_showIdAndDash() {
    Event e = event(9, EventKind.ACCOUNT_UPDATE).setNumber("").setUser("")
        .setAccountUpdate(AccountUpdate.newBuilder().setField("message_template_status_update").setValueJson("{\"event\":\n\"APPROVED\"}"))
        .build();
    assertThat(EventView.line(e)).isEqualTo(
        "9  2025-03-01T12:00:00Z  account_update  1000  -  message_template_status_update {\"event\": \"APPROVED\"}");
  }

  @Test
  void summary_inboundMedia_typeMediaIdAndCaption() {
    Event e = event(1, EventKind.INBOUND_MESSAGE)
        .setInbound(InboundMessage.newBuilder().setType("image")
            .setMedia(InboundMedia.newBuilder().setMetaMediaId("777").setCaption("look")))
        .build();
    assertThat(EventView.summary(e)).isEqualTo("image media 777 \"look\"");
    Event stored = event(2, EventKind.INBOUND_MESSAGE)
        .setInbound(InboundMessage.newBuilder().setType("image")
            .setMedia(InboundMedia.newBuilder().setMetaMediaId("777").setStoredMediaId("MDtCOf_3sLQbHZvpVUEAew")))
        .build();
    assertThat(EventView.summary(stored)).isEqualTo("image media MDtCOf_3sLQbHZvpVUEAew");
  }

  @Test
  void summary_mediaEvents_storedWithTypeAndSize_lostWithWhy() {
    Event stored = event(3, EventKind.MEDIA).setMedia(io.wagate.api.v1.MediaUpdate.newBuilder()
        .setStoredMediaId("MDtCOf_3sLQbHZvpVUEAew").setState(io.wagate.api.v1.MediaState.STORED)
        .setMimeType("image/jpeg").setSize(2_940).setInboundWamid("wamid.A")).build();
    assertThat(EventView.summary(stored)).isEqualTo("stored MDtCOf_3sLQbHZvpVUEAew image/jpeg 2940 B (wamid.A)");
    Event lost = event(4, EventKind.MEDIA).setMedia(io.wagate.api.v1.MediaUpdate.newBuilder()
        .setStoredMediaId("x1").setState(io.wagate.api.v1.MediaState.LOST)
        .setError("Meta no longer has media 9 (code 100)")).build();
    assertThat(EventView.summary(lost)).isEqualTo("lost x1: Meta no longer has media 9 (code 100)");
  }

  @Test
  void summary_unparsed_namesTheProblem() {
    Event raw = event(5, EventKind.UNPARSED).setUnparsed(io.wagate.api.v1.UnparsedItem.newBuilder()
        .setField("messages").setPlace("entry[0].changes[0].value.statuses[0]")
        .setProblem("entry[0].changes[0].value.statuses[0].id: missing").setRawJson("{\"status\":\"read\"}")).build();
    assertThat(EventView.summary(raw)).isEqualTo("kept raw: entry[0].changes[0].value.statuses[0].id: missing");
  }

  @Test
  void summary_inboundInteractiveAndReaction() {
    Event reply = event(1, EventKind.INBOUND_MESSAGE)
        .setInbound(InboundMessage.newBuilder().setType("interactive")
            .setInteractive(InteractiveReply.newBuilder().setType("button_reply").setId("yes").setTitle("Yes")))
        .build();
    assertThat(EventView.summary(reply)).isEqualTo("interactive button_reply yes \"Yes\"");
    Event removed = event(2, EventKind.INBOUND_MESSAGE)
        .setInbound(InboundMessage.newBuilder().setType("reaction")
            .setReaction(InboundReaction.newBuilder().setMessageId("wamid.Q")))
        .build();
    assertThat(EventView.summary(removed)).isEqualTo("reaction (removed) to wamid.Q");
  }

  @Test
  void summary_unsupportedInbound_showsMetasError() {
    Event e = event(1, EventKind.INBOUND_MESSAGE)
        .setInbound(InboundMessage.newBuilder().setType("unsupported")
            .addErrors(MessageError.newBuilder().setCode(131051).setTitle("Message type unknown")))
        .build();
    assertThat(EventView.summary(e)).isEqualTo("unsupported 131051 Message type unknown");
  }

  @Test
  void summary_status_statusWamidOurIdAndErrors() {
    Event delivered = event(2, EventKind.STATUS)
        .setStatus(StatusUpdate.newBuilder().setStatus("delivered").setWamid("wamid.HBgL").setMessageId("01ABC"))
        .build();
    assertThat(EventView.summary(delivered)).isEqualTo("delivered wamid.HBgL message 01ABC");
    Event failed = event(3, EventKind.STATUS)
        .setStatus(StatusUpdate.newBuilder().setStatus("failed").setWamid("wamid.X")
            .addErrors(MessageError.newBuilder().setCode(131026).setTitle("Message undeliverable"))
            .addErrors(MessageError.newBuilder().setCode(1).setTitle("other")))
        .build();
    assertThat(EventView.summary(failed)).isEqualTo("failed wamid.X: 131026 Message undeliverable (+1 more)");
  }

  @Test
  void summary_outboundEndedFailed_showsTheError() {
    Event e = event(4, EventKind.OUTBOUND_ENDED)
        .setOutboundEnded(OutboundEnded.newBuilder().setMessageId("01ABC").setState(State.FAILED)
            .setError(MessageError.newBuilder().setCode(131047).setTitle("Re-engagement message").setHttpStatus(400)))
        .build();
    assertThat(EventView.summary(e)).isEqualTo("FAILED message 01ABC: 131047 Re-engagement message (http 400)");
  }

  @Test
  void summary_alertAndWebhookError() {
    Event alert = event(5, EventKind.ALERT)
        .setAlert(Alert.newBuilder().setCode("number_paused").setMessage("auth error").setUntil(T)
            .setError(MessageError.newBuilder().setCode(190).setTitle("Access token expired")))
        .build();
    assertThat(EventView.summary(alert))
        .isEqualTo("number_paused: auth error (until 2025-03-01T12:00:00Z) [190 Access token expired]");
    Event error = event(6, EventKind.WEBHOOK_ERROR)
        .setWebhookError(WebhookError.newBuilder()
            .addErrors(MessageError.newBuilder().setCode(131000).setTitle("Something went wrong").setDetails("try later")))
        .build();
    assertThat(EventView.summary(error)).isEqualTo("131000 Something went wrong: try later");
  }

  @Test
  void summary_long_isShortenedTo100Characters() {
    String summary = EventView.summary(inboundText("x".repeat(300)));
    assertThat(summary).hasSize(100).endsWith("…");
  }

  @Test
  void filter_allOrNumbersAndKinds() {
    assertThat(EventView.filter(EventFilter.getDefaultInstance())).isEqualTo("all");
    assertThat(EventView.filter(EventFilter.newBuilder().addNumbers("support").addNumbers("sales")
        .addKinds(EventKind.INBOUND_MESSAGE).addKinds(EventKind.ALERT).build()))
        .isEqualTo("numbers=support,sales kinds=inbound,alert");
  }

  @Test
  void groups_tableAndDetail() {
    Group g = Group.newBuilder().setName("crm").setFilter(EventFilter.newBuilder().addKinds(EventKind.STATUS))
        .setCommittedOffset(40).setHeadOffset(52).setLag(12).setInFlight(3).addMembers("a").addMembers("b")
        .setCreatedAt(T).setRedelivered(1).build();
    StringWriter table = new StringWriter();
    EventView.groupTable(List.of(g)).print(new PrintWriter(table, true));
    assertThat(table.toString().lines()).containsExactly(
        "GROUP  FILTER        COMMITTED  HEAD  LAG  IN FLIGHT  MEMBERS  REDELIVERED",
        "crm    kinds=status  40         52    12   3          a,b      1");
    StringWriter detail = new StringWriter();
    EventView.printGroup(g, new PrintWriter(detail, true));
    assertThat(detail.toString().lines()).contains(
        "group        crm", "committed    40", "lag          12", "members      a, b", "created      2025-03-01T12:00:00Z");
  }

  @Test
  void table_hasTheLineColumns() {
    StringWriter w = new StringWriter();
    EventView.table(List.of(inboundText("hi"))).print(new PrintWriter(w, true));
    assertThat(w.toString().lines()).containsExactly(
        "OFFSET  STORED                KIND     NUMBER   USER         SUMMARY",
        "7       2025-03-01T12:00:00Z  inbound  support  15550001111  text \"hi\"");
  }

  @Test
  void protoLine_isOneLineWithProtoFieldNames() {
    String json = Json.protoLine(inboundText("a\nb"));
    assertThat(json).doesNotContain("\n").startsWith("{\"offset\":\"7\"").contains("\"stored_at\":", "\"body\":\"a\\nb\"");
  }
}
