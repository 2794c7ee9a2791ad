package io.wagate.cli.commands;

import com.google.protobuf.ByteString;
import io.wagate.api.v1.InjectInboundRequest;
import io.wagate.api.v1.InjectInboundResponse;
import io.wagate.api.v1.SandboxContext;
import io.wagate.api.v1.SandboxGrpc;
import io.wagate.api.v1.SandboxInteractive;
import io.wagate.api.v1.SandboxLocation;
import io.wagate.api.v1.SandboxMedia;
import io.wagate.api.v1.SandboxQuickReply;
import io.wagate.api.v1.SandboxReaction;
import io.wagate.api.v1.SandboxReplyChoice;
import io.wagate.api.v1.SandboxText;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.Coordinates;
import io.wagate.cli.args.CoordinatesConverter;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.transfer.MediaTypeGuess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code wagatectl sandbox inbound}: Sandbox.InjectInbound, a message from a user's phone to the
 * sandbox's number, posted to Wagate as Meta's signed webhook. Prints the new message's wamid.
 */
@Command(
    name = "inbound",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Send a message to Wagate as a WhatsApp user would (sandbox only).",
      "Prints the wamid of the injected message."
    })
public final class SandboxInboundCommand extends ApiCommand {
  /** Below the appliance's default gRPC message limit (1 MiB), with room for the rest of the request. */
  static final int MAX_FILE_BYTES = 900 * 1024;

  @Option(names = "--from", paramLabel = "WA_ID", description = "The user's phone number (wa_id), for example 15550001111.")
  private String from;

  @Option(names = "--user-id", paramLabel = "BSUID", description = "The user's business-scoped user id; alone, a user without a phone number.")
  private String userId;

  @Option(names = "--name", paramLabel = "NAME", description = "The user's profile name.")
  private String name;

  @Option(names = "--number", paramLabel = "PHONE_NUMBER_ID", description = "The business number written to (default: the sandbox's).")
  private String number;

  @Option(names = "--reply-to", paramLabel = "WAMID", description = "Quote this business message.")
  private String replyTo;

  @Option(names = "--ago", paramLabel = "DURATION",
      description = "The user sent it this long ago, for example 26h (its 24 h window counts from then).")
  private String ago;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nContent (exactly one):%n")
  private Content content;

