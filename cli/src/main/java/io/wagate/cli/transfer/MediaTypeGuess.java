package io.wagate.cli.transfer;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The MIME type of a file to upload, from its extension, for the types Meta accepts. Only a guess
 * to save typing: the appliance sniffs the content and refuses a file that is not what its type
 * says.
 */
public final class MediaTypeGuess {

  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("png", "image/png"),
      Map.entry("webp", "image/webp"),
      Map.entry("mp4", "video/mp4"),
      Map.entry("3gp", "video/3gpp"),
      Map.entry("aac", "audio/aac"),
      Map.entry("amr", "audio/amr"),
      Map.entry("mp3", "audio/mpeg"),
      Map.entry("m4a", "audio/mp4"),
      Map.entry("ogg", "audio/ogg"),
      Map.entry("opus", "audio/ogg"),
      Map.entry("txt", "text/plain"),
      Map.entry("pdf", "application/pdf"),
      Map.entry("doc", "application/msword"),
      Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
      Map.entry("xls", "application/vnd.ms-excel"),
      Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
      Map.entry("ppt", "application/vnd.ms-powerpoint"),
      Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"));

  private MediaTypeGuess() {}

  /** The type for {@code file}'s extension (any case), or empty if it has none we know. */
  public static Optional<String> forFile(Path file) {
    Path name = file.getFileName();
    if (name == null) {
      return Optional.empty();
    }
    String n = name.toString();
    int dot = n.lastIndexOf('.');
    if (dot < 0 || dot == n.length() - 1) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_EXTENSION.get(n.substring(dot + 1).toLowerCase(Locale.ROOT)));
  }

  /** The known extensions, sorted, for messages: {@code 3gp, aac, amr, ...}. */
  public static String knownExtensions() {
    return String.join(", ", new TreeMap<>(BY_EXTENSION).keySet());
  }
}
