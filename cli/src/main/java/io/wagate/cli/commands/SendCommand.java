package io.wagate.cli.commands;

import io.wagate.api.v1.Location;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.Priority;
import io.wagate.api.v1.Reaction;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.SendResponse;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import io.wagate.api.v1.Text;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.Coordinates;
import io.wagate.cli.args.CoordinatesConverter;
import io.wagate.cli.args.DurationConverter;
import io.wagate.cli.args.DurationParser;
import io.wagate.cli.args.PriorityConverter;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.MessageView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code wagatectl send}: one Messages.Send with exactly one kind of content. Prints
 * {@code accepted <id> (<state>)}, or {@code duplicate of <id> (<state>)} when the idempotency key
 * matched an earlier message.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Send one message. It is durable when this prints 'accepted'.",
      "Media values starting with http:// or https:// are links; digits are a Meta media id; anything else is a",
      "Wagate media id from 'wagatectl media put' (uploaded to Meta when first sent)."
    })
public final class SendCommand extends ApiCommand {

  @Option(names = "--from", required = true, paramLabel = "ALIAS", description = "Sender: number alias or phone-number id.")
  private String from;

  @Option(names = "--to", required = true, paramLabel = "RECIPIENT", description = "Recipient: E.164 (+16505551234) or business-scoped user id.")
  private String to;

  @Option(names = "--priority", paramLabel = "high|normal|bulk", converter = PriorityConverter.class, description = "Lane (default: normal).")
  private Priority priority;

  @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Same key within the dedupe window returns the first message.")
  private String idempotencyKey;

  @Option(names = "--validity", paramLabel = "DURATION", converter = DurationConverter.class, description = "How long Wagate keeps trying (server default 24h, at most 30d).")
  private Duration validity;

  @Option(names = "--reply-to", paramLabel = "WAMID", description = "Quote this message (contextual reply).")
  private String replyTo;

  @Option(names = "--callback-data", paramLabel = "TEXT", description = "Echoed back in status events (at most 256 characters).")
  private String callbackData;

  @Option(names = "--fallback-template", paramLabel = "NAME", description = "Free-form content only: send this template instead when the user's 24-hour window is closed.")
  private String fallbackTemplate;

  @Option(names = "--fallback-language", paramLabel = "CODE", description = "Language of --fallback-template, for example en_US.")
  private String fallbackLanguage;

  @Option(names = "--fallback-param", paramLabel = "VALUE", description = "Positional body parameter of the fallback template; repeatable.")
  private List<String> fallbackParams = new ArrayList<>();

  @Option(names = "--fallback-named-param", paramLabel = "NAME=VALUE", description = "Named body parameter of the fallback template; repeatable.")
  private Map<String, String> fallbackNamedParams = new LinkedHashMap<>();

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nContent (exactly one):%n")
  private Content content;

