package io.wagate.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.wagate.config.WebhookConfig;
import io.wagate.events.EventLog;
import io.wagate.events.EventSink;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS from PEM files, with a self-signed certificate made by the JDK's keytool for this run (the
 * key is taken out of its PKCS#12 store as PKCS#8 PEM, the form the config asks for).
 */
class WebhookTlsTest {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    static Path cert;
    static Path key;
    static KeyStore trust;

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path store = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "webhook", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD);
        }
        Certificate c = ks.getCertificate("webhook");
        cert = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", c.getEncoded()));
        key = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", ks.getKey("webhook", STORE_PASSWORD).getEncoded()));
        trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("webhook", c);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static WebhookServer start(Path certFile, Path keyFile, EventSink sink) {
        WebhookConfig config = new WebhookConfig("127.0.0.1", 0, "/webhook", List.of(), null, null, null, certFile,
                keyFile, null);
        return WebhookServer.start(config, WebhookServerTest.CREDENTIALS, NumberAliases.of(Map.of()), sink,
                new MetricRegistry());
    }

    @Test
    void tls_servesHandshakeAndSignedPost() throws Exception {
        try (Database db = Database.open(StoreOptions.defaults(dir.resolve("db")));
             WebhookServer server = start(cert, key, new EventLog(db, System::currentTimeMillis))) {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://localhost:" + server.port() + "/webhook";
            var handshake = https.send(HttpRequest.newBuilder(URI.create(
                    base + "?hub.mode=subscribe&hub.challenge=42&hub.verify_token=verify-me")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(handshake.statusCode()).isEqualTo(200);
            assertThat(handshake.body()).isEqualTo("42");
            byte[] body = WebhookSamples.bytes("text.json");
            var post = https.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Content-Type", "application/json")
                    .header("X-Hub-Signature-256", WebhookServerTest.sign(WebhookServerTest.SECRET_ONE, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.body()).isEqualTo("stored 1, duplicates 0");

            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void unreadableKey_failsAtStartNamingTheKeys() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key\n");
        assertThatThrownBy(() -> start(cert, garbage, events -> new CompletableFuture<>()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("webhook.tls_cert_file")
                .hasMessageContaining("webhook.tls_key_file");
    }
}
