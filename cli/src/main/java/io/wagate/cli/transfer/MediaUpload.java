package io.wagate.cli.transfer;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.wagate.api.v1.MediaObject;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.api.v1.UploadMediaRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;

/**
 * One {@code MediaStore.Upload} call fed from an {@link InputStream}: the header, then chunks of
 * {@code chunkSize} bytes, each sent only when the call {@linkplain ClientCallStreamObserver#isReady
 * is ready}, so at most one chunk waits in the client whatever the size of the file.
 *
 * <pre>{@code
 * MediaObject o = new MediaUpload(stub.withDeadlineAfter(30, MINUTES), MediaUpload.DEFAULT_CHUNK)
 *     .upload(header, in, done -> bar.update(done));
 * }</pre>
 *
 * <p>Threading: the calling thread reads and sends; gRPC's threads only wake it up. The input
 * stream is read on the calling thread only, never on a transport thread.
 */
public final class MediaUpload {

  /** Smallest chunk worth a message. */
  public static final int MIN_CHUNK = 256 * 1024;
  /** The largest chunk the API accepts. */
  public static final int MAX_CHUNK = 1024 * 1024;
  /** The chunk size wagatectl uses: small enough for a smooth progress bar, big enough to be cheap. */
  public static final int DEFAULT_CHUNK = MIN_CHUNK;

  private final MediaStoreGrpc.MediaStoreStub stub;
  private final int chunkSize;

  /**
   * An upload through {@code stub}, which carries the call's deadline.
   *
   * @throws IllegalArgumentException if {@code chunkSize} is outside {@link #MIN_CHUNK}..{@link #MAX_CHUNK}
   */
  public MediaUpload(MediaStoreGrpc.MediaStoreStub stub, int chunkSize) {
    if (chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
      throw new IllegalArgumentException("chunk size must be within " + MIN_CHUNK + ".." + MAX_CHUNK + ", got " + chunkSize);
    }
    this.stub = stub;
    this.chunkSize = chunkSize;
  }

  /**
   * Sends {@code header} and then exactly {@code header.size} bytes of {@code in}, and returns the
   * stored object.
   *
   * @param progress told the number of bytes handed to gRPC after each chunk
   * @throws StatusRuntimeException the server's answer when it refuses the upload, or the call's failure
   * @throws IOException if {@code in} fails, or holds fewer or more bytes than declared (the
   *     call is cancelled; the server keeps nothing)
   * @throws InterruptedException if interrupted while waiting (the call is cancelled)
   */
  public MediaObject upload(UploadMediaRequest.Header header, InputStream in, LongConsumer progress)
      throws IOException, InterruptedException {
    Call call = new Call();
    stub.upload(call);
    ClientCallStreamObserver<UploadMediaRequest> requests = call.requests;
    boolean sentAll = false;
    try {
      requests.onNext(UploadMediaRequest.newBuilder().setHeader(header).build());
      byte[] buffer = new byte[chunkSize];
      long size = header.getSize();
      long sent = 0;
      while (sent < size) {
        if (!call.awaitReady()) {
          break;   // the server ended the call early: its answer says why
        }
        int want = (int) Math.min(buffer.length, size - sent);
        int n = in.readNBytes(buffer, 0, want);
        if (n < want) {
          throw new IOException("the file ended after " + (sent + n) + " of " + size + " bytes; was it changed while uploading?");
        }
        requests.onNext(UploadMediaRequest.newBuilder().setChunk(ByteString.copyFrom(buffer, 0, n)).build());
        sent += n;
        progress.accept(sent);
      }
      if (sent == size && in.read() >= 0) {
        throw new IOException("the file grew beyond " + size + " bytes; was it changed while uploading?");
      }
      requests.onCompleted();
      sentAll = true;
      return call.await();
    } finally {
      if (!sentAll) {
        requests.cancel("wagatectl stopped the upload", null);
      }
    }
  }

  /** The response side of one call; wakes the sender when the call becomes ready or ends. */
  private static final class Call implements ClientResponseObserver<UploadMediaRequest, MediaObject> {

    private final Object lock = new Object();
    private final CompletableFuture<MediaObject> result = new CompletableFuture<>();
    private volatile MediaObject object;
    private ClientCallStreamObserver<UploadMediaRequest> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<UploadMediaRequest> requestStream) {
      this.requests = requestStream;
      requestStream.setOnReadyHandler(this::wake);
    }

    /** Waits until the call can take a message; false if it ended first. */
    boolean awaitReady() throws InterruptedException {
      synchronized (lock) {
        while (!requests.isReady() && !result.isDone()) {
          lock.wait();
        }
      }
      return !result.isDone();
    }

    MediaObject await() throws InterruptedException {
      try {
        return result.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof StatusRuntimeException s) {
          throw s;
        }
        throw Status.fromThrowable(e.getCause()).asRuntimeException();
      }
    }

    private void wake() {
      synchronized (lock) {
        lock.notifyAll();
      }
    }

    @Override
    public void onNext(MediaObject value) {
      object = value;
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t instanceof StatusRuntimeException ? t : Status.fromThrowable(t).asRuntimeException());
      wake();
    }

    @Override
    public void onCompleted() {
      MediaObject o = object;
      if (o == null) {
        result.completeExceptionally(
            Status.INTERNAL.withDescription("Wagate ended the upload without an answer").asRuntimeException());
      } else {
        result.complete(o);
      }
      wake();
    }
  }
}
