package io.wagate.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.DeleteMediaRequest;
import io.wagate.api.v1.DeleteMediaResponse;
import io.wagate.api.v1.DownloadMediaRequest;
import io.wagate.api.v1.DownloadMediaResponse;
import io.wagate.api.v1.GetMediaRequest;
import io.wagate.api.v1.KeyRotation;
import io.wagate.api.v1.ListMediaRequest;
import io.wagate.api.v1.ListMediaResponse;
import io.wagate.api.v1.MediaStatsRequest;
import io.wagate.api.v1.MediaStoreGrpc;
import io.wagate.api.v1.MetaCopy;
import io.wagate.api.v1.UploadMediaRequest;
import io.wagate.config.MediaConfig;
import io.wagate.media.EncryptedMediaStore;
import io.wagate.media.InboundMediaFetcher;
import io.wagate.media.MediaFilter;
import io.wagate.media.MediaKind;
import io.wagate.media.MediaObject;
import io.wagate.media.MediaPage;
import io.wagate.media.MediaStats;
import io.wagate.media.MediaWriter;
import io.wagate.media.NewMedia;
import io.wagate.outbox.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code wagate.v1.MediaStore} service over the {@link EncryptedMediaStore}. Thread-safe.
 *
 * <p>Uploads write each chunk as it arrives (blocking file I/O on the call's executor thread, which
 * also holds back the client); a call that ends early or is cancelled aborts, leaving nothing.
 * Downloads send a chunk only when the stream is ready, so a slow reader holds one chunk.
 */
public final class MediaStoreService extends MediaStoreGrpc.MediaStoreImplBase {
    static final int CHUNK_BYTES = 256 * 1024;
    static final int MAX_UPLOAD_CHUNK_BYTES = 1_000_000; // a request must fit the 1 MiB message limit
    static final int DEFAULT_LIST_LIMIT = 100;
    /** Until issue-7 client identities exist, every upload is owned by the one internal client. */
    static final String OWNER = "client";

    private final EncryptedMediaStore store;
    private final InboundMediaFetcher fetches;
    private final MediaConfig config;

    public MediaStoreService(EncryptedMediaStore store, InboundMediaFetcher fetches, MediaConfig config) {
        this.store = store;
        this.fetches = java.util.Objects.requireNonNull(fetches, "fetches");
        this.config = config;
    }

