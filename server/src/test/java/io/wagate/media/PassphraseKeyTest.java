package io.wagate.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.security.KeyRing;
import io.wagate.security.MasterKeys;
import io.wagate.security.WrongMasterKeyException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store keyed by a passphrase: the same passphrase opens it again, another is refused. */
class PassphraseKeyTest {
  @TempDir Path dir;

  @Test
  void passphrase_reopensTheStore_wrongPassphraseIsRefused() {
    Path params = dir.resolve("master-key.kdf");
    char[] pass = "a long operator passphrase".toCharArray();
    try (MediaFixture f = new MediaFixture(dir, io.wagate.config.MediaConfig.defaults().withSegmentBytes(4096))) {
      f.key = MasterKeys.fromPassphrase(pass, params, MasterKeys.newKdfParams(1024, 1, 1));
      f.reopen(KeyRing.of(f.key));
      MediaObject o = f.putInbound(MediaFixture.pattern(1000, 1));
      f.closeStore();

      f.key = MasterKeys.fromPassphrase(pass, params);
      f.reopen(KeyRing.of(f.key));
      assertThat(f.read(o.id())).isEqualTo(MediaFixture.pattern(1000, 1));
      f.closeStore();

      assertThatThrownBy(() -> f.reopen(KeyRing.of(
          MasterKeys.fromPassphrase("a wrong operator passphrase".toCharArray(), params))))
          .isInstanceOf(WrongMasterKeyException.class)
          .hasMessageContaining("the master key in the passphrase (KDF parameters in " + params + ") does not match");
    }
  }
}
