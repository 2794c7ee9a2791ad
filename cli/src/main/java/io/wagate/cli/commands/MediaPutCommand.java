package io.wagate.cli.commands;

import io.wagate.api.v1.MediaObject;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.api.v1.UploadMediaRequest;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.DurationConverter;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.ProgressBar;
import io.wagate.cli.output.ProgressOptions;
import io.wagate.cli.transfer.MediaTypeGuess;
import io.wagate.cli.transfer.MediaUpload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code wagatectl media put FILE}: uploads a file through {@code MediaStore.Upload}, streamed in
 * chunks under gRPC flow control so a large file never sits in memory, and prints the new id.
 */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Upload a file to send later by its id. Prints the id (the stored object with --json).",
      "The type comes from --type or the file's extension; the appliance checks it against the content and"
          + " Meta's size cap for the type, and refuses the file otherwise (exit 2)."
    })
public final class MediaPutCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "FILE", description = "The file to upload.")
  private Path file;

  @Option(names = "--type", paramLabel = "MIME", description = "MIME type, e.g. image/jpeg. Default: from the extension: jpg/jpeg, png, webp, mp4, 3gp, aac,"
          + " amr, mp3, m4a, ogg/opus, txt, pdf, doc(x), xls(x), ppt(x).")
  private String type;

  @Option(names = "--filename", paramLabel = "NAME", description = "Name recipients see for documents. Default: the file's name.")
  private String filename;

  @Option(
      names = "--transfer-timeout",
      paramLabel = "DURATION",
      defaultValue = "30m",
      converter = DurationConverter.class,
      description = "Deadline of the whole upload (default: ${DEFAULT-VALUE}); --timeout applies to other calls.")
  private Duration transferTimeout;

  @Mixin private ProgressOptions progress;

  /** A put command using {@code context}. */
  public MediaPutCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    checkPositive("--transfer-timeout", transferTimeout);
    UploadMediaRequest.Header header = header();
    try (InputStream in = open(); Connection c = connect()) {
      MediaStoreGrpc.MediaStoreStub stub = MediaStoreGrpc.newStub(c.channel())
          .withDeadlineAfter(transferTimeout.toNanos(), TimeUnit.NANOSECONDS);
      ProgressBar bar = ProgressBar.bytes(progress.enabled(context.prompter().interactive()), err(),
          "upload " + file.getFileName(), header.getSize());
      MediaObject o;
      try {
        o = new MediaUpload(stub, MediaUpload.DEFAULT_CHUNK).upload(header, in, bar::update);
      } catch (IOException e) {
        bar.abandon();
        err().println("error: " + file + ": " + e.getMessage() + "; nothing was stored");
        return ExitCodes.FAILURE;
      } catch (RuntimeException | InterruptedException e) {
        bar.abandon();
        throw e;
      }
      bar.finish();
      out().println(json() ? Json.proto(o) : o.getId());
      return ExitCodes.OK;
    }
  }

  /** The header the file and options describe: type, size and name. */
  UploadMediaRequest.Header header() {
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(spec().commandLine(),
          file + (Files.exists(file) ? " is not a regular file" : ": no such file"));
    }
    String mime = type;
    if (mime == null) {
      mime = MediaTypeGuess.forFile(file).orElseThrow(() -> new ParameterException(spec().commandLine(),
          "cannot tell the type of " + file + " from its name; give --type MIME (known extensions: "
              + MediaTypeGuess.knownExtensions() + ")"));
    } else if (!mime.matches("[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+(\\s*;.*)?")) {
      throw new ParameterException(spec().commandLine(), "--type must be a MIME type such as image/jpeg, got '" + mime + "'");
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new ParameterException(spec().commandLine(), "cannot read the size of " + file + ": " + e.getMessage(), e);
    }
    String name = filename != null ? filename : String.valueOf(file.getFileName());
    return UploadMediaRequest.Header.newBuilder().setMimeType(mime).setSize(size).setFilename(name).build();
  }

  private InputStream open() {
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new ParameterException(spec().commandLine(), file + ": no such file", e);
    } catch (IOException e) {
      throw new ParameterException(spec().commandLine(), "cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
