package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wagate.cloudapi.CloudApiClient;
import io.wagate.cloudapi.MediaResult;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator's media endpoints as Meta answers them, inbound media, sends naming media ids, and the media control API. */
@org.junit.jupiter.api.Timeout(60)
class SandboxMediaTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "tok";
    static final String OTHER = "106540352242923";
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    WebhookReceiver receiver;
    SandboxEmulator sandbox;
    CloudApiClient client;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN).withNumber(OTHER, "tok2")
                .withWebhooks(WebhookOptions.OFF.withTarget(receiver.uri(), WebhookReceiver.SECRET)
                        .withBehaviour(WebhookBehaviour.DEFAULT.withSkipRead(true))));
        client = new CloudApiClient(sandbox.baseUrl(), "v25.0", Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        client.close();
        sandbox.close();
        receiver.close();
    }

    /** A multipart body of the given parts: {name, value} fields, or {name, filename, contentType, value} files. */
    static HttpResponse<String> multipart(URI base, String path, String token, List<String[]> parts) throws Exception {
        String boundary = "XyZ123";
        StringBuilder b = new StringBuilder();
        for (String[] p : parts) {
            b.append("--").append(boundary).append("\r\n");
            if (p.length == 2) {
                b.append("Content-Disposition: form-data; name=\"").append(p[0]).append("\"\r\n\r\n").append(p[1]);
            } else {
                b.append("Content-Disposition: form-data; name=\"").append(p[0]).append("\"; filename=\"").append(p[1])
                        .append("\"\r\nContent-Type: ").append(p[2]).append("\r\n\r\n").append(p[3]);
            }
            b.append("\r\n");
        }
        b.append("--").append(boundary).append("--\r\n");
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(b.toString()));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode error(HttpResponse<String> r) throws Exception {
        return SandboxHttp.JSON.readTree(r.body()).path("error");
    }

    @Test
    void upload_withAllParts_answersANumericId() throws Exception {
        HttpResponse<String> r = multipart(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/media", TOKEN, List.<String[]>of(
                new String[] {"messaging_product", "whatsapp"}, new String[] {"type", "image/png"},
                new String[] {"file", "a.png", "image/png", "PNGDATA"}));
        assertThat(r.statusCode()).isEqualTo(200);
        String id = SandboxHttp.JSON.readTree(r.body()).path("id").asText();
        assertThat(id).matches("[0-9]{16,20}");
        assertThat(sandbox.media().get(id)).get().extracting(SandboxMediaStore.Media::size).isEqualTo(7L);
    }

    @Test
    void upload_withoutMessagingProduct_is100NamingIt() throws Exception {
        HttpResponse<String> r = multipart(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/media", TOKEN, List.<String[]>of(
                new String[] {"file", "a.png", "image/png", "PNGDATA"}));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("code").asInt()).isEqualTo(100);
        assertThat(error(r).path("message").asText()).isEqualTo("(#100) The parameter messaging_product is required.");
    }

    @Test
    void upload_withoutFilePart_is100NamingIt() throws Exception {
        HttpResponse<String> r = multipart(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/media", TOKEN, List.<String[]>of(
                new String[] {"messaging_product", "whatsapp"}, new String[] {"type", "image/png"}));
        assertThat(error(r).path("code").asInt()).isEqualTo(100);
        assertThat(error(r).path("error_data").path("details").asText()).contains("file");
    }

    @Test
    void upload_withoutBearer_is190_andTheConnectionStaysUsable() throws Exception {
        HttpResponse<String> r = multipart(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/media", null, List.<String[]>of(
                new String[] {"messaging_product", "whatsapp"}, new String[] {"file", "a.png", "image/png", "x"}));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r).path("code").asInt()).isEqualTo(190);
        HttpResponse<String> again = multipart(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/media", TOKEN, List.<String[]>of(
                new String[] {"messaging_product", "whatsapp"}, new String[] {"file", "a.png", "image/png", "x"}));
        assertThat(again.statusCode()).isEqualTo(200);
    }

    @Test
    void upload_withExpectContinue_isAnswered_andRefusedAtOnceWithoutToken() throws Exception {
        byte[] body = ("--B\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n--B\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                + "hello\r\n--B--\r\n").getBytes(StandardCharsets.US_ASCII);
        HttpRequest.Builder r = HttpRequest.newBuilder(sandbox.baseUrl().resolve("/v25.0/" + NUMBER + "/media"))
                .expectContinue(true).header("Content-Type", "multipart/form-data; boundary=B")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> ok = HTTP.send(r.copy().header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        // JDK 17's client waits forever for a 100 after a final answer, so the refusal is read off a plain socket
        try (java.net.Socket s = new java.net.Socket(sandbox.baseUrl().getHost(), sandbox.baseUrl().getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST /v25.0/" + NUMBER + "/media HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    + "Content-Type: multipart/form-data; boundary=B\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 401 Unauthorized");
        }
    }

    @Test
    void upload_bodyOverTheUploadLimit_isReadDiscardedAndRefused_spoolingLargePartsToDisk() throws Exception {
        sandbox.close();
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN)
                .withMedia(MediaOptions.META.withMaxUploadBytes(600_000).withDiskThreshold(16_384)));
        client.close();
        client = new CloudApiClient(sandbox.baseUrl(), "v25.0", Duration.ofSeconds(2), Duration.ofSeconds(10));
        byte[] big = new byte[700_000];
        MediaResult r = client.uploadMedia(NUMBER, TOKEN, "application/pdf", "big.pdf",
                () -> new java.io.ByteArrayInputStream(big), big.length).join();
        assertThat(r).isInstanceOf(io.wagate.cloudapi.SendResult.MetaError.class);
        assertThat(((io.wagate.cloudapi.SendResult.MetaError) r).code()).isEqualTo(131053);
        byte[] spooled = new byte[500_000];
        new java.util.Random(3).nextBytes(spooled);
        MediaResult ok = client.uploadMedia(NUMBER, TOKEN, "application/pdf", "ok.pdf",
                () -> new java.io.ByteArrayInputStream(spooled), spooled.length).join();
        String id = ((MediaResult.Uploaded) ok).mediaId();
        assertThat(sandbox.media().get(id).orElseThrow().sha256()).isEqualTo(SandboxMediaStore.sha256Hex(spooled));
    }

    @Test
    void getOnTheUploadPath_isUnsupported() throws Exception {
        SandboxHttp.Response r = SandboxHttp.get(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/media");
        assertThat(r.code()).isEqualTo(100);
    }

    @Test
    void inboundMedia_webhookIdDownloadsToTheSameBytesAndSha256() throws Exception {
        byte[] bytes = "a voice note".getBytes(StandardCharsets.UTF_8);
        sandbox.injectInbound(InboundSpec.voice("16505551234", InboundMedia.of(bytes, null)));
        sandbox.injectInbound(InboundSpec.media("document", "16505551234", InboundMedia.ofSize(300_000)
                .withMimeType("application/pdf")).with("filename", "r.pdf").with("caption", "report"));
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        List<JsonNode> messages = new ArrayList<>();
        receiver.posts().forEach(p -> p.json().path("entry").forEach(e -> e.path("changes")
                .forEach(c -> c.path("value").path("messages").forEach(messages::add))));
        assertThat(messages).hasSize(2);

        JsonNode audio = messages.stream().filter(m -> m.path("type").asText().equals("audio")).findFirst().orElseThrow();
        assertThat(audio.path("audio").path("voice").asBoolean()).isTrue();
        assertThat(audio.path("audio").path("mime_type").asText()).isEqualTo("audio/ogg; codecs=opus");
        assertThat(audio.path("audio").path("sha256").asText()).isEqualTo(SandboxMediaStore.sha256Hex(bytes));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        MediaResult.MediaUrl u = (MediaResult.MediaUrl) client.retrieveMediaUrl(audio.path("audio").path("id").asText(),
                NUMBER, TOKEN).join();
        assertThat(client.downloadMedia(u.url(), TOKEN, sink, audio.path("audio").path("sha256").asText()).join())
                .isInstanceOf(MediaResult.Downloaded.class);
        assertThat(sink.toByteArray()).isEqualTo(bytes);

        JsonNode doc = messages.stream().filter(m -> m.path("type").asText().equals("document")).findFirst().orElseThrow();
        assertThat(doc.path("document").path("filename").asText()).isEqualTo("r.pdf");
        assertThat(doc.path("document").path("caption").asText()).isEqualTo("report");
        MediaResult.MediaUrl du = (MediaResult.MediaUrl) client.retrieveMediaUrl(doc.path("document").path("id").asText(),
                NUMBER, TOKEN).join();
        assertThat(du.fileSize()).isEqualTo(300_000);
        assertThat(client.downloadMedia(du.url(), TOKEN, new ByteArrayOutputStream(),
                doc.path("document").path("sha256").asText()).join()).isInstanceOf(MediaResult.Downloaded.class);
    }

    @Test
    void inboundMedia_idLivesSevenDays_andALostIdIsGone() {
        sandbox.injectInbound(InboundSpec.media("image", "16505551234", InboundMedia.ofSize(10)));
        sandbox.injectInbound(InboundSpec.media("image", "16505551234", InboundMedia.ofSize(10)));
        List<SandboxMediaStore.Media> stored = sandbox.media().list();
        assertThat(stored).hasSize(2).allMatch(m -> m.origin() == SandboxMediaStore.Origin.INBOUND
                && m.mimeType().equals("image/jpeg"));
        String lost = stored.get(0).id();
        String kept = stored.get(1).id();
        assertThat(sandbox.media().lose(lost)).isTrue();
        assertThat(client.retrieveMediaUrl(lost, NUMBER, TOKEN).join()).isInstanceOf(MediaResult.MediaGone.class);

        sandbox.media().advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(client.retrieveMediaUrl(kept, NUMBER, TOKEN).join()).isInstanceOf(MediaResult.MediaUrl.class);
        sandbox.media().advance(Duration.ofSeconds(1));
        assertThat(client.retrieveMediaUrl(kept, NUMBER, TOKEN).join()).isInstanceOf(MediaResult.MediaGone.class);
    }

    @Test
    void inboundMedia_withoutBytesOrId_getsADownloadableGeneratedFile_andAGivenIdIsKept() {
        sandbox.injectInbound(InboundSpec.media("sticker", "16505551234", (String) null));
        assertThat(sandbox.media().list()).singleElement().satisfies(m -> {
            assertThat(m.mimeType()).isEqualTo("image/webp");
            assertThat(m.size()).isEqualTo(1024);
        });
        sandbox.injectInbound(InboundSpec.media("image", "16505551234", "1479537139650973"));
        assertThat(sandbox.media().list()).hasSize(1);
    }

    @Test
    void inboundMedia_overTheControlApi_takesBase64OrASize() throws Exception {
        String b64 = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.US_ASCII));
        SandboxHttp.Response r = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/inbound",
                "{\"from\":\"16505551234\",\"type\":\"document\",\"document\":{\"filename\":\"h.txt\"},"
                        + "\"media\":{\"base64\":\"" + b64 + "\",\"mime_type\":\"text/plain\"}}");
        assertThat(r.status()).isEqualTo(200);
        SandboxHttp.Response sized = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/inbound",
                "{\"from\":\"16505551234\",\"type\":\"video\",\"media\":{\"size\":4096}}");
        assertThat(sized.status()).isEqualTo(200);
        SandboxHttp.Response bad = SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/inbound",
                "{\"from\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"x\"},\"media\":{\"size\":1}}");
        assertThat(bad.status()).isEqualTo(400);

        SandboxHttp.Response list = SandboxHttp.get(sandbox.baseUrl(), "/_sandbox/media?phone_number_id=" + NUMBER);
        assertThat(list.body().path("count").asInt()).isEqualTo(2);
        assertThat(list.body().path("bytes").asLong()).isEqualTo(5 + 4096);
        assertThat(list.body().path("media").findValuesAsText("mime_type")).containsExactlyInAnyOrder("text/plain", "video/mp4");
    }

    @Test
    void inboundMedia_withoutAWebhookTarget_storesNothing() {
        sandbox.webhooks().setOptions(WebhookOptions.OFF);
        assertThatThrownBy(() -> sandbox.injectInbound(InboundSpec.media("image", "16505551234", InboundMedia.ofSize(10))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(sandbox.media().list()).isEmpty();
    }

    @Test
    void send_withItsOwnMediaId_isDelivered_butAnUnknownOrForeignId_failsWith131053() throws Exception {
        String own = sandbox.media().put(NUMBER, "image/png", new byte[] {1}, SandboxMediaStore.Origin.UPLOAD).id();
        String foreign = sandbox.media().put(OTHER, "image/png", new byte[] {1}, SandboxMediaStore.Origin.UPLOAD).id();
        for (String[] c : new String[][] {{"+16505550001", own}, {"+16505550002", foreign}, {"+16505550003", "999"}}) {
            SandboxHttp.Response r = SandboxHttp.post(sandbox.baseUrl(), "/v25.0/" + NUMBER + "/messages", TOKEN,
                    "{\"messaging_product\":\"whatsapp\",\"to\":\"" + c[0] + "\",\"type\":\"image\",\"image\":{\"id\":\"" + c[1] + "\"}}");
            assertThat(r.status()).as("accepted synchronously: %s", c[1]).isEqualTo(200);
        }
        assertThat(sandbox.awaitWebhooksIdle(WAIT)).isTrue();
        List<JsonNode> statuses = receiver.acceptedStatuses();
        assertThat(statuses).filteredOn(s -> s.path("recipient_id").asText().equals("16505550001"))
                .extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered");
        for (String user : List.of("16505550002", "16505550003")) {
            JsonNode failed = statuses.stream().filter(s -> s.path("recipient_id").asText().equals(user)
                    && s.path("status").asText().equals("failed")).findFirst().orElseThrow();
            assertThat(failed.path("errors").get(0).path("code").asInt()).isEqualTo(131053);
        }
    }

    @Test
    void controlApi_expiresUrls_losesIds_andScriptsDownloadFailures() throws Exception {
        String id = sandbox.media().put(NUMBER, "application/pdf", new byte[] {1, 2, 3}, SandboxMediaStore.Origin.UPLOAD).id();
        String url = ((MediaResult.MediaUrl) client.retrieveMediaUrl(id, NUMBER, TOKEN).join()).url();
        assertThat(SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/media/urls/expire", null).body()
                .path("expired").asInt()).isEqualTo(1);
        assertThat(client.downloadMedia(url, TOKEN, new ByteArrayOutputStream(), null).join())
                .isInstanceOf(MediaResult.UrlExpired.class);

        assertThat(SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/media/faults",
                "{\"http_status\":500,\"times\":1}").status()).isEqualTo(201);
        String fresh = ((MediaResult.MediaUrl) client.retrieveMediaUrl(id, NUMBER, TOKEN).join()).url();
        assertThat(client.downloadMedia(fresh, TOKEN, new ByteArrayOutputStream(), null).join())
                .isInstanceOf(io.wagate.cloudapi.SendResult.MetaError.class);
        assertThat(client.downloadMedia(fresh, TOKEN, new ByteArrayOutputStream(), null).join())
                .isInstanceOf(MediaResult.Downloaded.class);

        assertThat(SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/media/" + id + "/lose", null).status())
                .isEqualTo(200);
        assertThat(SandboxHttp.control(sandbox.baseUrl(), "POST", "/_sandbox/media/" + id + "/lose", null).status())
                .isEqualTo(404);
        assertThat(client.retrieveMediaUrl(id, NUMBER, TOKEN).join()).isInstanceOf(MediaResult.MediaGone.class);
        JsonNode stats = SandboxHttp.get(sandbox.baseUrl(), "/_sandbox/media").body();
        assertThat(stats.path("count").asInt()).isZero();
        assertThat(stats.path("failed_downloads").asInt()).isEqualTo(1);
    }

    @Test
    void store_overItsBound_evictsTheOldest() {
        SandboxMediaStore store = new SandboxMediaStore(MediaOptions.META.withMaxStoreBytes(MediaOptions.MAX_MEDIA_BYTES));
        String first = store.put(NUMBER, "application/pdf", new byte[60 * 1024 * 1024], SandboxMediaStore.Origin.UPLOAD).id();
        String second = store.put(NUMBER, "application/pdf", new byte[60 * 1024 * 1024], SandboxMediaStore.Origin.UPLOAD).id();
        assertThat(store.get(first)).isEmpty();
        assertThat(store.get(second)).isPresent();
        assertThat(store.stats().evicted()).isEqualTo(1);
        assertThat(store.stats().bytes()).isEqualTo(60L * 1024 * 1024);
    }
}
