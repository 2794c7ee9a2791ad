package io.wagate.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wagate.sandbox.MediaOptions;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client's media calls against the sandbox's media endpoints over real sockets. */
@org.junit.jupiter.api.Timeout(60)
class CloudApiClientMediaTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "EAAG-media-token";
    static final String OTHER = "106540352242923";
    static final String OTHER_TOKEN = "EAAG-other-token";

    static SandboxEmulator sandbox;
    static CloudApiClient client;

    @BeforeAll
    static void start() {
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN).withNumber(OTHER, OTHER_TOKEN)
                .withMedia(MediaOptions.META));
        client = new CloudApiClient(sandbox.baseUrl(), "v25.0", Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.media().clear();
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    MediaResult upload(String number, String token, String mime, byte[] bytes) {
        return client.uploadMedia(number, token, mime, "f.bin", () -> new ByteArrayInputStream(bytes), bytes.length).join();
    }

    String uploadOk(String mime, byte[] bytes) {
        MediaResult r = upload(NUMBER, TOKEN, mime, bytes);
        assertThat(r).as("%s", r).isInstanceOf(MediaResult.Uploaded.class);
        String id = ((MediaResult.Uploaded) r).mediaId();
        assertThat(id).matches("[0-9]{16,20}");
        return id;
    }

    MediaResult.MediaUrl url(String id) {
        MediaResult r = client.retrieveMediaUrl(id, NUMBER, TOKEN).join();
        assertThat(r).as("%s", r).isInstanceOf(MediaResult.MediaUrl.class);
        return (MediaResult.MediaUrl) r;
    }

    SendResult.MetaError metaError(MediaResult r) {
        assertThat(r).as("%s", r).isInstanceOf(SendResult.MetaError.class);
        return (SendResult.MetaError) r;
    }

    @ParameterizedTest(name = "{0} bytes of {1}")
    @CsvSource({"1, text/plain", "2048, image/jpeg", "3145728, application/pdf", "1000000, audio/ogg; codecs=opus"})
    void upload_retrieveUrl_download_roundTripsTheBytesAndSha256(int size, String mime) throws Exception {
        byte[] bytes = random(size, size);
        String id = uploadOk(mime, bytes);

        MediaResult.MediaUrl u = url(id);
        assertThat(u.mediaId()).isEqualTo(id);
        assertThat(u.mimeType()).isEqualTo(mime);
        assertThat(u.fileSize()).isEqualTo(size);
        assertThat(u.sha256()).isEqualTo(sha256(bytes));
        assertThat(u.url()).startsWith(sandbox.baseUrl() + "/_lookaside/whatsapp_business/attachments/?mid=" + id);

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        MediaResult d = client.downloadMedia(u.url(), TOKEN, sink, u.sha256()).join();
        assertThat(d).isEqualTo(new MediaResult.Downloaded(size, sha256(bytes), mime));
        assertThat(sink.toByteArray()).isEqualTo(bytes);
    }

    /** The same scrambled bytes every time, generated as read: the test holds none of them. */
    static java.io.InputStream generated(long size) {
        return new java.io.InputStream() {
            long left = size;
            long pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++, pos++) {
                    b[off + i] = (byte) ((pos * 2654435761L) >>> 13);
                }
                left -= n;
                return n;
            }
        };
    }

    @Test
    void upload_andDownload_ofAVideoAtItsCap_streamWithTheSha256Checked_andOneByteMoreIsRefused() throws Exception {
        long size = 16L * 1024 * 1024; // video's cap (a 100 MB document takes ~10 s here under paranoid leak detection)
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (java.io.InputStream in = generated(size)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        String expected = HexFormat.of().formatHex(md.digest());
        MediaResult up = client.uploadMedia(NUMBER, TOKEN, "video/mp4", "big.mp4", () -> generated(size), size).join();
        String id = ((MediaResult.Uploaded) up).mediaId();
        long[] written = new long[1];
        java.io.OutputStream counting = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
            }
        };
        MediaResult d = client.downloadMedia(url(id).url(), TOKEN, counting, expected).join();
        assertThat(d).isEqualTo(new MediaResult.Downloaded(size, expected, "video/mp4"));
        assertThat(written[0]).isEqualTo(size);
        assertThat(metaError(client.uploadMedia(NUMBER, TOKEN, "video/mp4", "big.mp4", () -> generated(size + 1),
                size + 1).join()).code()).isEqualTo(131053);
    }

    @Test
    void upload_fromPath_streamsTheFile(@TempDir Path dir) throws Exception {
        byte[] bytes = random(200_000, 7);
        Path f = Files.write(dir.resolve("clip.mp4"), bytes);
        MediaResult r = client.uploadMedia(NUMBER, TOKEN, "video/mp4", "clip.mp4", f).join();
        String id = ((MediaResult.Uploaded) r).mediaId();
        assertThat(url(id).sha256()).isEqualTo(sha256(bytes));
    }

    @Test
    void upload_emptyFile_isRefusedWith131053() {
        SendResult.MetaError e = metaError(upload(NUMBER, TOKEN, "application/pdf", new byte[0]));
        assertThat(e.code()).isEqualTo(131053);
        assertThat(e.details()).contains("empty");
        assertThat(e.retryClass()).isEqualTo(RetryClass.PERMANENT);
    }

    @Test
    void upload_badToken_is190Auth() {
        SendResult.MetaError e = metaError(upload(NUMBER, "nope", "image/png", random(10, 1)));
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.code()).isEqualTo(190);
        assertThat(e.retryClass()).isEqualTo(RetryClass.AUTH);
    }

    @Test
    void upload_toANumberTheTokenDoesNotOwn_is100Subcode33() {
        SendResult.MetaError e = metaError(upload(OTHER, TOKEN, "image/png", random(10, 1)));
        assertThat(e.code()).isEqualTo(100);
        assertThat(e.subcode()).isEqualTo(33);
    }

    @Test
    void upload_mimeTypeMetaRefuses_is131053NamingTheType() {
        SendResult.MetaError e = metaError(upload(NUMBER, TOKEN, "application/x-msdownload", random(10, 1)));
        assertThat(e.code()).isEqualTo(131053);
        assertThat(e.title()).isEqualTo("Media upload error");
        assertThat(e.details()).contains("Received file of type 'application/x-msdownload'").contains("image/jpeg");
    }

    @Test
    void upload_overTheTypesCap_is131053NamingTheCap() {
        SendResult.MetaError e = metaError(upload(NUMBER, TOKEN, "image/jpeg", new byte[5 * 1024 * 1024 + 1]));
        assertThat(e.code()).isEqualTo(131053);
        assertThat(e.details()).contains("image/jpeg").contains("5242880");
        assertThat(metaError(upload(NUMBER, TOKEN, "image/webp", new byte[100 * 1024 + 1])).details())
                .contains("sticker").contains("102400");
    }

    @Test
    void retrieveUrl_ofAnotherNumbersMedia_isMediaGone() {
        String id = uploadOk("image/png", random(100, 2));
        assertThat(client.retrieveMediaUrl(id, null, OTHER_TOKEN).join()).isInstanceOf(MediaResult.MediaGone.class);
        MediaResult guarded = client.retrieveMediaUrl(id, OTHER, TOKEN).join();
        assertThat(guarded).isInstanceOf(MediaResult.MediaGone.class);
        assertThat(((MediaResult.MediaGone) guarded).subcode()).isEqualTo(33);
        assertThat(client.retrieveMediaUrl(id, null, TOKEN).join()).isInstanceOf(MediaResult.MediaUrl.class);
    }

    @Test
    void retrieveUrl_unknownId_isMediaGone_butBadTokenIsAuth() {
        assertThat(client.retrieveMediaUrl("1234567890123456", NUMBER, TOKEN).join()).isInstanceOf(MediaResult.MediaGone.class);
        assertThat(metaError(client.retrieveMediaUrl("1234567890123456", NUMBER, "nope").join()).retryClass())
                .isEqualTo(RetryClass.AUTH);
    }

    @Test
    void mediaId_expiresThirtyDaysAfterUpload() {
        String id = uploadOk("image/png", random(100, 3));
        sandbox.media().advance(Duration.ofDays(30).minusMinutes(1));
        assertThat(client.retrieveMediaUrl(id, NUMBER, TOKEN).join()).isInstanceOf(MediaResult.MediaUrl.class);
        sandbox.media().advance(Duration.ofMinutes(1));
        assertThat(client.retrieveMediaUrl(id, NUMBER, TOKEN).join()).isInstanceOf(MediaResult.MediaGone.class);
    }

    @Test
    void download_afterTheUrlExpired_isUrlExpired_andAFreshUrlWorks() throws Exception {
        byte[] bytes = random(5000, 4);
        String id = uploadOk("application/pdf", bytes);
        MediaResult.MediaUrl first = url(id);
        sandbox.media().advance(Duration.ofMinutes(5));
        assertThat(client.downloadMedia(first.url(), TOKEN, new ByteArrayOutputStream(), null).join())
                .isEqualTo(new MediaResult.UrlExpired(404));

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        MediaResult d = client.downloadMedia(url(id).url(), TOKEN, sink, sha256(bytes)).join();
        assertThat(d).isInstanceOf(MediaResult.Downloaded.class);
        assertThat(sink.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void download_withoutBearer_is401_andWithAnotherNumbersToken_isAuth() throws Exception {
        String id = uploadOk("image/png", random(100, 5));
        String u = url(id).url();
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<byte[]> res = plain.send(HttpRequest.newBuilder(URI.create(u)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(res.statusCode()).isEqualTo(401);

        SendResult.MetaError e = metaError(client.downloadMedia(u, OTHER_TOKEN, new ByteArrayOutputStream(), null).join());
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.retryClass()).isEqualTo(RetryClass.AUTH);
    }

    @Test
    void delete_thenRetrieve_isMediaGone_andTheOldUrl404s() {
        String id = uploadOk("image/png", random(100, 6));
        String u = url(id).url();
        assertThat(client.deleteMedia(id, NUMBER, TOKEN).join()).isEqualTo(new MediaResult.Deleted());
        assertThat(client.retrieveMediaUrl(id, NUMBER, TOKEN).join()).isInstanceOf(MediaResult.MediaGone.class);
        assertThat(client.deleteMedia(id, NUMBER, TOKEN).join()).isInstanceOf(MediaResult.MediaGone.class);
        assertThat(client.downloadMedia(u, TOKEN, new ByteArrayOutputStream(), null).join())
                .isEqualTo(new MediaResult.UrlExpired(404));
    }

    @Test
    void download_scriptedFailures_areTransientThenSucceed() {
        byte[] bytes = random(70_000, 8);
        String id = uploadOk("application/pdf", bytes);
        sandbox.media().failDownloads(2, 503, null);
        for (int i = 0; i < 2; i++) {
            SendResult.MetaError e = metaError(client.downloadMedia(url(id).url(), TOKEN, new ByteArrayOutputStream(), null).join());
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.retryClass()).isEqualTo(RetryClass.TRANSIENT);
        }
        sandbox.media().failDownloads(1, 404, id);
        assertThat(client.downloadMedia(url(id).url(), TOKEN, new ByteArrayOutputStream(), null).join())
                .isInstanceOf(MediaResult.UrlExpired.class);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertThat(client.downloadMedia(url(id).url(), TOKEN, sink, null).join()).isInstanceOf(MediaResult.Downloaded.class);
        assertThat(sink.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void download_pastTheLimit_isTooLarge_andAWrongSha256_isChecksumMismatch() {
        String id = uploadOk("application/pdf", random(300_000, 9));
        assertThat(client.downloadMedia(url(id).url(), TOKEN, new ByteArrayOutputStream(), null, 100_000).join())
                .isEqualTo(new MediaResult.TooLarge(100_000));
        MediaResult r = client.downloadMedia(url(id).url(), TOKEN, new ByteArrayOutputStream(), "00".repeat(32)).join();
        assertThat(r).isInstanceOf(MediaResult.ChecksumMismatch.class);
        assertThat(((MediaResult.ChecksumMismatch) r).bytes()).isEqualTo(300_000);
    }

    @Test
    void download_refusesToSendTheTokenToANonHttpUrl() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                client.downloadMedia("file:///etc/passwd", TOKEN, new ByteArrayOutputStream(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
