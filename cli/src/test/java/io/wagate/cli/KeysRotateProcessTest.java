package io.wagate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.api.v1.MediaObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wagatectl keys rotate} as its own process, stopped by Ctrl-C (SIGINT) while it waits: it
 * stops waiting at once, says the rotation goes on, and exits 130; the rotation is untouched.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class KeysRotateProcessTest {

  @Test
  void ctrlCWhileWaiting_onlyStopsWaiting_exit130(@TempDir Path dir) throws Exception {
    try (FakeMediaStore store = new FakeMediaStore(true)) {
      store.putInbound("image/jpeg", new byte[3]);
      store.rotationStalls = true;
      Path err = dir.resolve("err.txt");
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process rotate = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
          Wagatectl.class.getName(), "keys", "rotate", "--target", store.loopbackTarget())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(err.toFile())
          .start();
      try {
        awaitLine(err, "rotating master key k1 -> k2", rotate);

        long stop = System.nanoTime();
        new ProcessBuilder("kill", "-INT", Long.toString(rotate.pid())).inheritIO().start().waitFor();

        assertThat(rotate.waitFor(ApplianceFixture.WAIT.toSeconds(), TimeUnit.SECONDS)).as("rotate ended").isTrue();
        String text = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(rotate.exitValue()).as(text).isEqualTo(130);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stop)).as("stopped at once").isLessThan(5_000);
        assertThat(text).contains("stopped waiting; the rotation to k2 goes on in the appliance: follow it with"
            + " 'wagatectl media stats'");
        assertThat(store.masterKey).isEqualTo("k1");
        assertThat(store.rotation().getTargetKeyId()).isEqualTo("k2");
        assertThat(store.objects.values()).extracting(MediaObject::getSize).containsExactly(3L);
      } finally {
        rotate.destroyForcibly();
      }
    }
  }

  private static void awaitLine(Path file, String text, Process p) throws Exception {
    long deadline = System.nanoTime() + 2 * ApplianceFixture.WAIT.toNanos();
    while (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
      if (!p.isAlive()) {
        throw new AssertionError("rotate exited " + p.exitValue() + ": " + Files.readString(file));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no '" + text + "' on stderr: " + Files.readString(file));
      }
      Thread.sleep(20);
    }
  }
}
