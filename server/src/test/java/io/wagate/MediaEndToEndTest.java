package io.wagate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.DeleteMediaRequest;
import io.wagate.api.v1.DownloadMediaRequest;
import io.wagate.api.v1.DownloadMediaResponse;
import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.EventKind;
import io.wagate.api.v1.GetMediaRequest;
import io.wagate.api.v1.KeyRotation;
import io.wagate.api.v1.ListMediaRequest;
import io.wagate.api.v1.MediaKind;
import io.wagate.api.v1.MediaObject;
import io.wagate.api.v1.MediaState;
import io.wagate.api.v1.MediaStatsRequest;
import io.wagate.api.v1.ReadEventsRequest;
import io.wagate.api.v1.RotateMasterKeyRequest;
import io.wagate.api.v1.UploadMediaRequest;
import io.wagate.sandbox.InboundMedia;
import io.wagate.sandbox.InboundSpec;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media store through gRPC, and inbound media fetched from the emulator over real HTTP as soon
 * as its webhook is stored.
 */
class MediaEndToEndTest {
    @TempDir
    Path dir;
    private TestAppliance t;

    @BeforeEach
    void start() {
        t = TestAppliance.start(dir);
        t.connectWebhooks();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    static byte[] png(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(magic, 0, b, 0, Math.min(magic.length, size));
        return b;
    }

    static byte[] jpeg(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[2] = (byte) 0xFF;
        b[3] = (byte) 0xE0;
        return b;
    }

    /** Bytes that sniff as MP4 (an ftyp box with the isom brand). */
    static byte[] mp4(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        byte[] box = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
        System.arraycopy(box, 0, b, 0, box.length);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Uploads in 64 KiB chunks; {@code cutAfter} >= 0 cancels the call after that many bytes. */
    private CompletableFuture<MediaObject> upload(String mime, long declared, byte[] bytes, int cutAfter) {
        CompletableFuture<MediaObject> result = new CompletableFuture<>();
        StreamObserver<UploadMediaRequest> req = t.mediaAsync().withDeadlineAfter(20, TimeUnit.SECONDS)
                .upload(new StreamObserver<>() {
                    @Override
                    public void onNext(MediaObject o) {
                        result.complete(o);
                    }

                    @Override
                    public void onError(Throwable e) {
                        result.completeExceptionally(e);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        req.onNext(UploadMediaRequest.newBuilder().setHeader(UploadMediaRequest.Header.newBuilder()
                .setMimeType(mime).setSize(declared).setFilename("x")).build());
        for (int off = 0; off < bytes.length; off += 65_536) {
            if (cutAfter >= 0 && off >= cutAfter) {
                req.onError(Status.CANCELLED.withDescription("client gave up").asRuntimeException());
                return result;
            }
            req.onNext(UploadMediaRequest.newBuilder()
                    .setChunk(ByteString.copyFrom(bytes, off, Math.min(65_536, bytes.length - off))).build());
        }
        req.onCompleted();
        return result;
    }

    private byte[] download(String id) {
        Iterator<DownloadMediaResponse> it = t.media().withDeadlineAfter(30, TimeUnit.SECONDS)
                .download(DownloadMediaRequest.newBuilder().setId(id).build());
        assertThat(it.next().hasObject()).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        it.forEachRemaining(r -> out.writeBytes(r.getChunk().toByteArray()));
        return out.toByteArray();
    }

    private static Status.Code code(Throwable e) {
        Throwable c = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
        return Status.fromThrowable(c).getCode();
    }

    private List<Event> events(EventKind kind) {
        return t.events().read(ReadEventsRequest.newBuilder().setLimit(1000)
                .setFilter(EventFilter.newBuilder().addKinds(kind)).build()).getEventsList();
    }

    @Test
    void uploadDownloadGetListStatsDelete_roundTrip() throws Exception {
        byte[] bytes = png(700_000);
        MediaObject o = upload("image/png", bytes.length, bytes, -1).get(20, TimeUnit.SECONDS);
        assertThat(o.getState()).isEqualTo(MediaState.STORED);
        assertThat(o.getKind()).isEqualTo(MediaKind.OUTBOUND);
        assertThat(o.getSize()).isEqualTo(bytes.length);
        assertThat(o.getSha256()).isEqualTo(sha256(bytes));
        assertThat(download(o.getId())).isEqualTo(bytes);
        assertThat(t.media().get(GetMediaRequest.newBuilder().setId(o.getId()).build())).isEqualTo(o);
        assertThat(t.media().list(ListMediaRequest.getDefaultInstance()).getObjectsList()).containsExactly(o);
        assertThat(t.media().stats(MediaStatsRequest.getDefaultInstance()).getOutboundBytes()).isEqualTo(bytes.length);
        // no plaintext on disk
        try (var files = Files.walk(t.appliance.config().mediaDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Collections.indexOfSubList(Files.readAllBytes(f), java.util.Arrays.copyOfRange(bytes, 16, 48)))
                        .as("plaintext in %s", f).isEqualTo(-1);
            }
        }
        assertThat(t.media().delete(DeleteMediaRequest.newBuilder().setId(o.getId()).build()).getDeleted()).isTrue();
        assertThat(t.media().delete(DeleteMediaRequest.newBuilder().setId(o.getId()).build()).getDeleted()).isFalse();
        assertThatThrownBy(() -> download(o.getId())).satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND));
    }

    /** Byte lists for indexOfSubList. */
    private static final class Collections {
        static int indexOfSubList(byte[] hay, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= hay.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    @Test
    void badUploads_areRefusedClearly_andLeaveNothing() throws Exception {
        byte[] jpeg = jpeg(10_000);
        assertThatThrownBy(() -> upload("image/png", jpeg.length, jpeg, -1).get(20, TimeUnit.SECONDS))
                .satisfies(e -> {
                    assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getCause().getMessage()).contains("image/png").contains("image/jpeg");
                });
        assertThatThrownBy(() -> upload("image/jpeg", jpeg.length + 5, jpeg, -1).get(20, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> upload("image/jpeg", jpeg.length - 5, jpeg, -1).get(20, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> upload("application/x-msdownload", 10, new byte[10], -1).get(20, TimeUnit.SECONDS))
                .satisfies(e -> {
                    assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getCause().getMessage()).contains("application/x-msdownload");
                });
        assertThatThrownBy(() -> upload("image/jpeg", 6L << 20, new byte[0], -1).get(20, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT)); // over 5 MB
        byte[] big = jpeg(1_000_000);
        upload("image/jpeg", big.length, big, 300_000); // the client disconnects mid-upload
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var stats = t.media().stats(MediaStatsRequest.getDefaultInstance());
            assertThat(stats.getObjects()).isZero();
            assertThat(t.appliance.media().stats().reservedBytes()).isZero();
        });
        try (var temp = Files.list(t.appliance.config().mediaDir().resolve("tmp"))) {
            assertThat(temp.toList()).isEmpty();
        }
    }

    @Test
    void inboundMedia_isFetchedAtOnce_andTheEventsNameItsStoredId() throws Exception {
        byte[] bytes = jpeg(200_000);
        String wamid = t.meta.injectInbound(InboundSpec.media("image", "16505554300", InboundMedia.of(bytes, "image/jpeg")));
        Event inbound = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> events(EventKind.INBOUND_MESSAGE), l -> !l.isEmpty()).get(0);
        String id = inbound.getInbound().getMedia().getStoredMediaId();
        assertThat(id).isNotEmpty();
        Event stored = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> events(EventKind.MEDIA), l -> !l.isEmpty()).get(0);
        assertThat(stored.getMedia().getState()).isEqualTo(MediaState.STORED);
        assertThat(stored.getMedia().getStoredMediaId()).isEqualTo(id);
        assertThat(stored.getMedia().getInboundWamid()).isEqualTo(wamid);
        assertThat(stored.getUser()).isEqualTo(inbound.getUser());
        assertThat(stored.getOffset()).isGreaterThan(inbound.getOffset());
        assertThat(download(id)).isEqualTo(bytes);
        MediaObject o = t.media().get(GetMediaRequest.newBuilder().setId(id).build());
        assertThat(o.getKind()).isEqualTo(MediaKind.INBOUND);
        assertThat(o.getSha256()).isEqualTo(sha256(bytes));
        assertThat(o.getOwner()).isEqualTo("meta:" + TestAppliance.NUMBER_ID);
    }