  /** An inbound command using {@code context}. */
  public SandboxInboundCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    InjectInboundRequest request = request();
    try (Connection c = connect()) {
      InjectInboundResponse response = c.withDeadline(SandboxGrpc.newBlockingStub(c.channel())).injectInbound(request);
      out().println(json() ? Json.proto(response) : response.getWamid());
      return ExitCodes.OK;
    }
  }

  /** The request the parsed options describe. */
  InjectInboundRequest request() {
    if (from == null && userId == null) {
      throw new ParameterException(spec().commandLine(), "--from or --user-id is required");
    }
    InjectInboundRequest.Builder b = InjectInboundRequest.newBuilder();
    if (from != null) {
      b.setFrom(from);
    }
    if (userId != null) {
      b.setUserId(userId);
    }
    if (name != null) {
      b.setName(name);
    }
    if (number != null) {
      b.setPhoneNumberId(number);
    }
    if (replyTo != null) {
      b.setContext(SandboxContext.newBuilder().setId(replyTo));
    }
    if (ago != null) {
      java.time.Duration d = parseOption("--ago", ago, io.wagate.cli.args.DurationParser::parse);
      b.setTimestamp(java.time.Instant.now().minus(d).getEpochSecond());
    }
    Content c = content;
    if (c.text != null) {
      b.setText(SandboxText.newBuilder().setBody(c.text));
    } else if (c.image != null) {
      b.setImage(SandboxMedia.newBuilder().setId(c.image));
    } else if (c.audio != null) {
      b.setAudio(SandboxMedia.newBuilder().setId(c.audio).setVoice(true));
    } else if (c.video != null) {
      b.setVideo(SandboxMedia.newBuilder().setId(c.video));
    } else if (c.document != null) {
      b.setDocument(SandboxMedia.newBuilder().setId(c.document));
    } else if (c.imageFile != null) {
      b.setImage(file("--image-file", c.imageFile));
    } else if (c.audioFile != null) {
      b.setAudio(file("--audio-file", c.audioFile).setVoice(true));
    } else if (c.videoFile != null) {
      b.setVideo(file("--video-file", c.videoFile));
    } else if (c.documentFile != null) {
      b.setDocument(file("--document-file", c.documentFile).setFilename(c.documentFile.getFileName().toString()));
    } else if (c.location != null) {
      b.setLocation(SandboxLocation.newBuilder().setLatitude(c.location.latitude()).setLongitude(c.location.longitude()));
    } else if (c.buttonReply != null) {
      String[] p = pair("--button-reply", c.buttonReply, "ID:TITLE");
      b.setInteractive(SandboxInteractive.newBuilder().setType("button_reply")
          .setButtonReply(SandboxReplyChoice.newBuilder().setId(p[0]).setTitle(p[1])));
    } else if (c.listReply != null) {
      String[] p = pair("--list-reply", c.listReply, "ID:TITLE");
      b.setInteractive(SandboxInteractive.newBuilder().setType("list_reply")
          .setListReply(SandboxReplyChoice.newBuilder().setId(p[0]).setTitle(p[1])));
    } else if (c.quickReply != null) {
      b.setButton(SandboxQuickReply.newBuilder().setPayload(c.quickReply).setText(c.quickReply));
    } else {
      String[] p = pair("--reaction", c.reaction, "WAMID:EMOJI");
      b.setReaction(SandboxReaction.newBuilder().setMessageId(p[0]).setEmoji(p[1]));
    }
    return b.build();
  }

  /** A file the user sends: its bytes travel in the request, so it must fit in one gRPC message. */
  private SandboxMedia.Builder file(String option, Path path) {
    byte[] bytes;
    try {
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw new ParameterException(spec().commandLine(), option + " " + path + " is " + Files.size(path)
            + " bytes; the sandbox takes files up to " + MAX_FILE_BYTES + " bytes here (one gRPC message)");
      }
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new ParameterException(spec().commandLine(), option + " cannot read " + path + ": " + e.getMessage());
    }
    SandboxMedia.Builder m = SandboxMedia.newBuilder().setContent(ByteString.copyFrom(bytes));
    MediaTypeGuess.forFile(path).ifPresent(m::setMimeType);
    return m;
  }

  /** Splits {@code value} at its first colon; the part before it must not be empty. */
  private String[] pair(String option, String value, String shape) {
    int colon = value.indexOf(':');
    if (colon <= 0) {
      throw new ParameterException(spec().commandLine(), option + " must be " + shape + ", got '" + value + "'");
    }
    return new String[] {value.substring(0, colon), value.substring(colon + 1)};
  }

  /** Exactly one of these. */
  static final class Content {
    @Option(names = "--text", paramLabel = "BODY", description = "A text message.")
    String text;

    @Option(names = "--image", paramLabel = "MEDIA_ID", description = "An image by media id.")
    String image;

    @Option(names = "--audio", paramLabel = "MEDIA_ID", description = "A voice note by media id.")
    String audio;

    @Option(names = "--video", paramLabel = "MEDIA_ID", description = "A video by media id.")
    String video;

    @Option(names = "--document", paramLabel = "MEDIA_ID", description = "A document by media id.")
    String document;

    @Option(names = "--image-file", paramLabel = "FILE", description = "An image the user sends (the sandbox keeps its bytes; up to 900 KiB).")
    Path imageFile;

    @Option(names = "--audio-file", paramLabel = "FILE", description = "A voice note the user sends (up to 900 KiB).")
    Path audioFile;

    @Option(names = "--video-file", paramLabel = "FILE", description = "A video the user sends (up to 900 KiB).")
    Path videoFile;

    @Option(names = "--document-file", paramLabel = "FILE", description = "A document the user sends (up to 900 KiB).")
    Path documentFile;

    @Option(names = "--location", paramLabel = "LAT,LONG", converter = CoordinatesConverter.class, description = "A pin, for example 52.52,13.405.")
    Coordinates location;

    @Option(names = "--button-reply", paramLabel = "ID:TITLE", description = "A tap on a reply button.")
    String buttonReply;

    @Option(names = "--list-reply", paramLabel = "ID:TITLE", description = "A choice from a list.")
    String listReply;

    @Option(names = "--quick-reply", paramLabel = "PAYLOAD", description = "A tap on a template's quick-reply button.")
    String quickReply;

    @Option(names = "--reaction", paramLabel = "WAMID:EMOJI", description = "A reaction to a message (empty emoji removes it).")
    String reaction;
  }
}
