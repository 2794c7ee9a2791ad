package io.wagate.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.wagate.TestAppliance;
import io.wagate.api.v1.BillingReportRequest;
import io.wagate.api.v1.MessagesGrpc;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Text;
import io.wagate.config.ClientQuotaConfig;
import io.wagate.config.PolicyConfig;
import io.wagate.sandbox.InboundSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code wagate-client} header: who is calling, for idempotency keys and per-client quotas. */
class ClientIdentityTest {
    private static final String USER = "5511987654321";

    @TempDir
    Path dir;
    private TestAppliance t;

    @BeforeEach
    void start() {
        t = TestAppliance.start(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private MessagesGrpc.MessagesBlockingStub as(String... clients) {
        Metadata md = new Metadata();
        for (String c : clients) {
            md.put(ClientIdentity.KEY, c);
        }
        return t.messages().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private static SendRequest text(String key) {
        return SendRequest.newBuilder().setFrom("support").setTo("+" + USER).setIdempotencyKey(key)
                .setText(Text.newBuilder().setBody("your order shipped")).build();
    }

    @Test
    void sameKeyFromTwoClients_makesTwoMessages_sameClientOne() {
        String crm = as("crm").send(text("order-1")).getId();
        String shop = as("shop").send(text("order-1")).getId();
        String anonymous = t.messages().send(text("order-1")).getId();
        assertThat(List.of(crm, shop, anonymous)).doesNotHaveDuplicates();
        assertThat(as("crm").send(text("order-1")).getId()).isEqualTo(crm);
        assertThat(t.messages().send(text("order-1")).getId()).isEqualTo(anonymous);
    }

    @Test
    void badHeader_isUnauthenticatedNamingTheHeader_onEveryService() {
        for (String bad : List.of("", "crm service", "x".repeat(65), "crm/1", "é")) {
            assertThatThrownBy(() -> as(bad).send(text("k"))).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).contains("the wagate-client header must be 1-64 letters");
            });
        }
        assertThatThrownBy(() -> as("crm", "shop").send(text("k")))
                .hasMessageContaining("UNAUTHENTICATED: the wagate-client header is given more than once");
        Metadata md = new Metadata();
        md.put(ClientIdentity.KEY, "not valid");
        assertThatThrownBy(() -> t.billing().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .report(BillingReportRequest.newBuilder().setFrom("2026-11-01").setTo("2026-11-01").build()))
                .hasMessageContaining("UNAUTHENTICATED: the wagate-client header");
        assertThat(as("x".repeat(64)).send(text("k")).getId()).isNotEmpty();
    }

    private static ErrorInfo info(StatusRuntimeException e) {
        return StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).findFirst()
                .map(a -> {
                    try {
                        return a.unpack(ErrorInfo.class);
                    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                        throw new AssertionError(x);
                    }
                }).orElseThrow();
    }

    @Test
    void quotas_followTheDeclaredName() {
        t.reconfigure(t.config().withPolicy(PolicyConfig.defaults().withClients(Map.of(
                "crm", new ClientQuotaConfig(null, 2L, null),
                "marketing-bot", new ClientQuotaConfig(null, null, List.of("marketing"))))));
        // the user wrote, so free-form is within the customer-service window
        t.connectWebhooks();
        t.meta.injectInbound(InboundSpec.text(USER, "where is my order?").withNumber(TestAppliance.NUMBER_ID));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> t.appliance.contactWindows().get(TestAppliance.NUMBER_ID, USER).isPresent());

        as("crm").send(text("a"));
        as("crm").send(text("b"));
        assertThatThrownBy(() -> as("crm").send(text("c"))).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains("client 'crm' has used its 2 messages per day");
            assertThat(info(e).getReason()).isEqualTo("CLIENT_QUOTA");
            assertThat(info(e).getDomain()).isEqualTo("policy.wagate.io");
        });
        t.messages().send(text("c")); // another caller has its own (here: no) quota
        assertThatThrownBy(() -> as("marketing-bot").send(text("d"))).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(info(e).getReason()).isEqualTo("CATEGORY_NOT_ALLOWED");
                    assertThat(e.getStatus().getDescription()).contains("client 'marketing-bot' may send marketing only;"
                            + " a text message (not a template) is service");
                });
        // the day's usage survives a restart
        t.reconfigure(t.config());
        assertThatThrownBy(() -> as("crm").send(text("e"))).hasMessageContaining("RESOURCE_EXHAUSTED");
    }

    @Test
    void sendStream_carriesTheNameToo() throws Exception {
        String unary = as("crm").send(text("order-9")).getId();
        Metadata md = new Metadata();
        md.put(ClientIdentity.KEY, "crm");
        java.util.List<io.wagate.api.v1.SendStreamResponse> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        io.grpc.stub.StreamObserver<SendRequest> requests = t.messagesAsync()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .sendStream(new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(io.wagate.api.v1.SendStreamResponse r) {
                        responses.add(r);
                    }

                    @Override
                    public void onError(Throwable e) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(text("order-9"));  // crm's key: the message made by the unary call
        requests.onNext(text("order-10")); // a new one
        requests.onCompleted();
        assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(responses).hasSize(2);
        assertThat(responses.get(0).getAccepted().getId()).isEqualTo(unary);
        assertThat(responses.get(1).getAccepted().getId()).isNotEqualTo(unary);
        // the anonymous caller's order-9 is another message
        assertThat(t.messages().send(text("order-9")).getId()).isNotEqualTo(unary);
    }
}