    @Override
    public StreamObserver<UploadMediaRequest> upload(StreamObserver<io.wagate.api.v1.MediaObject> out) {
        return new StreamObserver<>() {
            private MediaWriter writer;
            private boolean failed;

            @Override
            public void onNext(UploadMediaRequest r) {
                if (failed) {
                    return;
                }
                try {
                    if (writer == null) {
                        if (!r.hasHeader()) {
                            throw InvalidRequestException.of("header", "the first message must carry the header");
                        }
                        UploadMediaRequest.Header h = r.getHeader();
                        if (h.getMimeType().isEmpty()) {
                            throw InvalidRequestException.of("header.mime_type", "is required");
                        }
                        if (h.getSize() < 0) {
                            throw InvalidRequestException.of("header.size", "must be >= 0, was " + h.getSize());
                        }
                        writer = store.begin(new NewMedia(h.getMimeType(), h.getSize(), OWNER, MediaKind.OUTBOUND,
                                h.getFilename().isEmpty() ? null : h.getFilename()));
                    } else if (r.hasHeader()) {
                        throw InvalidRequestException.of("header", "only the first message carries the header");
                    } else {
                        ByteString chunk = r.getChunk();
                        if (chunk.size() > MAX_UPLOAD_CHUNK_BYTES) {
                            throw InvalidRequestException.of("chunk", "must be at most " + MAX_UPLOAD_CHUNK_BYTES
                                    + " bytes, was " + chunk.size());
                        }
                        for (java.nio.ByteBuffer b : chunk.asReadOnlyByteBufferList()) {
                            writer.write(b);
                        }
                    }
                } catch (IllegalArgumentException e) {
                    fail(InvalidRequestException.of("header", e.getMessage()));
                } catch (RuntimeException e) {
                    fail(e);
                }
            }

            private void fail(RuntimeException e) {
                failed = true;
                if (writer != null) {
                    writer.abort();
                }
                out.onError(ErrorMapper.toStatus(e));
            }

            @Override
            public void onError(Throwable t) {
                if (writer != null) {
                    writer.abort(); // the client went away: nothing is kept
                }
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                try {
                    if (writer == null) {
                        throw InvalidRequestException.of("header", "the upload ended before its header");
                    }
                    out.onNext(toProto(writer.commit()));
                    out.onCompleted();
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
        };
    }

    @Override
    public void download(DownloadMediaRequest request, StreamObserver<DownloadMediaResponse> responses) {
        ServerCallStreamObserver<DownloadMediaResponse> call = (ServerCallStreamObserver<DownloadMediaResponse>) responses;
        InputStream in;
        io.wagate.api.v1.MediaObject object;
        try {
            MediaObject o = awaitStored(request.getId());
            object = toProto(o);
            in = store.open(o.id(), 0);
        } catch (RuntimeException e) {
            call.onError(ErrorMapper.toStatus(e));
            return;
        }
        new DownloadPump(call, object, in).start();
    }

    /** The object, waiting (within the call's deadline) for inbound media still being fetched. */
    private MediaObject awaitStored(String id) {
        checkId(id);
        while (true) {
            Optional<MediaObject> o = store.get(id);
            if (o.isPresent()) {
                return o.get();
            }
            if (!fetches.awaitFetch(id, remainingMillis())) {
                return store.get(id).orElseThrow(() -> fetches.notStored(id));
            }
        }
    }

    private static long remainingMillis() {
        io.grpc.Deadline d = Context.current().getDeadline();
        return d == null ? TimeUnit.MINUTES.toMillis(5) : Math.max(0, d.timeRemaining(TimeUnit.MILLISECONDS));
    }

    /** Sends the object, then its chunks whenever the stream is ready; closes the file at the end. */
    private static final class DownloadPump implements Runnable {
        private final ServerCallStreamObserver<DownloadMediaResponse> call;
        private final io.wagate.api.v1.MediaObject object;
        private final InputStream in;
        private boolean headerSent;
        private boolean done;

        DownloadPump(ServerCallStreamObserver<DownloadMediaResponse> call, io.wagate.api.v1.MediaObject object,
                     InputStream in) {
            this.call = call;
            this.object = object;
            this.in = in;
        }

        void start() {
            call.setOnCancelHandler(this::closeQuietly);
            call.setOnReadyHandler(this);
            run();
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            try {
                if (!headerSent) {
                    headerSent = true;
                    call.onNext(DownloadMediaResponse.newBuilder().setObject(object).build());
                }
                byte[] buf = new byte[CHUNK_BYTES];
                while (call.isReady() && !call.isCancelled()) {
                    int n = in.readNBytes(buf, 0, buf.length);
                    if (n == 0) {
                        done = true;
                        closeQuietly();
                        call.onCompleted();
                        return;
                    }
                    call.onNext(DownloadMediaResponse.newBuilder().setChunk(ByteString.copyFrom(buf, 0, n)).build());
                }
            } catch (IOException | RuntimeException e) {
                done = true;
                closeQuietly();
                RuntimeException r = e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
                call.onError(ErrorMapper.toStatus(r));
            }
        }

        private void closeQuietly() {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
        }
    }

    @Override
    public void get(GetMediaRequest request, StreamObserver<io.wagate.api.v1.MediaObject> out) {
        try {
            checkId(request.getId());
            String id = request.getId();
            out.onNext(store.get(id).map(this::toProto)
                    .or(() -> fetches.pending(id))
                    .orElseThrow(() -> fetches.notStored(id)));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void delete(DeleteMediaRequest request, StreamObserver<DeleteMediaResponse> out) {
        try {
            checkId(request.getId());
            out.onNext(DeleteMediaResponse.newBuilder().setDeleted(store.delete(request.getId())).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void list(ListMediaRequest request, StreamObserver<ListMediaResponse> out) {
        try {
            int limit = request.getLimit() == 0 ? DEFAULT_LIST_LIMIT : request.getLimit();
            if (limit < 1 || limit > EncryptedMediaStore.MAX_PAGE) {
                throw InvalidRequestException.of("limit", "must be 1.." + EncryptedMediaStore.MAX_PAGE + ", was " + limit);
            }
            MediaKind kind = switch (request.getKind()) {
                case INBOUND -> MediaKind.INBOUND;
                case OUTBOUND -> MediaKind.OUTBOUND;
                default -> null;
            };
            MediaPage page = store.list(request.getPageToken().isEmpty() ? null : request.getPageToken(), limit,
                    new MediaFilter(kind, null));
            ListMediaResponse.Builder b = ListMediaResponse.newBuilder();
            page.items().forEach(o -> b.addObjects(toProto(o)));
            page.next().ifPresent(b::setNextPageToken);
            out.onNext(b.build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    @Override
    public void stats(MediaStatsRequest request, StreamObserver<io.wagate.api.v1.MediaStats> out) {
        try {
            MediaStats s = store.stats();
            io.wagate.api.v1.MediaStats.Builder b = io.wagate.api.v1.MediaStats.newBuilder()
                    .setObjects(s.objects()).setBytes(s.bytes()).setQuotaBytes(s.quotaBytes())
                    .setInboundObjects(s.inboundObjects()).setInboundBytes(s.inboundBytes())
                    .setOutboundObjects(s.outboundObjects()).setOutboundBytes(s.outboundBytes())
                    .setFetching(fetches.fetching())
                    .setMasterKeyId(s.activeKeyId());
            store.rotation().ifPresent(r -> b.setRotation(KeyRotation.newBuilder().setTargetKeyId(r.targetKeyId())
                    .setDone(r.done()).setTotal(r.total()).setFinished(r.finished())));
            out.onNext(b.build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    private static void checkId(String id) {
        if (id.isEmpty()) {
            throw InvalidRequestException.of("id", "is required");
        }
    }


    io.wagate.api.v1.MediaObject toProto(MediaObject o) {
        io.wagate.api.v1.MediaObject.Builder b = io.wagate.api.v1.MediaObject.newBuilder()
                .setId(o.id())
                .setKind(o.kind() == MediaKind.INBOUND ? io.wagate.api.v1.MediaKind.INBOUND : io.wagate.api.v1.MediaKind.OUTBOUND)
                .setState(io.wagate.api.v1.MediaState.STORED)
                .setMimeType(o.mimeType())
                .setSize(o.size())
                .setSha256(o.sha256())
                .setOwner(o.owner())
                .setCreatedAt(Timestamps.fromMillis(o.createdAtMillis()))
                .setExpiresAt(Timestamps.fromMillis(o.createdAtMillis() + (o.kind() == MediaKind.INBOUND
                        ? config.retention().inbound() : config.retention().outbound()).toMillis()));
        o.filenameOpt().ifPresent(b::setFilename);
        o.metaUploads().forEach(u -> b.addMetaCopies(MetaCopy.newBuilder().setPhoneNumberId(u.phoneNumberId())
                .setMetaMediaId(u.metaMediaId()).setExpiresAt(Timestamps.fromMillis(u.expiresAtMillis()))));
        return b.build();
    }
}
