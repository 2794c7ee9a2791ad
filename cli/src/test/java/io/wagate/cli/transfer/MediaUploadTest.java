package io.wagate.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.MediaObject;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.api.v1.UploadMediaRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The upload stream against an in-process server that controls how many messages it takes. */
class MediaUploadTest {

  private static final int CHUNK = MediaUpload.MIN_CHUNK;

  /** What the server saw, and a way to hold the client back. */
  private final List<UploadMediaRequest> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<ServerCallStreamObserver<MediaObject>> call = new AtomicReference<>();
  private final CompletableFuture<Status> ended = new CompletableFuture<>();
  private volatile int initialRequest = Integer.MAX_VALUE;
  private volatile Status failAfterFirstChunk;
  private Server server;
  private ManagedChannel channel;

  private MediaStoreGrpc.MediaStoreStub stub() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new MediaStoreGrpc.MediaStoreImplBase() {
      @Override
      public StreamObserver<UploadMediaRequest> upload(StreamObserver<MediaObject> response) {
        ServerCallStreamObserver<MediaObject> r = (ServerCallStreamObserver<MediaObject>) response;
        r.disableAutoRequest();
        call.set(r);
        r.request(initialRequest);
        return new StreamObserver<>() {
          @Override
          public void onNext(UploadMediaRequest value) {
            received.add(value);
            if (failAfterFirstChunk != null && value.hasChunk()) {
              response.onError(failAfterFirstChunk.asRuntimeException());
              ended.complete(failAfterFirstChunk);
            }
          }

          @Override
          public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            long n = received.stream().filter(UploadMediaRequest::hasChunk).mapToLong(q -> q.getChunk().size()).sum();
            response.onNext(MediaObject.newBuilder().setId("M1").setSize(n).build());
            response.onCompleted();
            ended.complete(Status.OK);
          }
        };
      }
    }).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return MediaStoreGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  private static UploadMediaRequest.Header header(long size) {
    return UploadMediaRequest.Header.newBuilder().setMimeType("video/mp4").setSize(size).build();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5})
  void upload_sendsTheHeaderThenExactlyTheBytes_inChunksOfAtMostTheChunkSize(int size) throws Exception {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (i * 31);
    }
    List<Long> progress = new CopyOnWriteArrayList<>();

    MediaObject o = new MediaUpload(stub(), CHUNK).upload(header(size), new ByteArrayInputStream(data), progress::add);

    assertThat(o.getSize()).isEqualTo(size);
    assertThat(received.get(0).getHeader()).isEqualTo(header(size));
    byte[] got = new byte[size];
    int at = 0;
    for (UploadMediaRequest r : received.subList(1, received.size())) {
      assertThat(r.getChunk().size()).isBetween(1, CHUNK);
      r.getChunk().copyTo(got, at);
      at += r.getChunk().size();
    }
    assertThat(got).isEqualTo(data);
    assertThat(received).hasSize(1 + (size + CHUNK - 1) / CHUNK);
    if (size > 0) {
      assertThat(progress).last().isEqualTo((long) size);
    }
  }

  @Test
  void upload_waitsWhileTheServerTakesNothing_andGoesOnWhenItDoes() throws Exception {
    initialRequest = 2;   // the header and one chunk
    MediaStoreGrpc.MediaStoreStub stub = stub();
    AtomicLong sent = new AtomicLong();
    int size = 8 * CHUNK;
    CompletableFuture<MediaObject> upload = CompletableFuture.supplyAsync(() -> {
      try {
        return new MediaUpload(stub, CHUNK).upload(header(size), new ByteArrayInputStream(new byte[size]), sent::set);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    awaitReceived(2);
    Thread.sleep(200);
    // the first chunk fills the one slot the server gave; at most one more may have been read
    // and queued by gRPC before isReady turned false
    assertThat(received).hasSize(2);
    assertThat(sent.get()).isLessThanOrEqualTo(2L * CHUNK);
    assertThat(upload).isNotDone();

    call.get().request(100);

    assertThat(upload.get(10, TimeUnit.SECONDS).getSize()).isEqualTo(size);
  }

  private void awaitReceived(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.size() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("server received " + received.size() + " messages, expected " + n);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void upload_inputShorterThanDeclared_failsAndCancelsTheCall() throws Exception {
    MediaStoreGrpc.MediaStoreStub stub = stub();
    MediaUpload upload = new MediaUpload(stub, CHUNK);

    assertThatThrownBy(() -> upload.upload(header(CHUNK + 10), new ByteArrayInputStream(new byte[CHUNK + 3]), n -> {}))
        .isInstanceOf(IOException.class).hasMessage("the file ended after " + (CHUNK + 3) + " of " + (CHUNK + 10)
            + " bytes; was it changed while uploading?");
    assertThat(ended.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void upload_inputLongerThanDeclared_failsAndCancelsTheCall() throws Exception {
    MediaStoreGrpc.MediaStoreStub stub = stub();
    MediaUpload upload = new MediaUpload(stub, CHUNK);

    assertThatThrownBy(() -> upload.upload(header(5), new ByteArrayInputStream(new byte[6]), n -> {}))
        .isInstanceOf(IOException.class).hasMessageContaining("grew beyond 5 bytes");
    assertThat(ended.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void upload_serverRefusesMidStream_stopsSending_andThrowsItsStatus() throws Exception {
    failAfterFirstChunk = Status.INVALID_ARGUMENT.withDescription("content is text/plain, declared video/mp4");
    int size = 20 * CHUNK;
    AtomicLong reads = new AtomicLong();
    InputStream in = new ByteArrayInputStream(new byte[size]) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        reads.addAndGet(len);
        return super.read(b, off, len);
      }
    };

    assertThatThrownBy(() -> new MediaUpload(stub(), CHUNK).upload(header(size), in, n -> {}))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("content is text/plain, declared video/mp4");
        });
    assertThat(reads.get()).isLessThan(size);
  }

  @Test
  void chunkSize_outsideTheApisBounds_isRefused() {
    assertThatThrownBy(() -> new MediaUpload(MediaStoreGrpc.newStub(InProcessChannelBuilder.forName("x").build()),
        MediaUpload.MAX_CHUNK + 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void upload_100MB_toASlowServer_neverHoldsMoreThanAFewChunks() throws Exception {
    long size = 100L * 1024 * 1024;
    AtomicLong received = new AtomicLong();
    AtomicLong read = new AtomicLong();
    AtomicLong maxAhead = new AtomicLong();
    String name = InProcessServerBuilder.generateName();
    // a real executor: the server takes messages on its own threads, more slowly than they are read
    server = InProcessServerBuilder.forName(name).addService(new MediaStoreGrpc.MediaStoreImplBase() {
      @Override
      public StreamObserver<UploadMediaRequest> upload(StreamObserver<MediaObject> response) {
        return new StreamObserver<>() {
          @Override
          public void onNext(UploadMediaRequest r) {
            received.addAndGet(r.getChunk().size());
            try {
              Thread.sleep(1);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            response.onNext(MediaObject.newBuilder().setSize(received.get()).build());
            response.onCompleted();
          }
        };
      }
    }).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    // 100 MB made up as it is read: no file, and nothing but the upload holds the bytes
    InputStream in = new InputStream() {
      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        long left = size - read.get();
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        read.addAndGet(n);
        maxAhead.accumulateAndGet(read.get() - received.get(), Math::max);
        return n;
      }
    };

    MediaObject o = new MediaUpload(MediaStoreGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS), CHUNK)
        .upload(header(size), in, n -> {});

    assertThat(o.getSize()).isEqualTo(size);
    // read but not yet taken by the server: what sits in the client's memory
    assertThat(maxAhead.get()).isLessThanOrEqualTo(4L * CHUNK);
  }
}
