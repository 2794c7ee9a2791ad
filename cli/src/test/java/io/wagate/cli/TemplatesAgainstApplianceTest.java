package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.Timestamps;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.inprocess.InProcessServerBuilder;
import io.wagate.Appliance;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.InboundMessage;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.CloudApiConfig;
import io.wagate.config.GrpcConfig;
import io.wagate.config.NumberConfig;
import io.wagate.config.PolicyConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wagatectl templates ...}, {@code contacts window} and template sends against the real
 * appliance with policy on, whose Meta is a small Graph endpoint over a real socket serving
 * templates (list, create, delete) and accepting sends.
 */
class TemplatesAgainstApplianceTest {
  private static final String NUMBER_ID = "100000000000001";
  private static final String WABA = "109000000000001";
  private static final String TOKEN = "cli-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private HttpServer graph;
  private final ArrayNode templates = JSON.createArrayNode();
  private volatile boolean down;
  private Appliance appliance;
  private String target;

  @BeforeEach
  void start() throws Exception {
    template("hello_world", "en_US", "APPROVED", "UTILITY", "POSITIONAL", "[{\"type\":\"BODY\",\"text\":\"Hello\"}]");
    template("order_update", "en_US", "APPROVED", "UTILITY", "POSITIONAL",
        "[{\"type\":\"BODY\",\"text\":\"Order {{1}} is {{2}}\"}]");
    template("order_update", "es_ES", "APPROVED", "UTILITY", "POSITIONAL",
        "[{\"type\":\"BODY\",\"text\":\"Pedido {{1}} está {{2}}\"}]");
    template("appointment_reminder", "en_US", "APPROVED", "UTILITY", "NAMED",
        "[{\"type\":\"BODY\",\"text\":\"Hi {{first_name}}, see you at {{time}}\"},{\"type\":\"BUTTONS\",\"buttons\":"
            + "[{\"type\":\"QUICK_REPLY\",\"text\":\"Confirm\"}]}]");
    template("spring_sale", "en_US", "PAUSED", "MARKETING", "POSITIONAL", "[{\"type\":\"BODY\",\"text\":\"Sale\"}]");
    graph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    graph.createContext("/", this::handle);
    graph.start();
    ApplianceConfig config = new ApplianceConfig(ApplianceConfig.Mode.SANDBOX, dataDir, GrpcConfig.loopback(0),
        CloudApiConfig.defaults().withBaseUrl(java.net.URI.create("http://127.0.0.1:" + graph.getAddress().getPort())),
        List.of(new NumberConfig("support", NUMBER_ID, null, null, null, WABA)), null, null, null,
        Duration.ofSeconds(2)).withPolicy(PolicyConfig.defaults());
    String name = InProcessServerBuilder.generateName();
    appliance = Appliance.start(config, Map.of(NUMBER_ID, TOKEN), InProcessServerBuilder.forName(name).directExecutor());
    target = "in-process:" + name;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!appliance.templates().status(WABA).hasLastSyncedAt()) {
      assertThat(System.nanoTime()).as("first sync").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @AfterEach
  void stop() {
    appliance.close();
    graph.stop(0);
  }

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--target";
    all[args.length + 1] = target;
    return CliRun.run(ApplianceFixture.inProcessChannels(), Clock.systemUTC(), all);
  }

  @Test
  void ls_showsTableAndSyncState_filtersWork() {
    CliRun r = run("templates", "ls");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("NAME", "order_update", "es_ES", "spring_sale", "PAUSED")
        .containsPattern("WABA " + WABA + ": 5 templates, synced 20");
    CliRun paused = run("templates", "ls", "--status", "paused");
    assertThat(paused.out()).contains("spring_sale").doesNotContain("hello_world");
    CliRun json = run("templates", "ls", "--language", "es_ES", "--json");
    assertThat(json.out()).contains("\"language\": \"es_ES\"").doesNotContain("en_US");
    CliRun none = run("templates", "ls", "--name", "nope");
    assertThat(none.out()).startsWith("no templates");
    CliRun badNumber = run("templates", "ls", "--number", "nope");
    assertThat(badNumber.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badNumber.err()).contains("unknown number 'nope'");
  }

