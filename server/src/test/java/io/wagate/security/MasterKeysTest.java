package io.wagate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysTest {
  /** Cheap Argon2id costs so tests stay fast; production uses {@link KdfParams#DEFAULT_MEMORY_KIB}. */
  private static KdfParams cheap() {
    return MasterKeys.newKdfParams(1024, 1, 1);
  }

  @TempDir Path dir;

  @Test
  void generateKeyFile_isMode0600_andLoadsBackTheSameKey() throws Exception {
    Path file = dir.resolve("master.key");
    MasterKey generated = MasterKeys.generateKeyFile(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(MasterKeys.fromKeyFile(file).id()).isEqualTo(generated.id());
    assertThatThrownBy(() -> MasterKeys.generateKeyFile(file)).isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("already exists");
    try (var listing = Files.list(dir)) {
      assertThat(listing).containsExactly(file); // no temporary file left
    }
  }

  @Test
  void fromKeyFile_acceptsRawBytesAndBase64() throws Exception {
    byte[] raw = new byte[32];
    raw[0] = 7;
    Path rawFile = write("raw.key", raw);
    Path b64File = write("b64.key", (Base64.getEncoder().encodeToString(raw) + "\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(MasterKeys.fromKeyFile(rawFile).id()).isEqualTo(MasterKeys.fromKeyFile(b64File).id())
        .isEqualTo(MasterKey.of(raw, "x").id());
  }

  @Test
  void fromKeyFile_malformedOrMissing_saysWhatIsWrong() throws Exception {
    Path bad = write("bad.key", "not a key".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> MasterKeys.fromKeyFile(bad)).isInstanceOf(MasterKeyException.class)
        .hasMessageContaining(bad.toString()).hasMessageContaining("32 raw bytes");
    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(() -> MasterKeys.fromKeyFile(missing)).isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void fromKeyFile_readableByOthers_isRefusedWithTheFix() throws Exception {
    Path file = dir.resolve("loose.key");
    MasterKeys.generateKeyFile(file);
    for (String mode : new String[] {"rw-r--r--", "rw-rw----", "rw-----w-"}) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> MasterKeys.fromKeyFile(file)).isInstanceOf(KeyFilePermissionException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining("chmod 600 " + file);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    assertThat(MasterKeys.fromKeyFile(file)).isNotNull();
  }

  @Test
  void fromKeyFile_ownedByAnotherUser_isRefused() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to chown");
    Path file = dir.resolve("other.key");
    MasterKeys.generateKeyFile(file);
    UserPrincipal nobody;
    try {
      nobody = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    } catch (java.io.IOException e) {
      assumeTrue(false, "no user 'nobody'");
      return;
    }
    Files.setOwner(file, nobody);
    assertThatThrownBy(() -> MasterKeys.fromKeyFile(file)).isInstanceOf(KeyFilePermissionException.class)
        .hasMessageContaining("owned by nobody");
  }

  @Test
  void loadOrGenerate_createsOnce_thenLoadsTheSameKey() {
    Path file = dir.resolve("sandbox").resolve("master.key");
    MasterKey first = MasterKeys.loadOrGenerate(file);
    assertThat(MasterKeys.loadOrGenerate(file).id()).isEqualTo(first.id());
  }

  @Test
  void readPassphraseFile_takesTheFirstLine_andChecksPermissions() throws Exception {
    Path file = write("pass", "ünïcode passphrase\nignored\n".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(MasterKeys.readPassphraseFile(file))).isEqualTo("ünïcode passphrase");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> MasterKeys.readPassphraseFile(file)).isInstanceOf(KeyFilePermissionException.class)
        .hasMessageContaining("chmod 600 " + file);
  }

  @Test
  void masterKey_toStringAndIdRevealNoKeyMaterial_destroyZeroes() {
    byte[] raw = new byte[32];
    for (int i = 0; i < 32; i++) {
      raw[i] = (byte) (i + 1);
    }
    MasterKey key = MasterKey.of(raw, "/etc/wagate/master.key");
    String shown = key.toString();
    assertThat(shown).contains(key.id()).contains("/etc/wagate/master.key")
        .doesNotContain(Base64.getEncoder().encodeToString(raw))
        .doesNotContain(java.util.HexFormat.of().formatHex(raw).substring(0, 16));
    assertThat(key.id()).hasSize(16).isNotEqualTo(java.util.HexFormat.of().formatHex(raw, 0, 8));
    byte[] wrapped = key.wrap(new byte[32], "ctx".getBytes(StandardCharsets.US_ASCII));
    assertThat(key.unwrap(wrapped, "ctx".getBytes(StandardCharsets.US_ASCII))).isEqualTo(new byte[32]);
    assertThatThrownBy(() -> key.unwrap(wrapped, "other".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(MasterKeyException.class);
    assertThat(MasterKey.verifierKeyId(key.verifier())).isEqualTo(key.id());
    key.destroy();
    assertThat(key.isDestroyed()).isTrue();
    assertThatThrownBy(key::verifier).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void passphrase_sameParams_sameKey_otherPassphrase_otherKey() {
    Path params = dir.resolve("master-key.kdf");
    MasterKey a = MasterKeys.fromPassphrase("correct horse battery".toCharArray(), params, cheap());
    MasterKey b = MasterKeys.fromPassphrase("correct horse battery".toCharArray(), params, cheap());
    MasterKey c = MasterKeys.fromPassphrase("correct horse battery!".toCharArray(), params, cheap());
    assertThat(a.id()).isEqualTo(b.id()).isNotEqualTo(c.id());
    assertThat(MasterKeys.readKdfParams(params)).get().extracting(KdfParams::memoryKib).isEqualTo(1024);
    assertThat(a.source()).contains(params.toString());
    assertThat(a.verifier()).isEqualTo(b.verifier());
  }

  @Test
  void passphrase_tooShortOrParamsDamaged_isRefused() throws Exception {
    Path params = dir.resolve("kdf");
    assertThatThrownBy(() -> MasterKeys.fromPassphrase("short".toCharArray(), params, cheap()))
        .isInstanceOf(MasterKeyException.class).hasMessageContaining("at least 12 characters");
    Files.writeString(params, "wagate-kdf v1\nalgorithm=scrypt\n");
    assertThatThrownBy(() -> MasterKeys.fromPassphrase("long enough passphrase".toCharArray(), params, cheap()))
        .isInstanceOf(MasterKeyException.class).hasMessageContaining("malformed");
  }

  private Path write(String name, byte[] content) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }
}