  /** A send command using {@code context}. */
  public SendCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    SendRequest request = request();
    try (Connection c = connect()) {
      SendResponse response = c.withDeadline(MessagesGrpc.newBlockingStub(c.channel())).send(request);
      if (json()) {
        out().println(Json.proto(response));
      } else {
        out().println(
            (response.getDuplicate() ? "duplicate of " : "accepted ")
                + response.getId()
                + " ("
                + MessageView.state(response.getState())
                + ")");
      }
      return ExitCodes.OK;
    }
  }

  /**
   * The request the parsed options describe.
   *
   * @throws ParameterException for combinations picocli cannot express
   */
  SendRequest request() {
    SendRequest.Builder b = SendRequest.newBuilder().setFrom(from).setTo(to);
    if (priority != null) {
      b.setPriority(priority);
    }
    if (idempotencyKey != null) {
      b.setIdempotencyKey(idempotencyKey);
    }
    if (validity != null) {
      if (validity.isZero() || validity.isNegative()) {
        throw new ParameterException(spec().commandLine(), "--validity must be > 0, got " + DurationParser.format(validity));
      }
      b.setValidity(DurationParser.toProto(validity));
    }
    if (replyTo != null) {
      b.setReplyTo(replyTo);
    }
    if (callbackData != null) {
      b.setCallbackData(callbackData);
    }
    if (fallbackTemplate != null || fallbackLanguage != null || !fallbackParams.isEmpty()
        || !fallbackNamedParams.isEmpty()) {
      if (fallbackTemplate == null || fallbackLanguage == null) {
        throw new ParameterException(spec().commandLine(), "--fallback-template and --fallback-language go together");
      }
      if (content.template != null) {
        throw new ParameterException(spec().commandLine(), "--fallback-template applies to free-form content, not --template");
      }
      TemplateContent f = new TemplateContent();
      f.name = fallbackTemplate;
      f.language = fallbackLanguage;
      f.params = fallbackParams;
      f.namedParams = fallbackNamedParams;
      b.setFallbackTemplate(template(f, "--fallback-"));
    }
    if (content.text != null) {
      b.setText(Text.newBuilder().setBody(content.text.body).setPreviewUrl(content.text.previewUrl));
    } else if (content.template != null) {
      b.setTemplate(template(content.template, "--"));
    } else if (content.media != null) {
      media(b, content.media);
    } else if (content.location != null) {
      LocationContent l = content.location;
      Location.Builder loc =
          Location.newBuilder().setLatitude(l.coordinates.latitude()).setLongitude(l.coordinates.longitude());
      if (l.name != null) {
        loc.setName(l.name);
      }
      if (l.address != null) {
        loc.setAddress(l.address);
      }
      b.setLocation(loc);
    } else {
      b.setReaction(Reaction.newBuilder().setEmoji(content.reaction.emoji).setMessageId(content.reaction.messageId));
    }
    return b.build();
  }

  private Template template(TemplateContent t, String prefix) {
    if (!t.params.isEmpty() && !t.namedParams.isEmpty() || !t.headerParams.isEmpty() && !t.namedHeaderParams.isEmpty()) {
      throw new ParameterException(
          spec().commandLine(),
          prefix + "param and " + prefix + "named-param cannot be combined: a template has either positional or named"
              + " parameters");
    }
    Template.Builder b = Template.newBuilder().setName(t.name).setLanguage(t.language);
    if (t.headerImageLink != null && (!t.headerParams.isEmpty() || !t.namedHeaderParams.isEmpty())) {
      throw new ParameterException(spec().commandLine(), "--header-image-link and --header-param are exclusive:"
          + " a header is either media or text");
    }
    if (t.headerImageLink != null) {
      b.addComponents(
          TemplateComponent.newBuilder()
              .setType(TemplateComponent.Type.HEADER)
              .addParameters(TemplateParameter.newBuilder().setImage(Media.newBuilder().setLink(t.headerImageLink))));
    }
    List<TemplateParameter> header = new ArrayList<>();
    t.headerParams.forEach(p -> header.add(TemplateParameter.newBuilder().setText(p).build()));
    t.namedHeaderParams.forEach((k, v) -> header.add(TemplateParameter.newBuilder().setName(k).setText(v).build()));
    if (!header.isEmpty()) {
      b.addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.HEADER).addAllParameters(header));
    }
    List<TemplateParameter> body = new ArrayList<>();
    for (String p : t.params) {
      body.add(TemplateParameter.newBuilder().setText(p).build());
    }
    for (Map.Entry<String, String> e : t.namedParams.entrySet()) {
      body.add(TemplateParameter.newBuilder().setName(e.getKey()).setText(e.getValue()).build());
    }
    if (!body.isEmpty()) {
      b.addComponents(TemplateComponent.newBuilder().setType(TemplateComponent.Type.BODY).addAllParameters(body));
    }
    java.util.TreeMap<Integer, TemplateComponent> buttons = new java.util.TreeMap<>();
    button(buttons, "--url-button", t.urlButtons, TemplateComponent.ButtonSubType.URL,
        v -> TemplateParameter.newBuilder().setText(v));
    button(buttons, "--copy-code", t.copyCodes, TemplateComponent.ButtonSubType.COPY_CODE,
        v -> TemplateParameter.newBuilder().setCouponCode(v));
    button(buttons, "--quick-reply", t.quickReplies, TemplateComponent.ButtonSubType.QUICK_REPLY,
        v -> TemplateParameter.newBuilder().setPayload(v));
    buttons.values().forEach(b::addComponents);
    return b.build();
  }

  private void button(java.util.TreeMap<Integer, TemplateComponent> buttons, String option, Map<String, String> given,
      TemplateComponent.ButtonSubType type, java.util.function.Function<String, TemplateParameter.Builder> param) {
    for (Map.Entry<String, String> e : given.entrySet()) {
      int index;
      try {
        index = Integer.parseInt(e.getKey());
      } catch (NumberFormatException notNumber) {
        throw new ParameterException(spec().commandLine(), option + " wants INDEX=VALUE with the button's 0-based"
            + " index, got '" + e.getKey() + "'");
      }
      if (buttons.put(index, TemplateComponent.newBuilder().setType(TemplateComponent.Type.BUTTON).setSubType(type)
          .setIndex(index).addParameters(param.apply(e.getValue())).build()) != null) {
        throw new ParameterException(spec().commandLine(), "button " + index + " is given twice");
      }
    }
  }

  /** Meta's media ids are digits; Wagate's are 22 URL-safe base64 characters. */
  private static final java.util.regex.Pattern META_MEDIA_ID = java.util.regex.Pattern.compile("[0-9]{1,64}");

  private void media(SendRequest.Builder b, MediaContent m) {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("--image", m.image);
    given.put("--video", m.video);
    given.put("--audio", m.audio);
    given.put("--document", m.document);
    given.put("--sticker", m.sticker);
    given.values().removeIf(v -> v == null);
    if (given.isEmpty()) {
      throw new ParameterException(
          spec().commandLine(), "--caption and --filename need one of --image, --video, --audio, --document or --sticker");
    }
    if (given.size() > 1) {
      throw new ParameterException(
          spec().commandLine(), String.join(", ", given.keySet()) + " are mutually exclusive (specify only one)");
    }
    String option = given.keySet().iterator().next();
    String value = given.get(option);
    Media.Builder media = Media.newBuilder();
    if (value.startsWith("https://") || value.startsWith("http://")) {
      media.setLink(value);
    } else if (META_MEDIA_ID.matcher(value).matches()) {
      media.setId(value);
    } else {
      media.setStoredMediaId(value); // from `wagatectl media put`; the server says if it is unknown
    }
    if (m.caption != null) {
      media.setCaption(m.caption);
    }
    if (m.filename != null) {
      if (!option.equals("--document")) {
        throw new ParameterException(spec().commandLine(), "--filename applies to --document only");
      }
      media.setFilename(m.filename);
    }
    switch (option) {
      case "--image":
        b.setImage(media);
        break;
      case "--video":
        b.setVideo(media);
        break;
      case "--audio":
        b.setAudio(media);
        break;
      case "--document":
        b.setDocument(media);
        break;
      default:
        b.setSticker(media);
        break;
    }
  }

  /** Exactly one of these groups. */
  static final class Content {
    @ArgGroup(exclusive = false, order = 1)
    TextContent text;

    @ArgGroup(exclusive = false, order = 2)
    TemplateContent template;

    @ArgGroup(exclusive = false, order = 3)
    MediaContent media;

    @ArgGroup(exclusive = false, order = 4)
    LocationContent location;

    @ArgGroup(exclusive = false, order = 5)
    ReactionContent reaction;
  }

  static final class TextContent {
    @Option(names = "--text", required = true, paramLabel = "BODY", description = "Text body (1..4096 characters).")
    String body;

    @Option(names = "--preview-url", description = "Render a preview of the first URL in the body.")
    boolean previewUrl;
  }

  static final class TemplateContent {
    @Option(names = "--template", required = true, paramLabel = "NAME", description = "Approved template name.")
    String name;

    @Option(names = "--language", required = true, paramLabel = "CODE", description = "Template language, for example en_US.")
    String language;

    @Option(names = "--param", paramLabel = "VALUE", description = "Positional body parameter {{1}}, {{2}}, ... in order; repeatable.")
    List<String> params = new ArrayList<>();

    @Option(names = "--named-param", paramLabel = "NAME=VALUE", description = "Named body parameter {{NAME}}; repeatable.")
    Map<String, String> namedParams = new LinkedHashMap<>();

    @Option(names = "--header-image-link", paramLabel = "URL", description = "Image for a media header.")
    String headerImageLink;

    @Option(names = "--header-param", paramLabel = "VALUE", description = "Positional text header parameter; repeatable.")
    List<String> headerParams = new ArrayList<>();

    @Option(names = "--named-header-param", paramLabel = "NAME=VALUE", description = "Named text header parameter; repeatable.")
    Map<String, String> namedHeaderParams = new LinkedHashMap<>();

    @Option(names = "--url-button", paramLabel = "INDEX=VALUE", description = "Variable of the URL button at INDEX (0-based); repeatable.")
    Map<String, String> urlButtons = new LinkedHashMap<>();

    @Option(names = "--copy-code", paramLabel = "INDEX=CODE", description = "Coupon code of the COPY_CODE button at INDEX; repeatable.")
    Map<String, String> copyCodes = new LinkedHashMap<>();

    @Option(names = "--quick-reply", paramLabel = "INDEX=PAYLOAD", description = "Payload of the QUICK_REPLY button at INDEX; repeatable.")
    Map<String, String> quickReplies = new LinkedHashMap<>();
  }

  /** Media options; exactly one kind is checked in {@link #media}, where the message can be clear. */
  static final class MediaContent {
    @Option(names = "--image", paramLabel = "LINK|ID", description = "Image by https link, Wagate media id (media put) or Meta media id (digits).")
    String image;

    @Option(names = "--video", paramLabel = "LINK|ID", description = "Video by https link, Wagate media id (media put) or Meta media id (digits).")
    String video;

    @Option(names = "--audio", paramLabel = "LINK|ID", description = "Audio by https link, Wagate media id (media put) or Meta media id (digits).")
    String audio;

    @Option(names = "--document", paramLabel = "LINK|ID", description = "Document by https link, Wagate media id (media put) or Meta media id (digits).")
    String document;

    @Option(names = "--sticker", paramLabel = "LINK|ID", description = "Sticker by https link, Wagate media id (media put) or Meta media id (digits).")
    String sticker;

    @Option(names = "--caption", paramLabel = "TEXT", description = "Caption (image, video, document).")
    String caption;

    @Option(names = "--filename", paramLabel = "NAME", description = "File name shown for a document.")
    String filename;
  }

  static final class LocationContent {
    @Option(names = "--location", required = true, paramLabel = "LAT,LONG", converter = CoordinatesConverter.class, description = "Pin, for example 52.52,13.405.")
    Coordinates coordinates;

    @Option(names = "--location-name", paramLabel = "NAME", description = "Name of the place.")
    String name;

    @Option(names = "--location-address", paramLabel = "ADDRESS", description = "Address of the place.")
    String address;
  }

  static final class ReactionContent {
    @Option(names = "--reaction", required = true, paramLabel = "EMOJI", description = "Emoji; an empty string removes the reaction.")
    String emoji;

    @Option(names = "--reaction-to", required = true, paramLabel = "WAMID", description = "The message reacted to.")
    String messageId;
  }
}
