package io.wagate.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadTargetTest {

  // SHA-256 of "hello world"
  private static final String HELLO_SHA = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
  private static final ByteString HELLO = ByteString.copyFrom("hello world", StandardCharsets.US_ASCII);

  @TempDir Path dir;

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void file_whileWriting_onlyAHiddenPartFileExists_thenCommitRenames() throws IOException {
    Path out = dir.resolve("out.bin");
    try (DownloadTarget t = DownloadTarget.toFile(out, false)) {
      t.write(HELLO.substring(0, 5));
      t.write(HELLO.substring(5));
      assertThat(files()).singleElement().satisfies(n -> assertThat(n).startsWith(".out.bin.").endsWith(".part"));
      t.commit(11, HELLO_SHA.toUpperCase());
    }
    assertThat(files()).containsExactly("out.bin");
    assertThat(Files.readString(out)).isEqualTo("hello world");
  }

  @Test
  void file_wrongSha_leavesNothing() throws IOException {
    Path out = dir.resolve("out.bin");
    try (DownloadTarget t = DownloadTarget.toFile(out, false)) {
      t.write(HELLO);
      assertThatThrownBy(() -> t.commit(11, "00" + HELLO_SHA.substring(2)))
          .isInstanceOf(DownloadTarget.ChecksumMismatchException.class).hasMessageContaining(HELLO_SHA);
    }
    assertThat(files()).isEmpty();
  }

  @Test
  void file_wrongSize_leavesNothing() throws IOException {
    try (DownloadTarget t = DownloadTarget.toFile(dir.resolve("out.bin"), false)) {
      t.write(HELLO);
      assertThatThrownBy(() -> t.commit(12, HELLO_SHA)).hasMessage("received 11 bytes, the object has 12");
    }
    assertThat(files()).isEmpty();
  }

  @Test
  void file_closedWithoutCommit_leavesNothing() throws IOException {
    try (DownloadTarget t = DownloadTarget.toFile(dir.resolve("out.bin"), false)) {
      t.write(HELLO);
    }
    assertThat(files()).isEmpty();
  }

  @Test
  void file_existing_refusedWithoutForce_replacedWithIt() throws IOException {
    Path out = Files.writeString(dir.resolve("out.bin"), "old");

    assertThatThrownBy(() -> DownloadTarget.toFile(out, false)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(files()).containsExactly("out.bin");

    try (DownloadTarget t = DownloadTarget.toFile(out, true)) {
      t.write(HELLO);
      t.commit(11, HELLO_SHA);
    }
    assertThat(Files.readString(out)).isEqualTo("hello world");
  }

  @Test
  void file_createdByAnotherWhileDownloading_isNotOverwritten() throws IOException {
    Path out = dir.resolve("out.bin");
    try (DownloadTarget t = DownloadTarget.toFile(out, false)) {
      t.write(HELLO);
      Files.writeString(out, "theirs");
      assertThatThrownBy(() -> t.commit(11, HELLO_SHA)).isInstanceOf(FileAlreadyExistsException.class);
    }
    assertThat(files()).containsExactly("out.bin");
    assertThat(Files.readString(out)).isEqualTo("theirs");
  }

  @Test
  void emptyObject_hasTheShaOfNothing() throws IOException {
    Path out = dir.resolve("empty");
    try (DownloadTarget t = DownloadTarget.toFile(out, false)) {
      t.commit(0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
    assertThat(Files.size(out)).isZero();
  }

  @Test
  void stream_writesAsItGoes_andChecksAtTheEnd() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DownloadTarget t = DownloadTarget.toStream(out)) {
      t.write(HELLO);
      t.commit(11, HELLO_SHA);
      assertThat(t.written()).isEqualTo(11);
    }
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello world");
  }
}