    @Test
    void aDownloadOfMediaStillBeingFetchedWaitsForIt() throws Exception {
        t.meta.media().failDownloads(2, 503, null); // Meta's trouble: two attempts fail, the third lands
        byte[] bytes = jpeg(50_000);
        t.meta.injectInbound(InboundSpec.media("image", "16505554301", InboundMedia.of(bytes, "image/jpeg")));
        Event inbound = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> events(EventKind.INBOUND_MESSAGE), l -> !l.isEmpty()).get(0);
        String id = inbound.getInbound().getMedia().getStoredMediaId();
        assertThat(download(id)).isEqualTo(bytes); // waits through the retries
        assertThat(t.appliance.metrics().counter("media.inbound_fetch_retries").getCount()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void inboundMediaMetaNoLongerHas_endsLost_withAClearError() {
        t.meta.media().failDownloads(1_000, 503, null);
        t.meta.injectInbound(InboundSpec.media("image", "16505554302", InboundMedia.of(jpeg(5_000), "image/jpeg")));
        Event inbound = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> events(EventKind.INBOUND_MESSAGE), l -> !l.isEmpty()).get(0);
        t.meta.media().lose(inbound.getInbound().getMedia().getMetaMediaId());
        t.meta.media().clearDownloadFaults();
        Event lost = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> events(EventKind.MEDIA), l -> !l.isEmpty()).get(0);
        assertThat(lost.getMedia().getState()).isEqualTo(MediaState.LOST);
        assertThat(lost.getMedia().getError()).contains("no longer has");
        String id = inbound.getInbound().getMedia().getStoredMediaId();
        assertThat(t.media().get(GetMediaRequest.newBuilder().setId(id).build()).getState()).isEqualTo(MediaState.LOST);
        assertThatThrownBy(() -> download(id)).satisfies(e -> {
            assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getMessage()).contains("could not be fetched");
        });
    }

    @Test
    void masterKeyRotation_reWrapsEveryObject_andMediaStaysReadable() throws Exception {
        byte[] a = png(100_000);
        byte[] b = jpeg(70_000);
        String ida = upload("image/png", a.length, a, -1).get(20, TimeUnit.SECONDS).getId();
        String idb = upload("image/jpeg", b.length, b, -1).get(20, TimeUnit.SECONDS).getId();
        String before = t.media().stats(MediaStatsRequest.getDefaultInstance()).getMasterKeyId();
        byte[] keyBefore = Files.readAllBytes(dir.resolve("master.key"));
        KeyRotation r = t.admin().rotateMasterKey(RotateMasterKeyRequest.getDefaultInstance());
        assertThat(r.getTargetKeyId()).isNotEqualTo(before);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                t.media().stats(MediaStatsRequest.getDefaultInstance()).getMasterKeyId().equals(r.getTargetKeyId())
                        && !t.media().stats(MediaStatsRequest.getDefaultInstance()).hasRotation()
                        && !Files.exists(dir.resolve("master.key.next")));
        assertThat(Files.readAllBytes(dir.resolve("master.key"))).isNotEqualTo(keyBefore);
        assertThat(download(ida)).isEqualTo(a);
        assertThat(download(idb)).isEqualTo(b);
        t.closeAppliance(); // and the new key opens the store after a restart
        t.open();
        assertThat(download(ida)).isEqualTo(a);
    }

    /** The field violations of an INVALID_ARGUMENT, as text. */
    private static String violations(StatusRuntimeException e) {
        try {
            return io.grpc.protobuf.StatusProto.fromThrowable(e).getDetails(0)
                    .unpack(com.google.rpc.BadRequest.class).toString();
        } catch (com.google.protobuf.InvalidProtocolBufferException x) {
            throw new AssertionError(x);
        }
    }

    private io.wagate.api.v1.SendResponse sendImage(String to, String storedId) {
        return t.messages().send(io.wagate.api.v1.SendRequest.newBuilder().setFrom("support").setTo(to)
                .setImage(io.wagate.api.v1.Media.newBuilder().setStoredMediaId(storedId).setCaption("our catalogue"))
                .build());
    }

    @Test
    void sendingStoredMedia_uploadsItToMetaOnce_andReusesMetasIdAfterwards() throws Exception {
        byte[] bytes = png(300_000);
        String id = upload("image/png", bytes.length, bytes, -1).get(20, TimeUnit.SECONDS).getId();
        sendImage("+16505551001", id);
        sendImage("+16505551002", id);
        List<io.wagate.sandbox.ReceivedMessage> got = t.meta.awaitReceived(2, Duration.ofSeconds(20));
        assertThat(got).hasSize(2);
        String metaId = got.get(0).body().path("image").path("id").asText();
        assertThat(metaId).isNotEmpty();
        assertThat(got.get(1).body().path("image").path("id").asText()).isEqualTo(metaId);
        assertThat(got.get(0).body().path("image").path("caption").asText()).isEqualTo("our catalogue");
        assertThat(got.get(0).body().path("image").has("stored_media_id")).isFalse();
        io.wagate.sandbox.SandboxMediaStore.Media atMeta = t.meta.media().get(metaId).orElseThrow();
        assertThat(atMeta.sha256()).isEqualTo(sha256(bytes));
        assertThat(atMeta.phoneNumberId()).isEqualTo(TestAppliance.NUMBER_ID);
        assertThat(t.meta.media().stats().uploads()).isEqualTo(1);
        MediaObject o = t.media().get(GetMediaRequest.newBuilder().setId(id).build());
        assertThat(o.getMetaCopiesList()).singleElement().satisfies(c -> {
            assertThat(c.getMetaMediaId()).isEqualTo(metaId);
            assertThat(c.getPhoneNumberId()).isEqualTo(TestAppliance.NUMBER_ID);
        });
    }

    @Test
    void aMetaCopyAboutToExpire_isUploadedAgainTransparently() throws Exception {
        byte[] bytes = jpeg(40_000);
        String id = upload("image/jpeg", bytes.length, bytes, -1).get(20, TimeUnit.SECONDS).getId();
        // Meta's copy from 29.5 days ago: it goes in half a day, within the reuse margin
        t.appliance.media().recordMetaUpload(id, TestAppliance.NUMBER_ID, "111111111111111",
                System.currentTimeMillis() + Duration.ofHours(12).toMillis());
        sendImage("+16505551003", id);
        String sent = t.meta.awaitReceived(1, Duration.ofSeconds(20)).get(0).body().path("image").path("id").asText();
        assertThat(sent).isNotEqualTo("111111111111111");
        assertThat(t.meta.media().get(sent)).isPresent();
        assertThat(t.media().get(GetMediaRequest.newBuilder().setId(id).build()).getMetaCopiesList())
                .singleElement().satisfies(c -> assertThat(c.getMetaMediaId()).isEqualTo(sent));
    }

    @Test
    void sendsNamingStoredMediaThatIsMissingOrOfTheWrongKind_areRefusedAtSend() throws Exception {
        assertThatThrownBy(() -> sendImage("+16505551004", "AAAAAAAAAAAAAAAAAAAAAA"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(violations(e)).contains("image.stored_media_id").contains("no stored media");
                });
        byte[] bytes = png(1_000);
        String id = upload("image/png", bytes.length, bytes, -1).get(20, TimeUnit.SECONDS).getId();
        assertThatThrownBy(() -> t.messages().send(io.wagate.api.v1.SendRequest.newBuilder().setFrom("support")
                .setTo("+16505551005").setAudio(io.wagate.api.v1.Media.newBuilder().setStoredMediaId(id)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(violations(e)).contains("audio.stored_media_id").contains("is image/png");
                });
        assertThat(t.meta.receivedCount()).isZero();
    }

    @Test
    void inboundFetch_whenTheFirstUrlHasExpired_getsAFreshUrlAndStoresTheMedia() throws Exception {
        t.meta.media().failDownloads(1, 404, null); // the first URL answers 404, as an expired one does
        byte[] bytes = jpeg(30_000);
        t.meta.injectInbound(InboundSpec.media("image", "16505554303", InboundMedia.of(bytes, "image/jpeg")));
        Event stored = Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> events(EventKind.MEDIA), l -> !l.isEmpty()).get(0);
        assertThat(stored.getMedia().getState()).isEqualTo(MediaState.STORED);
        assertThat(t.appliance.metrics().counter("media.inbound_fetch_retries").getCount()).isEqualTo(1);
        assertThat(download(stored.getMedia().getStoredMediaId())).isEqualTo(bytes);
    }

    @Test
    void aFileInjectedThroughTheSandboxService_arrivesAsInboundMediaAndDownloads() throws Exception {
        byte[] bytes = jpeg(20_000);
        CompletableFuture<String> wamid = new CompletableFuture<>();
        new io.wagate.grpc.SandboxService(t.meta).injectInbound(io.wagate.api.v1.InjectInboundRequest.newBuilder()
                .setFrom("16505554304").setImage(io.wagate.api.v1.SandboxMedia.newBuilder().setMimeType("image/jpeg")
                        .setCaption("receipt").setContent(ByteString.copyFrom(bytes))).build(), new StreamObserver<>() {
                            @Override
                            public void onNext(io.wagate.api.v1.InjectInboundResponse r) {
                                wamid.complete(r.getWamid());
                            }

                            @Override
                            public void onError(Throwable e) {
                                wamid.completeExceptionally(e);
                            }

                            @Override
                            public void onCompleted() {
                            }
                        });
        assertThat(wamid.get(10, TimeUnit.SECONDS)).startsWith("wamid.");
        Event stored = Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> events(EventKind.MEDIA), l -> !l.isEmpty()).get(0);
        assertThat(stored.getMedia().getState()).isEqualTo(MediaState.STORED);
        Event inbound = events(EventKind.INBOUND_MESSAGE).get(0);
        assertThat(inbound.getInbound().getMedia().getCaption()).isEqualTo("receipt");
        assertThat(download(stored.getMedia().getStoredMediaId())).isEqualTo(bytes);
    }
}
