package io.wagate.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wagate.api.v1.CreateTemplateRequest;
import io.wagate.api.v1.MessageTemplate;
import io.wagate.api.v1.TemplatesGrpc;
import io.wagate.cli.ExitCodes;
import io.wagate.cli.connection.Connection;
import io.wagate.cli.output.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code wagatectl templates create --file JSON}: a template as Meta's creation body (name,
 * language, category, parameter_format, components) created at Meta and added to the catalogue.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Create a template at Meta from a JSON file in Meta's creation format:",
      "{\"name\":..., \"language\":..., \"category\":..., \"parameter_format\":..., \"components\":[...]}.",
      "It starts PENDING Meta's review; 'templates ls' shows when it is approved."
    })
public final class TemplatesCreateCommand extends ApiCommand {
  private static final Set<String> KEYS = Set.of("name", "language", "category", "parameter_format", "components");

  @Option(names = "--file", required = true, paramLabel = "JSON", description = "The template, as Meta's creation body.")
  private Path file;

  @Option(names = "--number", paramLabel = "ALIAS", description = "The number whose business account gets the template (needed when there are several).")
  private String number;

  /** A create command using {@code context}. */
  public TemplatesCreateCommand(CommandContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    CreateTemplateRequest request = request();
    try (Connection c = connect()) {
      MessageTemplate t = c.withDeadline(TemplatesGrpc.newBlockingStub(c.channel())).create(request);
      if (json()) {
        out().println(Json.proto(t));
      } else {
        out().println("created " + t.getName() + "/" + t.getLanguage() + " (id " + t.getId() + ", " + t.getStatus()
            + ", " + t.getCategory() + ")");
      }
      return ExitCodes.OK;
    }
  }

  /** The request the file describes; the server checks the values and names what is wrong. */
  CreateTemplateRequest request() {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ParameterException(spec().commandLine(), "--file " + file + ": " + (e instanceof
          com.fasterxml.jackson.core.JsonProcessingException j ? "not JSON: " + j.getOriginalMessage()
          : "cannot be read: " + e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new ParameterException(spec().commandLine(), "--file " + file + ": must hold a JSON object");
    }
    root.fieldNames().forEachRemaining(k -> {
      if (!KEYS.contains(k)) {
        throw new ParameterException(spec().commandLine(), "--file " + file + ": unknown key '" + k + "' (expected "
            + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
      }
    });
    CreateTemplateRequest.Builder b = CreateTemplateRequest.newBuilder()
        .setName(root.path("name").asText(""))
        .setLanguage(root.path("language").asText(""))
        .setCategory(root.path("category").asText(""))
        .setParameterFormat(root.path("parameter_format").asText(""));
    if (root.has("components")) {
      b.setComponentsJson(root.get("components").toString());
    }
    if (number != null) {
      b.setNumber(number);
    }
    return b.build();
  }
}
