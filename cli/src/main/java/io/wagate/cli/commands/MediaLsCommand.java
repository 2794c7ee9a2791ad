package io.wagate.cli.commands;

import io.wagate.api.v1.ListMediaRequest;
import io.wagate.api.v1.ListMediaResponse;
import io.wagate.api.v1.MediaKind;
import io.wagate.api.v1.MediaObject;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import io.wagate.cli.output.MediaView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wagatectl media ls}: stored media newest first, a page at a time or, with {@code --all},
 * every page (each page its own call, with its own deadline).
 */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List stored media, newest first: a table, or one JSON object per line with --json.",
      "Without --all, one page and the --page-token of the next one (on stderr with --json)."
    })
public final class MediaLsCommand extends ApiCommand {

  /** Largest page the server serves. */
  static final int MAX_LIMIT = 1000;

  @Option(names = "--kind", paramLabel = "KIND", description = "Only inbound or outbound media. Default: both.")
  private String kind;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Page size, 1..1000 (default: ${DEFAULT-VALUE}).")
  private int limit;

  @Option(names = "--all", description = "Follow page tokens to the end.")
  private boolean all;

  @Option(names = "--page-token", paramLabel = "TOKEN", description = "Continue from a previous page.")
  private String pageToken;

  /** An ls command using {@code context}. */
  public MediaLsCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    ListMediaRequest first = request();
    try (Connection c = connect()) {
      List<MediaObject> rows = new ArrayList<>();
      String next;
      try {
        next = pages(first, all, r -> c.withDeadline(MediaStoreGrpc.newBlockingStub(c.channel())).list(r),
          page -> {
            if (json()) {
              // JSON Lines go out page by page: --all over a large store needs no memory
              page.forEach(o -> out().println(Json.protoLine(o)));
            } else {
              rows.addAll(page);
            }
          });
      } catch (IllegalStateException e) {
        err().println("error: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
      if (!json()) {
        if (rows.isEmpty()) {
          out().println("no media");
        } else {
          MediaView.table(rows).print(out());
        }
      }
      if (!next.isEmpty()) {
        if (json()) {
          err().println("more: --page-token " + next);
        } else {
          out().println();
          out().println("more: --page-token " + next);
        }
      }
      return ExitCodes.OK;
    }
  }

  /**
   * Calls {@code list} from {@code first} and hands each page to {@code sink}; with {@code all},
   * follows the page tokens until one is empty.
   *
   * @return the token of the next page, empty when there is none
   * @throws IllegalStateException if the server hands back the token it was given (it would loop)
   */
  static String pages(ListMediaRequest first, boolean all, Function<ListMediaRequest, ListMediaResponse> list,
      Consumer<List<MediaObject>> sink) {
    ListMediaRequest request = first;
    while (true) {
      ListMediaResponse page = list.apply(request);
      sink.accept(page.getObjectsList());
      String next = page.getNextPageToken();
      if (!all || next.isEmpty()) {
        return next;
      }
      if (next.equals(request.getPageToken())) {
        throw new IllegalStateException("Wagate returned the same page token twice (" + next + "); stopping");
      }
      request = request.toBuilder().setPageToken(next).build();
    }
  }

  /** The first request the parsed options describe. */
  ListMediaRequest request() {
    checkRange("--limit", limit, 1, MAX_LIMIT);
    ListMediaRequest.Builder b = ListMediaRequest.newBuilder().setLimit(limit);
    if (kind != null) {
      b.setKind(parseOption("--kind", kind, MediaLsCommand::kind));
    }
    if (pageToken != null) {
      b.setPageToken(pageToken);
    }
    return b.build();
  }

  private static MediaKind kind(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "inbound" -> MediaKind.INBOUND;
      case "outbound" -> MediaKind.OUTBOUND;
      default -> throw new IllegalArgumentException("expected inbound or outbound, got '" + value + "'");
    };
  }
}
