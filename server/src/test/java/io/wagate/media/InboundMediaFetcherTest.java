package io.wagate.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.InboundMedia;
import io.wagate.api.v1.InboundMessage;
import io.wagate.api.v1.MediaState;
import io.wagate.cloudapi.CloudApiClient;
import io.wagate.events.EventLog;
import io.wagate.store.ColumnFamily;
import io.wagate.store.Keys;
import io.wagate.store.WriteSet;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery of fetch jobs: the state a crash can leave between storing the bytes and the event. */
class InboundMediaFetcherTest {
  private static final String NUMBER = "106540352242922";
  @TempDir Path dir;
  private MediaFixture f;

  @BeforeEach
  void open() {
    f = MediaFixture.open(dir, 4096);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aJobWhoseBytesWereStoredBeforeACrash_endsWithItsStoredEvent_withoutFetchingAgain() {
    EventLog log = new EventLog(f.db, f.now::get);
    String id = InboundMediaFetcher.storedIdOf(NUMBER, "9988776655");
    Event inbound = Event.newBuilder().setId("in:wamid.A").setKind(EventKind.INBOUND_MESSAGE)
        .setPhoneNumberId(NUMBER).setUser("16505550000")
        .setInbound(InboundMessage.newBuilder().setWamid("wamid.A").setType("image")
            .setMedia(InboundMedia.newBuilder().setMetaMediaId("9988776655").setMimeType("image/jpeg")
                .setStoredMediaId(id)))
        .build();
    log.append(List.of(inbound)).join();
    // the crash: the job exists and so do the bytes, the event saying so does not
    byte[] bytes = Samples.jpeg(3_000);
    try (MediaWriter w = f.store.begin(NewMedia.inbound("image/jpeg", bytes.length, NUMBER), id)) {
      w.write(bytes);
      w.commit();
    }
    InboundMediaFetcher.FetchJob job = InboundMediaFetcher.FetchJob.of(log.read(1, 1, 1, e -> true).events().get(0),
        f.now.get());
    f.db.writer().write(new WriteSet().put(ColumnFamily.MEDIA_FETCHES, Keys.utf8(id), job.encode())
        .put(ColumnFamily.EVENT_CURSORS, Keys.utf8("inbound-media-fetcher"), Keys.u64(2)));

    // Meta is unreachable: the job must end without asking it
    try (CloudApiClient meta = new CloudApiClient(URI.create("http://127.0.0.1:9"), "v25.0", Duration.ofMillis(200),
        Duration.ofMillis(500));
        InboundMediaFetcher fetcher = new InboundMediaFetcher(f.db, log, f.store, meta, Map.of(NUMBER, "t"),
            new MetricRegistry(), f.now::get)) {
      assertThat(fetcher.fetching()).isEqualTo(1);
      fetcher.start();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fetcher.fetching() == 0);
      List<Event> media = log.read(1, 10, 10, e -> e.getKind() == EventKind.MEDIA).events();
      assertThat(media).singleElement().satisfies(e -> {
        assertThat(e.getMedia().getState()).isEqualTo(MediaState.STORED);
        assertThat(e.getMedia().getStoredMediaId()).isEqualTo(id);
        assertThat(e.getMedia().getSize()).isEqualTo(bytes.length);
        assertThat(e.getUser()).isEqualTo("16505550000");
      });
      assertThat(f.db.get(ColumnFamily.MEDIA_FETCHES, Keys.utf8(id))).isNull();
      assertThat(fetcher.pending(id)).isEmpty();
    }
    assertThat(f.read(id)).isEqualTo(bytes);
  }
}
