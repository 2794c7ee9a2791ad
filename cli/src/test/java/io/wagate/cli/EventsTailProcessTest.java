package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wagatectl events tail} as its own process, ended the way an operator ends it: SIGINT
 * (Ctrl-C). It must exit 0 and delete its throwaway group.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class EventsTailProcessTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void tail_endedByCtrlC_exits0_andDeletesItsThrowawayGroup(@TempDir Path dataDir) throws Exception {
    try (ApplianceFixture wagate = ApplianceFixture.onLoopback(dataDir)) {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process tail = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
          Wagatectl.class.getName(), "events", "tail", "--target", wagate.target())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      try {
        awaitTailGroups(wagate, 1, tail);

        new ProcessBuilder("kill", "-INT", Long.toString(tail.pid())).inheritIO().start().waitFor();

        assertThat(tail.waitFor(ApplianceFixture.WAIT.toSeconds(), TimeUnit.SECONDS)).as("tail ended").isTrue();
        String err = new String(tail.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tail.exitValue()).as(err).isZero();
        assertThat(tailGroups(wagate)).isZero();
      } finally {
        tail.destroyForcibly();
      }
    }
  }

  private static void awaitTailGroups(ApplianceFixture wagate, int n, Process tail) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + 2 * ApplianceFixture.WAIT.toNanos();
    while (tailGroups(wagate) != n) {
      if (!tail.isAlive()) {
        throw new AssertionError("tail exited " + tail.exitValue() + ": "
            + new String(tail.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the tail's group did not appear");
      }
      Thread.sleep(20);
    }
  }

  /** Groups named like a throwaway tail's, with a connected member or not. */
  private static long tailGroups(ApplianceFixture wagate) throws IOException {
    CliRun r = wagate.run("events", "groups", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode groups = JSON.readTree(r.out()).path("groups");
    long n = 0;
    for (JsonNode g : groups) {
      if (g.path("name").asText().startsWith("wagatectl-tail-")) {
        n++;
      }
    }
    return n;
  }
}
