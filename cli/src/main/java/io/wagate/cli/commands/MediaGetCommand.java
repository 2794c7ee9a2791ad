package io.wagate.cli.commands;

import io.grpc.Status;
import io.wagate.api.v1.DownloadMediaRequest;
import io.wagate.api.v1.DownloadMediaResponse;
import io.wagate.api.v1.MediaObject;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.args.DurationConverter;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.MediaView;
import io.wagate.cli.output.ProgressBar;
import io.wagate.cli.output.ProgressOptions;
import io.wagate.cli.transfer.DownloadTarget;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code wagatectl media get ID}: downloads through {@code MediaStore.Download} to a file or
 * stdout and checks the bytes against the object's SHA-256. A file is written under a temporary
 * name next to it and renamed only when complete and verified.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Download media to a file or stdout, checking its SHA-256. A file is written under a hidden temporary"
          + " name and renamed when complete and verified: a failed download leaves no file named FILE.",
      "Exits 3 if the id is unknown, deleted or expired, 4 if Meta no longer has inbound media, 1 if the"
          + " bytes do not match the object's SHA-256."
    })
public final class MediaGetCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "Media id as printed by put or ls.")
  private String id;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Where to write; - for stdout. Default: stdout, unless it is a terminal.")
  private String output;

  @Option(names = "--force", description = "Overwrite FILE if it exists.")
  private boolean force;

  @Option(
      names = "--transfer-timeout",
      paramLabel = "DURATION",
      defaultValue = "30m",
      converter = DurationConverter.class,
      description = "Deadline of the whole download (default: ${DEFAULT-VALUE}).")
  private Duration transferTimeout;

  @Mixin private ProgressOptions progress;

  /** A get command using {@code context}. */
  public MediaGetCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() throws IOException {
    checkPositive("--transfer-timeout", transferTimeout);
    boolean toStdout = output == null || output.equals("-");
    if (output == null && context.prompter().interactive()) {
      throw new ParameterException(spec().commandLine(),
          "stdout is a terminal; give -o FILE, or -o - to write the bytes there anyway");
    }
    if (toStdout && json()) {
      throw new ParameterException(spec().commandLine(), "--json prints the object on stdout; give -o FILE with it");
    }
    DownloadTarget target = open(toStdout);
    // closing the connection cancels a download this loop stops reading
    try (target; Connection c = connect()) {
      MediaStoreGrpc.MediaStoreBlockingStub stub = MediaStoreGrpc.newBlockingStub(c.channel())
          .withDeadlineAfter(transferTimeout.toNanos(), TimeUnit.NANOSECONDS);
      // the blocking stub asks for the next message only when this loop takes it: flow control
      // follows the speed of the disk or the pipe
      Iterator<DownloadMediaResponse> parts = stub.download(DownloadMediaRequest.newBuilder().setId(id).build());
      MediaObject object = first(parts);
      ProgressBar bar = ProgressBar.bytes(progress.enabled(context.prompter().interactive()), err(),
          "download " + id, object.getSize());
      try {
        while (parts.hasNext()) {
          DownloadMediaResponse p = parts.next();
          if (!p.hasChunk()) {
            throw Status.INTERNAL.withDescription("Wagate sent a second object in the download of " + id).asRuntimeException();
          }
          target.write(p.getChunk());
          bar.update(target.written());
        }
        target.commit(object.getSize(), object.getSha256());
      } catch (DownloadTarget.ChecksumMismatchException e) {
        bar.abandon();
        err().println("error: the download of " + id + " is corrupt: " + e.getMessage()
            + (toStdout ? " (already written to stdout: discard it)" : "; " + output + " was not written"));
        return ExitCodes.FAILURE;
      } catch (FileAlreadyExistsException e) {
        bar.abandon();
        err().println("error: " + output + " appeared while downloading and was left as it is; use --force to"
            + " overwrite it");
        return ExitCodes.FAILURE;
      } catch (IOException e) {
        bar.abandon();
        err().println("error: cannot write " + (toStdout ? "stdout" : output) + ": " + e.getMessage());
        return ExitCodes.FAILURE;
      } catch (RuntimeException e) {
        bar.abandon();
        throw e;
      }
      bar.finish();
      if (json()) {
        out().println(Json.proto(object));
      } else if (!toStdout) {
        out().println("wrote " + output + " (" + MediaView.size(object.getSize()) + ", " + object.getMimeType()
            + ", sha256 " + object.getSha256() + ")");
      }
      return ExitCodes.OK;
    }
  }

  private DownloadTarget open(boolean toStdout) {
    if (toStdout) {
      return DownloadTarget.toStream(context.stdout());
    }
    Path file = Path.of(output).toAbsolutePath();
    if (!Files.isDirectory(file.getParent())) {
      throw new ParameterException(spec().commandLine(), "cannot write " + output + ": " + file.getParent()
          + " is not a directory");
    }
    try {
      return DownloadTarget.toFile(file, force);
    } catch (FileAlreadyExistsException e) {
      throw new ParameterException(spec().commandLine(), output + " exists; use --force to overwrite it", e);
    } catch (IOException e) {
      throw new ParameterException(spec().commandLine(), "cannot write next to " + output + ": " + e.getMessage(), e);
    }
  }

  private MediaObject first(Iterator<DownloadMediaResponse> parts) {
    if (!parts.hasNext()) {
      throw Status.INTERNAL.withDescription("Wagate ended the download of " + id + " without the object").asRuntimeException();
    }
    DownloadMediaResponse p = parts.next();
    if (!p.hasObject()) {
      throw Status.INTERNAL.withDescription("Wagate sent bytes before the object in the download of " + id)
          .asRuntimeException();
    }
    return p.getObject();
  }
}
