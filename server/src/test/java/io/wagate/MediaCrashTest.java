package io.wagate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.DownloadMediaRequest;
import io.wagate.api.v1.MediaObject;
import io.wagate.api.v1.MediaStatsRequest;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.api.v1.UploadMediaRequest;
import io.wagate.sandbox.SandboxEmulator;
import io.wagate.sandbox.SandboxOptions;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real appliance process killed with -9 in the middle of an upload keeps nothing of it. */
class MediaCrashTest {
    @TempDir
    Path dir;

    @Test
    void killMinus9_midUpload_leavesNoObjectAndNoFile_andTheStoreWorksAfterRestart() throws Exception {
        try (SandboxEmulator meta = SandboxEmulator.start(SandboxOptions.defaults().withNumber(TestAppliance.NUMBER_ID, "t"))) {
            Path config = dir.resolve("wagate.yaml");
            Files.writeString(config, "data_dir: " + dir.resolve("data") + "\n"
                    + "grpc:\n  port: 0\n"
                    + "cloud_api:\n  base_url: " + meta.baseUrl() + "\n"
                    + "numbers:\n  - alias: support\n    phone_number_id: \"" + TestAppliance.NUMBER_ID + "\"\n"
                    + "    access_token_env: WAGATE_TEST_TOKEN\n"
                    + ChildAppliance.mediaKeyYaml(dir));
            Map<String, String> env = Map.of("WAGATE_TEST_TOKEN", "t");
            byte[] video = MediaEndToEndTest.mp4(12_000_000);

            ChildAppliance first = ChildAppliance.start(config, env);
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", first.port).usePlaintext().build();
            AtomicLong sent = new AtomicLong();
            StreamObserver<UploadMediaRequest> upload = MediaStoreGrpc.newStub(ch).upload(new Ignore<>());
            upload.onNext(UploadMediaRequest.newBuilder().setHeader(UploadMediaRequest.Header.newBuilder()
                    .setMimeType("video/mp4").setSize(video.length)).build());
            for (int off = 0; off < video.length / 2; off += 262_144) {
                upload.onNext(UploadMediaRequest.newBuilder().setChunk(ByteString.copyFrom(video, off, 262_144)).build());
                sent.addAndGet(262_144);
            }
            Path tmp = dir.resolve("data/media/tmp");
            Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> partBytes(tmp) > 1_000_000);
            first.kill9();
            ch.shutdownNow();
            assertThat(partBytes(tmp)).as("a half upload is on disk at the kill").isPositive();

            ChildAppliance second = ChildAppliance.start(config, env);
            ManagedChannel ch2 = NettyChannelBuilder.forAddress("127.0.0.1", second.port).usePlaintext().build();
            try {
                MediaStoreGrpc.MediaStoreBlockingStub stub = MediaStoreGrpc.newBlockingStub(ch2);
                assertThat(stub.withDeadlineAfter(5, TimeUnit.SECONDS).stats(MediaStatsRequest.getDefaultInstance())
                        .getObjects()).isZero();
                assertThat(partBytes(tmp)).as("temp files after restart").isZero();
                try (Stream<Path> objects = Files.list(dir.resolve("data/media/objects"))) {
                    assertThat(objects.toList()).isEmpty();
                }
                // the same upload, whole, works after the restart
                CompletableFuture<MediaObject> done = new CompletableFuture<>();
                StreamObserver<UploadMediaRequest> again = MediaStoreGrpc.newStub(ch2).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .upload(new Ignore<>() {
                            @Override
                            public void onNext(MediaObject o) {
                                done.complete(o);
                            }

                            @Override
                            public void onError(Throwable t) {
                                done.completeExceptionally(t);
                            }
                        });
                again.onNext(UploadMediaRequest.newBuilder().setHeader(UploadMediaRequest.Header.newBuilder()
                        .setMimeType("video/mp4").setSize(video.length)).build());
                for (int off = 0; off < video.length; off += 262_144) {
                    again.onNext(UploadMediaRequest.newBuilder()
                            .setChunk(ByteString.copyFrom(video, off, Math.min(262_144, video.length - off))).build());
                }
                again.onCompleted();
                MediaObject o = done.get(30, TimeUnit.SECONDS);
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                stub.withDeadlineAfter(30, TimeUnit.SECONDS).download(DownloadMediaRequest.newBuilder().setId(o.getId()).build())
                        .forEachRemaining(r -> back.writeBytes(r.getChunk().toByteArray()));
                assertThat(back.toByteArray()).isEqualTo(video);
            } finally {
                ch2.shutdownNow();
                assertThat(second.term()).isIn(0, 143);
            }
        }
    }

    private static long partBytes(Path tmp) throws java.io.IOException {
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(tmp)) {
            long total = 0;
            for (Path p : s.toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    private static class Ignore<T> implements StreamObserver<T> {
        @Override
        public void onNext(T value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