  @Test
  void show_oneOrEveryLanguage_notFound() {
    CliRun r = run("templates", "show", "order_update");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("en_US", "es_ES", "Order {{1}} is {{2}}");
    CliRun one = run("templates", "show", "order_update", "--language", "es_ES");
    assertThat(one.out()).contains("es_ES").doesNotContain("en_US");
    CliRun missing = run("templates", "show", "nope");
    assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).contains("no template 'nope'");
  }

  @Test
  void sync_saysWhatChanged_andFailureKeepsCatalogue() {
    template("brand_new", "en_US", "PENDING", "UTILITY", "POSITIONAL", "[{\"type\":\"BODY\",\"text\":\"x\"}]");
    synchronized (templates) {
      ((ObjectNode) templates.get(0)).put("status", "DISABLED");
    }
    CliRun r = run("templates", "sync");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("6 templates, 1 added, 0 removed, 1 changed", "added    brand_new/en_US",
        "changed  hello_world/en_US: status APPROVED -> DISABLED");
    down = true;
    CliRun failed = run("templates", "sync");
    assertThat(failed.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(failed.out()).contains("sync failed, 6 templates kept");
    assertThat(run("templates", "ls").out()).contains("last attempt", "failed");
  }

  @Test
  void create_fromFile_thenRm(@TempDir Path files) throws IOException {
    Path f = files.resolve("t.json");
    Files.writeString(f, "{\"name\":\"shipping_note\",\"language\":\"en_US\",\"category\":\"UTILITY\","
        + "\"components\":[{\"type\":\"BODY\",\"text\":\"Shipped {{1}}\"}]}");
    CliRun r = run("templates", "create", "--file", f.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("created shipping_note/en_US (id ").contains("PENDING, UTILITY");
    assertThat(run("templates", "show", "shipping_note").out()).contains("PENDING");

    Files.writeString(f, "{\"name\":\"x\",\"language\":\"en_US\",\"category\":\"PROMO\",\"components\":[]}");
    CliRun bad = run("templates", "create", "--file", f.toString());
    assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("category", "components_json");
    Files.writeString(f, "{\"name\":\"x\",\"colour\":\"red\"}");
    CliRun unknown = run("templates", "create", "--file", f.toString());
    assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("unknown key 'colour'");
    Files.writeString(f, "{nope");
    assertThat(run("templates", "create", "--file", f.toString()).err()).contains("not JSON");

    CliRun rm = run("templates", "rm", "order_update", "--language", "es_ES");
    assertThat(rm.exit()).as(rm.err()).isZero();
    assertThat(rm.out()).isEqualTo("deleted order_update/es_ES" + System.lineSeparator());
    assertThat(run("templates", "rm", "order_update", "--language", "es_ES").exit()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void send_templatesAndFallback_windowRefusals() throws Exception {
    CliRun ok = run("send", "--from", "support", "--to", "+16505550000", "--template", "order_update", "--language",
        "en_US", "--param", "SB-1", "--param", "shipped");
    assertThat(ok.exit()).as(ok.err()).isZero();
    CliRun named = run("send", "--from", "support", "--to", "+16505550000", "--template", "appointment_reminder",
        "--language", "en_US", "--named-param", "first_name=Ana", "--named-param", "time=10:00",
        "--quick-reply", "0=CONFIRM");
    assertThat(named.exit()).as(named.err()).isZero();
    CliRun count = run("send", "--from", "support", "--to", "+16505550000", "--template", "order_update", "--language",
        "en_US", "--param", "SB-1");
    assertThat(count.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(count.err()).contains("template 'order_update' (en_US): body needs 2 parameters");
    CliRun paused = run("send", "--from", "support", "--to", "+16505550000", "--template", "spring_sale",
        "--language", "en_US");
    assertThat(paused.exit()).isEqualTo(ExitCodes.PRECONDITION);
    assertThat(paused.err()).contains("paused");

    CliRun text = run("send", "--from", "support", "--to", "+16505550000", "--text", "hi");
    assertThat(text.exit()).isEqualTo(ExitCodes.PRECONDITION);
    assertThat(text.err()).contains("never wrote");
    CliRun window = run("contacts", "window", "+16505550000");
    assertThat(window.exit()).as(window.err()).isZero();
    assertThat(window.out()).contains("not allowed: user +16505550000 never wrote", "never");
    CliRun fallback = run("send", "--from", "support", "--to", "+16505550000", "--text", "hi", "--fallback-template",
        "hello_world", "--fallback-language", "en_US");
    assertThat(fallback.exit()).as(fallback.err()).isZero();
    String id = fallback.out().substring("accepted ".length(), "accepted ".length() + 13);
    assertThat(run("messages", "get", id, "--json").out()).contains("hello_world");

    long now = System.currentTimeMillis();
    appliance.eventLog().append(List.of(Event.newBuilder().setId(UUID.randomUUID().toString())
        .setKind(EventKind.INBOUND_MESSAGE).setPhoneNumberId(NUMBER_ID).setUser("16505550000")
        .setInbound(InboundMessage.newBuilder().setWamid("wamid.in").setType("text").setFrom("16505550000")
            .setSentAt(Timestamps.fromMillis(now))).build())).join();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (appliance.contactWindows().get(NUMBER_ID, "16505550000").isEmpty()) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(10);
    }
    CliRun open = run("contacts", "window", "16505550000", "--from", "support");
    assertThat(open.out()).contains("allowed until " + Timestamps.toString(Timestamps.fromMillis(now + 86_400_000L)));
    assertThat(run("send", "--from", "support", "--to", "+16505550000", "--text", "hi").exit()).isZero();
    assertThat(run("contacts", "window", "1", "--from", "nope").err()).contains("unknown number 'nope'");
  }

  // ---- the Graph endpoint ----

  private void template(String name, String language, String status, String category, String format, String comps) {
    try {
      ObjectNode t = JSON.createObjectNode().put("name", name).put("language", language).put("status", status)
          .put("category", category).put("parameter_format", format).put("id", Integer.toString(1000 + templates.size()));
      t.set("components", JSON.readTree(comps));
      synchronized (templates) {
        templates.add(t);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      if (down) {
        answer(x, 503, "{\"error\":{\"message\":\"(#2) Service temporarily unavailable\",\"type\":\"OAuthException\","
            + "\"code\":2}}");
      } else if (path.endsWith("/messages")) {
        answer(x, 200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"16505550000\"}],"
            + "\"messages\":[{\"id\":\"wamid." + UUID.randomUUID() + "\"}]}");
      } else if (!path.endsWith("/" + WABA + "/message_templates")) {
        answer(x, 404, "{\"error\":{\"message\":\"Unknown path\",\"code\":100,\"error_subcode\":33}}");
      } else if (x.getRequestMethod().equals("GET")) {
        synchronized (templates) {
          answer(x, 200, "{\"data\":" + templates + ",\"paging\":{\"cursors\":{\"before\":\"a\",\"after\":\"b\"}}}");
        }
      } else if (x.getRequestMethod().equals("POST")) {
        JsonNode body = JSON.readTree(x.getRequestBody());
        template(body.path("name").asText(), body.path("language").asText(), "PENDING", body.path("category").asText(),
            body.path("parameter_format").asText(), body.path("components").toString());
        answer(x, 200, "{\"id\":\"77\",\"status\":\"PENDING\",\"category\":\"" + body.path("category").asText() + "\"}");
      } else {
        String q = x.getRequestURI().getQuery();
        synchronized (templates) {
          for (int i = templates.size() - 1; i >= 0; i--) {
            JsonNode t = templates.get(i);
            if (q.contains("name=" + t.path("name").asText()) && (!q.contains("hsm_id=")
                || q.contains("hsm_id=" + t.path("id").asText()))) {
              templates.remove(i);
            }
          }
        }
        answer(x, 200, "{\"success\":true}");
      }
    }
  }

  private static void answer(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }
}
