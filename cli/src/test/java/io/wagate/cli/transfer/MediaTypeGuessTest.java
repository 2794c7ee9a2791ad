package io.wagate.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypeGuessTest {

  @ParameterizedTest
  @CsvSource({
    "a.jpg, image/jpeg", "a.JPEG, image/jpeg", "a.png, image/png", "sticker.webp, image/webp",
    "v.mp4, video/mp4", "v.3gp, video/3gpp", "a.aac, audio/aac", "a.amr, audio/amr", "a.mp3, audio/mpeg",
    "a.m4a, audio/mp4", "a.ogg, audio/ogg", "voice.opus, audio/ogg", "a.txt, text/plain",
    "dir.d/a.pdf, application/pdf", "a.doc, application/msword",
    "a.docx, application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "a.xls, application/vnd.ms-excel", "a.xlsx, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "a.ppt, application/vnd.ms-powerpoint",
    "a.tar.pptx, application/vnd.openxmlformats-officedocument.presentationml.presentation"
  })
  void forFile_knownExtension_anyCase(String file, String type) {
    assertThat(MediaTypeGuess.forFile(Path.of(file))).contains(type);
  }

  @ParameterizedTest
  @ValueSource(strings = {"README", "a.", "a.exe", "a.jpg.gz", ".hidden", "dir.pdf/file"})
  void forFile_unknownOrNoExtension_isEmpty(String file) {
    assertThat(MediaTypeGuess.forFile(Path.of(file))).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void knownExtensions_areSorted() {
    assertThat(MediaTypeGuess.knownExtensions()).startsWith("3gp, aac, amr, doc, docx, jpeg, jpg,").endsWith("xlsx");
  }
}
