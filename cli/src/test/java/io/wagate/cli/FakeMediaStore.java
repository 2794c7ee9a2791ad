package io.wagate.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.AdminGrpc;
import io.wagate.api.v1.DeleteMediaRequest;
import io.wagate.api.v1.DeleteMediaResponse;
import io.wagate.api.v1.DownloadMediaRequest;
import io.wagate.api.v1.DownloadMediaResponse;
import io.wagate.api.v1.GetMediaRequest;
import io.wagate.api.v1.KeyRotation;
import io.wagate.api.v1.ListMediaRequest;
import io.wagate.api.v1.ListMediaResponse;
import io.wagate.api.v1.MediaKind;
import io.wagate.api.v1.MediaObject;
import io.wagate.api.v1.MediaState;
import io.wagate.api.v1.MediaStats;
import io.wagate.api.v1.MediaStatsRequest;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.api.v1.RotateMasterKeyRequest;
import io.wagate.api.v1.UploadMediaRequest;
import io.wagate.cli.connection.ChannelFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory MediaStore and Admin.RotateMasterKey served in-process, for the CLI's command
 * tests while they need answers the real appliance cannot be made to give (a corrupt download, a
 * rotation advancing one key per poll, pages of one object). Follows media.proto's contract; the
 * end-to-end tests against the real appliance are in {@code MediaAgainstApplianceTest}.
 */
final class FakeMediaStore implements AutoCloseable {

  /** Declared type the fake refuses, as the appliance refuses types Meta does not take. */
  static final String REFUSED_TYPE = "application/x-msdownload";

  final Map<String, MediaObject> objects = new ConcurrentSkipListMap<>();
  final Map<String, byte[]> bytes = new ConcurrentSkipListMap<>();
  /** Each upload chunk's size, in order. */
  final List<Integer> uploadChunks = new ArrayList<>();
  volatile boolean corruptDownloads;
  volatile String masterKey = "k1";
  /** Polls after RotateMasterKey that see no rotation yet, as the appliance's background start. */
  volatile int rotationShowsUpAfter;
  /** True: a started rotation never shows up in Stats (it failed before its first record). */
  volatile boolean rotationFailsAtOnce;
  /** True: a rotation shows in Stats but makes no progress. */
  volatile boolean rotationStalls;
  private volatile KeyRotation rotation;
  private final AtomicInteger ids = new AtomicInteger();
  private final String name = InProcessServerBuilder.generateName();
  private final Server server;

  /** Served in-process. */
  FakeMediaStore() {
    this(false);
  }

