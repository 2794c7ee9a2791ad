package io.wagate.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.security.KeyRing;
import io.wagate.security.MasterKey;
import io.wagate.security.MasterKeyException;
import io.wagate.security.MasterKeys;
import io.wagate.security.WrongMasterKeyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-wrapping data keys under a new master key: complete, interrupted and resumed, and in key-file mode. */
class MediaKeyRotationTest {
  @TempDir Path dir;
  private MediaFixture f;
  private final List<MediaObject> objects = new ArrayList<>();

  @BeforeEach
  void open() {
    f = MediaFixture.open(dir, 4096);
    for (int i = 0; i < 10; i++) {
      objects.add(f.putInbound(MediaFixture.pattern(5000 + i, i)));
    }
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void rotate_rewrapsEveryDataKey_withoutTouchingFiles() throws Exception {
    byte[] fileBefore = Files.readAllBytes(f.file(objects.get(0).id()));
    MasterKey next = MasterKey.generate("next");

    RotationProgress p = f.store.rotate(next);

    assertThat(p).isEqualTo(new RotationProgress(next.id(), 10, 10, true));
    assertThat(f.store.activeKeyId()).isEqualTo(next.id());
    assertThat(f.store.rotation()).isEmpty();
    assertThat(Files.readAllBytes(f.file(objects.get(0).id()))).isEqualTo(fileBefore);
    assertAllReadableWith(KeyRing.of(next));
    assertThat(f.store.list(null, 100, MediaFilter.ALL).items()).allMatch(o -> o.keyId().equals(next.id()));
    f.close();
    assertThatThrownBy(() -> f.reopen(KeyRing.of(f.key))).isInstanceOf(WrongMasterKeyException.class)
        .hasMessageContaining("expected " + next.id());
  }

  @Test
  void rotate_interrupted_needsTheNextKey_thenResumesFromItsCursor() {
    MasterKey next = MasterKey.generate("next");
    RotationProgress partial = f.store.rotate(next, 3);
    assertThat(partial.finished()).isFalse();
    assertThat(partial.done()).isEqualTo(3);
    // new uploads use the target key; this id sorts after every random one, so it is not counted
    // as done (done counts ids up to the cursor) and the figures below do not depend on chance
    byte[] bytes = MediaFixture.pattern(100, 99);
    MediaObject during;
    try (MediaWriter w = f.store.begin(NewMedia.inbound("application/octet-stream", bytes.length, "106540352242922"),
        "z".repeat(22))) {
      w.write(bytes);
      during = w.commit();
    }
    assertThat(during.keyId()).isEqualTo(next.id());
    objects.add(during);

    f.close();
    assertThatThrownBy(() -> f.reopen(KeyRing.of(f.key))).isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("rotation to key id " + next.id() + " is in progress");
    f.reopen(KeyRing.of(f.key, next));
    RotationProgress status = f.store.rotation().orElseThrow();
    assertThat(status.targetKeyId()).isEqualTo(next.id());
    assertThat(status.done()).isEqualTo(3);
    assertThat(status.total()).isEqualTo(11);
    assertThat(f.store.list(null, 100, MediaFilter.ALL).items()).anyMatch(o -> o.keyId().equals(f.key.id()));
    for (MediaObject o : objects) {
      assertThat(f.read(o.id())).hasSize((int) o.size()); // both keys loaded: all readable mid-rotation
    }
    assertThatThrownBy(() -> f.store.rotate(MasterKey.generate("other"))).isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("in progress");

    RotationProgress done = f.store.rotate(next);

    assertThat(done.finished()).isTrue();
    assertThat(done.done()).isEqualTo(11);
    assertAllReadableWith(KeyRing.of(next));
    f.close();
    assertThatThrownBy(() -> f.reopen(KeyRing.of(f.key))).isInstanceOf(WrongMasterKeyException.class);
  }

  @Test
  void rotateKeyFile_swapsKeyFiles_andAStartAfterACrashFinishesIt() throws Exception {
    Path keyFile = dir.resolve("master.key");
    MasterKey first = MasterKeys.generateKeyFile(keyFile);
    Path data2 = dir.resolve("d2");
    f.close();
    f = new MediaFixture(data2, f.config);
    f.key = first;
    f.reopen(MasterKeys.loadRing(keyFile));
    objects.clear();
    for (int i = 0; i < 5; i++) {
      objects.add(f.putInbound(MediaFixture.pattern(3000, i)));
    }

    // a rotation that "crashes" after 2 objects: .next exists, the store holds a cursor
    MasterKey next = MasterKeys.prepareNext(keyFile);
    f.store.rotate(next, 2);
    f.close();

    KeyRing ring = MasterKeys.loadRing(keyFile);
    assertThat(ring.next()).map(MasterKey::id).contains(next.id());
    f.reopen(ring);
    assertThat(MediaKeyRotation.resumeOnStart(f.store, keyFile, ring)).map(RotationProgress::finished).contains(true);

    assertThat(MasterKeys.fromKeyFile(keyFile).id()).isEqualTo(next.id());
    assertThat(MasterKeys.nextKeyFile(keyFile)).doesNotExist();
    assertThat(MasterKeys.fromKeyFile(MasterKeys.oldKeyFile(keyFile)).id()).isEqualTo(first.id());
    assertAllReadableWith(MasterKeys.loadRing(keyFile));

    // the next start forgets the old key; a full rotation in one go works too
    KeyRing plain = MasterKeys.loadRing(keyFile);
    f.reopen(plain);
    assertThat(MediaKeyRotation.resumeOnStart(f.store, keyFile, plain)).isEmpty();
    assertThat(MasterKeys.oldKeyFile(keyFile)).doesNotExist();
    RotationProgress again = MediaKeyRotation.rotateKeyFile(f.store, keyFile);
    assertThat(again.finished()).isTrue();
    assertThat(MasterKeys.fromKeyFile(keyFile).id()).isEqualTo(again.targetKeyId()).isNotEqualTo(next.id());
    assertAllReadableWith(MasterKeys.loadRing(keyFile));
  }

  @Test
  void rotate_toTheActiveKey_isANoOp() {
    assertThat(f.store.rotate(f.key).finished()).isTrue();
    assertThat(f.store.activeKeyId()).isEqualTo(f.key.id());
  }

  private void assertAllReadableWith(KeyRing ring) {
    f.reopen(ring);
    for (MediaObject o : objects) {
      assertThat(MediaFixture.sha256(f.read(o.id()))).isEqualTo(o.sha256());
    }
  }
}
