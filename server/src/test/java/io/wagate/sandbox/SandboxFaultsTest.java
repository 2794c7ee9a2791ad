package io.wagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wagate.sandbox.SandboxHttp.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SandboxFaultsTest {

    static final String NUMBER = "106540352242922";
    static final String TOKEN = "EAAG-faults";
    static final String PATH = "/v25.0/" + NUMBER + "/messages";
    static final String ALICE = "+16505550001";
    static final String BOB = "+16505550002";

    static SandboxEmulator sandbox;
    static URI base;

    @BeforeAll
    static void start() {
        sandbox = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN));
        base = sandbox.baseUrl();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.clearReceived();
        sandbox.faults().clear();
    }

    static String text(String to) {
        return "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}";
    }

    @Test
    void failNext_forRecipient_answersCodeThenRecovers() throws Exception {
        sandbox.faults().failNext(2, ALICE, 131056);

        Response bob = SandboxHttp.post(base, PATH, TOKEN, text(BOB));
        Response first = SandboxHttp.post(base, PATH, TOKEN, text(ALICE));
        Response second = SandboxHttp.post(base, PATH, TOKEN, text(ALICE));
        Response third = SandboxHttp.post(base, PATH, TOKEN, text(ALICE));

        assertThat(bob.status()).isEqualTo(200);
        assertThat(first.status()).isEqualTo(400);
        assertThat(first.code()).isEqualTo(131056);
        assertThat(first.body().at("/error/message").asText())
                .isEqualTo("(#131056) (Business Account, Consumer Account) pair rate limit hit");
        assertThat(second.code()).isEqualTo(131056);
        assertThat(third.status()).isEqualTo(200);
        assertThat(sandbox.receivedCount()).as("faulted requests are not received").isEqualTo(2);
        assertThat(sandbox.attempted()).isEmpty();
        assertThat(sandbox.faults().pending()).isZero();
    }

    @Test
    void failNext_anyRecipient_withChosenStatusAndDetails() throws Exception {
        sandbox.faults().add(1, null, new FaultPlan.MetaError(130429, 429, "Cloud API message throughput has been reached."));

        Response r = SandboxHttp.post(base, PATH, TOKEN, text(BOB));

        assertThat(r.status()).isEqualTo(429);
        assertThat(r.code()).isEqualTo(130429);
        assertThat(r.body().at("/error/error_data/details").asText()).isEqualTo("Cloud API message throughput has been reached.");
    }

    @Test
    void failNext_defaultsToTableStatus() throws Exception {
        sandbox.faults().failNext(1, null, 131000);
        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(BOB)).status()).isEqualTo(500);
    }

    @Test
    void faults_applyAfterAuthentication() throws Exception {
        sandbox.faults().failNext(1, null, 131000);
        assertThat(SandboxHttp.post(base, PATH, "wrong", text(BOB)).code()).isEqualTo(190);
        assertThat(sandbox.faults().pending()).isEqualTo(1);
    }

    @Test
    void dropNext_closesWithoutAnswerAndRecordsAttempt() throws Exception {
        sandbox.faults().dropNext(1, ALICE);

        assertThatThrownBy(() -> SandboxHttp.post(base, PATH, TOKEN, text(ALICE))).isInstanceOf(IOException.class);

        assertThat(sandbox.attempted()).singleElement()
                .satisfies(m -> assertThat(m.body().path("to").asText()).isEqualTo(ALICE));
        assertThat(sandbox.receivedCount()).isZero();
        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(ALICE)).status()).isEqualTo(200);
    }

    @Test
    void stallNext_neverAnswersAndRecordsAttempt() throws Exception {
        sandbox.faults().stallNext(1, null);

        assertThatThrownBy(() -> SandboxHttp.post(base, PATH, TOKEN, text(BOB), Duration.ofMillis(400)))
                .isInstanceOf(HttpTimeoutException.class);

        assertThat(sandbox.attempted()).hasSize(1);
        assertThat(sandbox.receivedCount()).isZero();
        assertThat(SandboxHttp.post(base, PATH, TOKEN, text(BOB)).status()).isEqualTo(200);
    }

    @Test
    void close_endsStalledConnections() throws Exception {
        SandboxEmulator own = SandboxEmulator.start(SandboxOptions.defaults().withNumber(NUMBER, TOKEN));
        own.faults().stallNext(1, null);
        var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return SandboxHttp.post(own.baseUrl(), PATH, TOKEN, text(BOB), Duration.ofSeconds(30));
            } catch (IOException | InterruptedException e) {
                return null;
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> own.attempted().size() == 1);

        own.close();

        assertThat(pending.get(5, java.util.concurrent.TimeUnit.SECONDS)).as("client sees the connection end").isNull();
    }
}
