package io.wagate.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Text;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Network trouble is data: whether the request may have reached Meta decides between resend and reconcile. */
class CloudApiClientTransportTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "EAAG-transport";
    final ObjectNode payload = new MessagePayloadMapper().toJson(
            SendRequest.newBuilder().setText(Text.newBuilder().setBody("hi")).build(), "+16505551234", null);

    static SendResult.TransportFailure transportFailure(SendResult r) {
        assertThat(r).as("%s", r).isInstanceOf(SendResult.TransportFailure.class);
        SendResult.TransportFailure f = (SendResult.TransportFailure) r;
        assertThat(f.retryClass()).isEqualTo(RetryClass.TRANSIENT);
        assertThat(f.description()).isNotBlank().doesNotContain(TOKEN);
        return f;
    }

    @Test
    void send_closedPort_wasNotSent() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (CloudApiClient c = new CloudApiClient(URI.create("http://127.0.0.1:" + port), "v25.0",
                Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            SendResult.TransportFailure f = transportFailure(c.sendMessage(NUMBER, TOKEN, payload).get(10, TimeUnit.SECONDS));
            assertThat(f.requestMayHaveBeenSent()).isFalse();
        }
    }

    @Test
    void send_serverReadsAndNeverAnswers_mayHaveBeenSent() throws Exception {
        CountDownLatch requestRead = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread stall = new Thread(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[8192]);
                    requestRead.countDown();
                    // Keep the connection open and silent until the client gives up.
                    while (in.read() != -1) {
                        // discard
                    }
                } catch (IOException e) {
                    // the test closed the server socket
                }
            }, "stalling-server");
            stall.setDaemon(true);
            stall.start();
            try (CloudApiClient c = new CloudApiClient(URI.create("http://127.0.0.1:" + server.getLocalPort()), "v25.0",
                    Duration.ofSeconds(2), Duration.ofMillis(500))) {
                SendResult.TransportFailure f = transportFailure(c.sendMessage(NUMBER, TOKEN, payload).get(10, TimeUnit.SECONDS));
                assertThat(requestRead.await(1, TimeUnit.SECONDS)).isTrue();
                assertThat(f.requestMayHaveBeenSent()).isTrue();
                assertThat(f.description()).contains("timeout");
            }
        }
    }

    @Test
    void send_sandboxStall_mayHaveBeenSentAndSandboxSawIt() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN));
             CloudApiClient c = new CloudApiClient(sandbox.baseUrl(), "v25.0", Duration.ofSeconds(2), Duration.ofMillis(500))) {
            sandbox.faults().stallNext(1, null);

            SendResult.TransportFailure f = transportFailure(c.sendMessage(NUMBER, TOKEN, payload).get(10, TimeUnit.SECONDS));

            assertThat(f.requestMayHaveBeenSent()).isTrue();
            assertThat(sandbox.attempted()).hasSize(1);
            assertThat(c.sendMessage(NUMBER, TOKEN, payload).get()).isInstanceOf(SendResult.Accepted.class);
        }
    }

    @Test
    void send_sandboxDrop_mayHaveBeenSent() throws Exception {
        try (SandboxEmulator sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN));
             CloudApiClient c = new CloudApiClient(sandbox.baseUrl(), "v25.0", Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            sandbox.faults().dropNext(1, "+16505551234");

            SendResult.TransportFailure f = transportFailure(c.sendMessage(NUMBER, TOKEN, payload).get(10, TimeUnit.SECONDS));

            assertThat(f.requestMayHaveBeenSent()).isTrue();
            assertThat(sandbox.attempted()).hasSize(1);
            assertThat(sandbox.receivedCount()).isZero();
        }
    }

    @Test
    void send_afterClose_isNotSent() throws Exception {
        CloudApiClient c = new CloudApiClient(URI.create("http://127.0.0.1:1"), "v25.0", Duration.ofSeconds(1), Duration.ofSeconds(1));
        c.close();
        SendResult.TransportFailure f = transportFailure(c.sendMessage(NUMBER, TOKEN, payload).get(10, TimeUnit.SECONDS));
        assertThat(f.requestMayHaveBeenSent()).isFalse();
    }
}
