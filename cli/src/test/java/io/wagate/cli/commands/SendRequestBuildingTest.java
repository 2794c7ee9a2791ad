package io.wagate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.api.v1.ListMessagesRequest;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.Priority;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.State;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.cli.CliRun;
import io.wagate.cli.Wagatectl;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** What the parsed options turn into, without a server. */
class SendRequestBuildingTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private static ParseResult parse(String... args) {
    CommandLine cl = new Wagatectl(CliRun.NO_CHANNELS, Clock.fixed(NOW, ZoneOffset.UTC)).commandLine();
    return cl.parseArgs(args);
  }

  private static SendRequest send(String... content) {
    String[] args = new String[4 + content.length + 1];
    args[0] = "send";
    args[1] = "--from";
    args[2] = "support";
    args[3] = "--to=+15550001111";
    System.arraycopy(content, 0, args, 4, content.length);
    args[args.length - 1] = "--json";
    SendCommand c = (SendCommand) parse(args).subcommand().commandSpec().userObject();
    return c.request();
  }

  @Test
  void text_withEnvelopeOptions() {
    SendRequest r =
        send("--text", "hello", "--preview-url", "--priority", "HIGH", "--idempotency-key", "k1", "--validity", "2h",
            "--reply-to", "wamid.X", "--callback-data", "cb");
    assertThat(r.getFrom()).isEqualTo("support");
    assertThat(r.getTo()).isEqualTo("+15550001111");
    assertThat(r.getText().getBody()).isEqualTo("hello");
    assertThat(r.getText().getPreviewUrl()).isTrue();
    assertThat(r.getPriority()).isEqualTo(Priority.PRIORITY_HIGH);
    assertThat(r.getIdempotencyKey()).isEqualTo("k1");
    assertThat(r.getValidity().getSeconds()).isEqualTo(7200);
    assertThat(r.getReplyTo()).isEqualTo("wamid.X");
    assertThat(r.getCallbackData()).isEqualTo("cb");
  }

  @Test
  void text_defaults_leaveOptionalFieldsUnset() {
    SendRequest r = send("--text", "hi");
    assertThat(r.getPriority()).isEqualTo(Priority.PRIORITY_UNSPECIFIED);
    assertThat(r.hasValidity()).isFalse();
    assertThat(r.getIdempotencyKey()).isEmpty();
  }

  @Test
  void template_positionalParamsAndHeaderImage() {
    SendRequest r =
        send("--template", "order_shipped", "--language", "en_US", "--param", "Ada", "--param", "42",
            "--header-image-link", "https://example.com/a.png");
    assertThat(r.getTemplate().getName()).isEqualTo("order_shipped");
    assertThat(r.getTemplate().getLanguage()).isEqualTo("en_US");
    assertThat(r.getTemplate().getComponentsList()).hasSize(2);
    TemplateComponent header = r.getTemplate().getComponents(0);
    assertThat(header.getType()).isEqualTo(TemplateComponent.Type.HEADER);
    assertThat(header.getParameters(0).getImage().getLink()).isEqualTo("https://example.com/a.png");
    TemplateComponent body = r.getTemplate().getComponents(1);
    assertThat(body.getType()).isEqualTo(TemplateComponent.Type.BODY);
    assertThat(body.getParametersList()).extracting(p -> p.getText()).containsExactly("Ada", "42");
    assertThat(body.getParametersList()).extracting(p -> p.getName()).containsOnly("");
  }

  @Test
  void template_namedParamsKeepOrder() {
    SendRequest r =
        send("--template", "t", "--language", "de", "--named-param", "first_name=Ada", "--named-param", "order=42");
    assertThat(r.getTemplate().getComponents(0).getParametersList())
        .extracting(p -> p.getName() + "=" + p.getText())
        .containsExactly("first_name=Ada", "order=42");
  }

  @Test
  void media_linkOrId() {
    SendRequest link = send("--image", "https://example.com/a.jpg", "--caption", "look");
    assertThat(link.getImage().getSourceCase()).isEqualTo(Media.SourceCase.LINK);
    assertThat(link.getImage().getCaption()).isEqualTo("look");
    SendRequest id = send("--document", "1234567890", "--filename", "invoice.pdf");
    assertThat(id.getDocument().getId()).isEqualTo("1234567890");
    assertThat(id.getDocument().getFilename()).isEqualTo("invoice.pdf");
    assertThat(send("--video", "http://example.com/v.mp4").getVideo().getLink()).isEqualTo("http://example.com/v.mp4");
    assertThat(send("--audio", "55").getAudio().getId()).isEqualTo("55");
    assertThat(send("--sticker", "66").getSticker().getId()).isEqualTo("66");
    SendRequest stored = send("--image", "x3F9kQ2mZ7LpA1bC4dE5fG", "--caption", "ours");
    assertThat(stored.getImage().getStoredMediaId()).isEqualTo("x3F9kQ2mZ7LpA1bC4dE5fG");
    assertThat(stored.getImage().getCaption()).isEqualTo("ours");
  }

  @Test
  void location_negativeCoordinatesParse() {
    SendRequest r = send("--location", "-33.92,18.42", "--location-name", "Cape Town", "--location-address", "Harbour");
    assertThat(r.getLocation().getLatitude()).isEqualTo(-33.92);
    assertThat(r.getLocation().getLongitude()).isEqualTo(18.42);
    assertThat(r.getLocation().getName()).isEqualTo("Cape Town");
    assertThat(r.getLocation().getAddress()).isEqualTo("Harbour");
  }

  @Test
  void reaction_emptyEmojiRemoves() {
    SendRequest r = send("--reaction", "", "--reaction-to", "wamid.A");
    assertThat(r.getReaction().getEmoji()).isEmpty();
    assertThat(r.getReaction().getMessageId()).isEqualTo("wamid.A");
  }

  @Test
  void list_filtersAndRelativeSince() {
    MessagesListCommand c =
        (MessagesListCommand)
            parse("messages", "list", "--state", "failed,queued", "--state", "EXPIRED", "--to", "+1", "--from", "support",
                    "--since", "-1h", "--until", "2025-03-01", "--limit", "10", "--page-token", "abc")
                .subcommand().subcommand().commandSpec().userObject();
    ListMessagesRequest r = c.request();
    assertThat(r.getStatesList()).containsExactly(State.FAILED, State.QUEUED, State.EXPIRED);
    assertThat(r.getTo()).isEqualTo("+1");
    assertThat(r.getFrom()).isEqualTo("support");
    assertThat(r.getAcceptedAfter().getSeconds()).isEqualTo(NOW.minusSeconds(3600).getEpochSecond());
    assertThat(r.getAcceptedBefore().getSeconds()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z").getEpochSecond());
    assertThat(r.getPageSize()).isEqualTo(10);
    assertThat(r.getPageToken()).isEqualTo("abc");
  }

  @Test
  void list_defaults() {
    MessagesListCommand c =
        (MessagesListCommand) parse("messages", "list").subcommand().subcommand().commandSpec().userObject();
    ListMessagesRequest r = c.request();
    assertThat(r.getPageSize()).isEqualTo(50);
    assertThat(r.getStatesList()).isEmpty();
    assertThat(r.hasAcceptedAfter()).isFalse();
  }
}
