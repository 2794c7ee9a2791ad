package io.wagate.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentSnifferTest {

  private static String sniff(byte[] b) {
    return ContentSniffer.sniff(b, Math.min(b.length, ContentSniffer.HEAD_BYTES));
  }

  @Test
  void sniff_recognisesEachAcceptedFamily() {
    assertThat(sniff(Samples.jpeg(100))).isEqualTo("image/jpeg");
    assertThat(sniff(Samples.png(100))).isEqualTo("image/png");
    assertThat(sniff(Samples.webp(100, false))).isEqualTo("image/webp");
    assertThat(sniff(Samples.mp4(100, "isom"))).isEqualTo("video/mp4");
    assertThat(sniff(Samples.mp4(100, "M4A "))).isEqualTo("audio/mp4");
    assertThat(sniff(Samples.mp4(100, "3gp5"))).isEqualTo("video/3gpp");
    assertThat(sniff(Samples.withMagic(100, 'O', 'g', 'g', 'S'))).isEqualTo("audio/ogg");
    assertThat(sniff(Samples.withMagic(100, '#', '!', 'A', 'M', 'R', '\n'))).isEqualTo("audio/amr");
    assertThat(sniff(Samples.withMagic(100, 'I', 'D', '3', 4))).isEqualTo("audio/mpeg-id3");
    assertThat(sniff(Samples.withMagic(100, 0xFF, 0xFB, 0x90))).isEqualTo("audio/mpeg");
    assertThat(sniff(Samples.withMagic(100, 0xFF, 0xF1, 0x50))).isEqualTo("audio/aac");
    assertThat(sniff(Samples.pdf(100))).isEqualTo("application/pdf");
    assertThat(sniff(Samples.withMagic(100, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1))).isEqualTo(MediaTypes.OLE2);
    assertThat(sniff(Samples.ooxml(400, "word/document.xml"))).isEqualTo(MediaTypes.DOCX);
    assertThat(sniff(Samples.ooxml(400, "xl/workbook.xml"))).isEqualTo(MediaTypes.XLSX);
    assertThat(sniff(Samples.ooxml(400, "ppt/presentation.xml"))).isEqualTo(MediaTypes.PPTX);
    assertThat(sniff(Samples.ooxml(400, "docProps/app.xml"))).isEqualTo(MediaTypes.OOXML);
    assertThat(sniff(Samples.withMagic(100, 'P', 'K', 3, 4))).isEqualTo(MediaTypes.ZIP);
    assertThat(sniff("hello".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(sniff(new byte[0])).isNull();
  }

  @Test
  void webp_animationFlag_isRead() {
    assertThat(ContentSniffer.isAnimatedWebp(Samples.webp(100, true), 100)).isTrue();
    assertThat(ContentSniffer.isAnimatedWebp(Samples.webp(100, false), 100)).isFalse();
  }

  @Test
  void textCheck_acceptsUtf8SplitAnywhere_refusesNulAndMalformed() {
    byte[] text = "naïve café — 日本語 🎉".getBytes(StandardCharsets.UTF_8);
    for (int split = 0; split <= text.length; split++) {
      ContentSniffer.TextCheck check = new ContentSniffer.TextCheck();
      for (int i = 0; i < text.length; i++) { // byte by byte across every boundary
        check.update(text, i, 1);
      }
      assertThat(check.finish()).isTrue();
      ContentSniffer.TextCheck two = new ContentSniffer.TextCheck();
      two.update(text, 0, split);
      two.update(text, split, text.length - split);
      assertThat(two.finish()).as("split at %d", split).isTrue();
    }
    ContentSniffer.TextCheck nul = new ContentSniffer.TextCheck();
    nul.update(new byte[] {'a', 0, 'b'}, 0, 3);
    assertThat(nul.finish()).isFalse();
    ContentSniffer.TextCheck bad = new ContentSniffer.TextCheck();
    bad.update(new byte[] {'a', (byte) 0xC3, 'b'}, 0, 3);
    assertThat(bad.finish()).isFalse();
    ContentSniffer.TextCheck cut = new ContentSniffer.TextCheck();
    cut.update(new byte[] {'a', (byte) 0xE6, (byte) 0x97}, 0, 3);
    assertThat(cut.finish()).isFalse();
  }

  @Test
  void normalize_dropsParametersAndCase() {
    assertThat(MediaTypes.normalize(" Audio/OGG; codecs=opus")).isEqualTo("audio/ogg");
  }
}