  /** Served in-process, or over Netty on 127.0.0.1 and a free port (for wagatectl as its own process). */
  FakeMediaStore(boolean onLoopback) {
    ServerBuilder<?> builder = onLoopback
        ? NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        : InProcessServerBuilder.forName(name).directExecutor();
    try {
      server = builder.addService(new Store()).addService(new Admin()).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rotation in progress, or null. */
  KeyRotation rotation() {
    return rotation;
  }

  /** {@code 127.0.0.1:PORT} of a store served on loopback. */
  String loopbackTarget() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Runs wagatectl with {@code args} plus {@code --target} against this store. */
  CliRun run(String... args) {
    return CliRun.run(channels(), Clock.systemUTC(), withTarget(args));
  }

  /** Runs wagatectl with binary stdout captured into {@code stdout}. */
  CliRun run(OutputStream stdout, io.wagate.cli.commands.Prompter prompter, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new Wagatectl(channels(), Clock.systemUTC(), prompter, stdout)
        .run(withTarget(args), new PrintWriter(out), new PrintWriter(err));
    return new CliRun(exit, out.toString(), err.toString());
  }

  private String[] withTarget(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--target";
    all[args.length + 1] = "in-process:" + name;
    return all;
  }

  ChannelFactory channels() {
    return settings -> InProcessChannelBuilder.forName(settings.target().inProcessName()).directExecutor().build();
  }

  ManagedChannel channel() {
    return InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** Stores {@code data} as an inbound object, as if fetched from Meta. */
  MediaObject putInbound(String mime, byte[] data) {
    return store(MediaKind.INBOUND, mime, "", "meta:100000000000001", data);
  }

  private MediaObject store(MediaKind kind, String mime, String filename, String owner, byte[] data) {
    String id = String.format("M%012d", ids.incrementAndGet());
    MediaObject o = MediaObject.newBuilder().setId(id).setKind(kind).setState(MediaState.STORED).setMimeType(mime)
        .setSize(data.length).setSha256(sha256(data)).setFilename(filename).setOwner(owner)
        .setCreatedAt(Timestamp.newBuilder().setSeconds(1_764_072_000L + ids.get())).build();
    objects.put(id, o);
    bytes.put(id, data);
    return o;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private final class Store extends MediaStoreGrpc.MediaStoreImplBase {

    @Override
    public StreamObserver<UploadMediaRequest> upload(StreamObserver<MediaObject> response) {
      return new StreamObserver<>() {
        UploadMediaRequest.Header header;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        boolean failed;

        @Override
        public void onNext(UploadMediaRequest r) {
          if (failed) {
            return;
          }
          if (r.hasHeader()) {
            header = r.getHeader();
            if (header.getMimeType().equals(REFUSED_TYPE)) {
              fail(Status.INVALID_ARGUMENT.withDescription("type " + REFUSED_TYPE + " is not one Meta accepts"));
            }
            return;
          }
          synchronized (uploadChunks) {
            uploadChunks.add(r.getChunk().size());
          }
          if (r.getChunk().size() > 1024 * 1024) {
            fail(Status.INVALID_ARGUMENT.withDescription("chunk over 1 MiB"));
            return;
          }
          data.writeBytes(r.getChunk().toByteArray());
          if (data.size() > header.getSize()) {
            fail(Status.OUT_OF_RANGE.withDescription("upload longer than the declared " + header.getSize() + " bytes"));
          }
        }

        private void fail(Status s) {
          failed = true;
          response.onError(s.asRuntimeException());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          if (failed) {
            return;
          }
          if (data.size() != header.getSize()) {
            fail(Status.INVALID_ARGUMENT.withDescription("declared " + header.getSize() + " bytes, got " + data.size()));
            return;
          }
          response.onNext(store(MediaKind.OUTBOUND, header.getMimeType(), header.getFilename(), "wagatectl-test",
              data.toByteArray()));
          response.onCompleted();
        }
      };
    }

    @Override
    public void download(DownloadMediaRequest request, StreamObserver<DownloadMediaResponse> response) {
      MediaObject o = objects.get(request.getId());
      if (o == null) {
        response.onError(Status.NOT_FOUND.withDescription("no media " + request.getId()).asRuntimeException());
        return;
      }
      response.onNext(DownloadMediaResponse.newBuilder().setObject(o).build());
      byte[] data = bytes.get(o.getId()).clone();
      if (corruptDownloads && data.length > 0) {
        data[data.length - 1] ^= 1;
      }
      for (int off = 0; off < data.length; off += 64 * 1024) {
        response.onNext(DownloadMediaResponse.newBuilder()
            .setChunk(ByteString.copyFrom(data, off, Math.min(64 * 1024, data.length - off))).build());
      }
      response.onCompleted();
    }

    @Override
    public void get(GetMediaRequest request, StreamObserver<MediaObject> response) {
      MediaObject o = objects.get(request.getId());
      if (o == null) {
        response.onError(Status.NOT_FOUND.withDescription("no media " + request.getId()).asRuntimeException());
        return;
      }
      response.onNext(o);
      response.onCompleted();
    }

    @Override
    public void delete(DeleteMediaRequest request, StreamObserver<DeleteMediaResponse> response) {
      boolean deleted = objects.remove(request.getId()) != null;
      bytes.remove(request.getId());
      response.onNext(DeleteMediaResponse.newBuilder().setDeleted(deleted).build());
      response.onCompleted();
    }

    @Override
    public void list(ListMediaRequest request, StreamObserver<ListMediaResponse> response) {
      List<MediaObject> all = new ArrayList<>(objects.values());
      java.util.Collections.reverse(all);   // newest first
      all.removeIf(o -> request.getKind() != MediaKind.MEDIA_KIND_UNSPECIFIED && o.getKind() != request.getKind());
      int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
      int limit = request.getLimit() == 0 ? 100 : request.getLimit();
      int to = Math.min(all.size(), from + limit);
      response.onNext(ListMediaResponse.newBuilder().addAllObjects(all.subList(from, to))
          .setNextPageToken(to < all.size() ? Integer.toString(to) : "").build());
      response.onCompleted();
    }

    @Override
    public void stats(MediaStatsRequest request, StreamObserver<MediaStats> response) {
      MediaStats.Builder s = MediaStats.newBuilder().setQuotaBytes(8L * 1024 * 1024).setMasterKeyId(masterKey);
      for (MediaObject o : objects.values()) {
        s.setObjects(s.getObjects() + 1).setBytes(s.getBytes() + o.getSize());
        if (o.getKind() == MediaKind.INBOUND) {
          s.setInboundObjects(s.getInboundObjects() + 1).setInboundBytes(s.getInboundBytes() + o.getSize());
        } else {
          s.setOutboundObjects(s.getOutboundObjects() + 1).setOutboundBytes(s.getOutboundBytes() + o.getSize());
        }
      }
      KeyRotation r = rotation;
      if (r != null && rotationFailsAtOnce) {
        r = null;
      } else if (r != null && rotationShowsUpAfter > 0) {
        rotationShowsUpAfter--;
        r = null;
      }
      if (r != null) {
        // one data key re-wrapped per poll; the poll after the last one sees the new key active
        if (r.getDone() >= r.getTotal()) {
          masterKey = r.getTargetKeyId();
          rotation = null;
          s.setMasterKeyId(masterKey);
        } else {
          s.setRotation(r);
          if (!rotationStalls) {
            rotation = r.toBuilder().setDone(r.getDone() + 1).build();
          }
        }
      }
      response.onNext(s.build());
      response.onCompleted();
    }
  }

  private final class Admin extends AdminGrpc.AdminImplBase {
    @Override
    public void rotateMasterKey(RotateMasterKeyRequest request, StreamObserver<KeyRotation> response) {
      KeyRotation r = rotation;
      if (r == null) {
        r = KeyRotation.newBuilder().setTargetKeyId("k" + (Integer.parseInt(masterKey.substring(1)) + 1))
            .setTotal(objects.size()).build();
        rotation = r;
      }
      response.onNext(r);
      response.onCompleted();
    }
  }
}
