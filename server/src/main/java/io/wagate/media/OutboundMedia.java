package io.wagate.media;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.wagate.api.v1.Interactive;
import io.wagate.api.v1.Media;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Template;
import io.wagate.api.v1.TemplateComponent;
import io.wagate.api.v1.TemplateParameter;
import io.wagate.cloudapi.CloudApiClient;
import io.wagate.cloudapi.MediaResult;
import io.wagate.cloudapi.RetryClass;
import io.wagate.cloudapi.SendResult;
import io.wagate.outbox.InvalidRequestException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * Media messages that name stored media ({@code stored_media_id}): checked when they are accepted,
 * and turned into Meta media ids when they are sent. Each number uploads an object once (Meta's
 * media ids belong to the uploading number) and reuses Meta's id until a day before Meta drops it
 * (30 days after the upload); then the next send uploads again. Concurrent sends of the same object
 * from the same number share one upload.
 *
 * <p>Thread-safe.
 */
public final class OutboundMedia {
    /** How long Meta keeps an uploaded media id. */
    public static final Duration META_KEEPS_UPLOADS = Duration.ofDays(30);
    /** Not reused within this of its expiry: a message may wait in the queue. */
    static final Duration REUSE_MARGIN = Duration.ofDays(1);
    private static final Set<String> IMAGE = Set.of("image/jpeg", "image/png");
    private static final Set<String> VIDEO = Set.of("video/mp4", "video/3gpp");
    private static final Set<String> AUDIO = Set.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg");
    private static final Set<String> STICKER = Set.of("image/webp");

    private final EncryptedMediaStore store;
    private final CloudApiClient meta;
    private final LongSupplier clock;
    private final Map<String, CompletableFuture<Resolved>> uploading = new ConcurrentHashMap<>();
    private final Counter uploads;
    private final Counter reused;

    public OutboundMedia(EncryptedMediaStore store, CloudApiClient meta, MetricRegistry metrics, LongSupplier clock) {
        this.store = store;
        this.meta = meta;
        this.clock = clock;
        this.uploads = metrics.counter("media.meta_uploads");
        this.reused = metrics.counter("media.meta_uploads_reused");
    }

    /** Whether {@code r} names stored media anywhere. */
    public static boolean refersToStored(SendRequest r) {
        boolean[] found = {false};
        rewrite(r, (field, m) -> {
            found[0] = true;
            return m;
        });
        return found[0];
    }

    /**
     * Checks every stored media id of {@code r}: it exists and its type suits where it is used.
     *
     * @throws InvalidRequestException naming each field that is wrong
     */
    public void check(SendRequest r) {
        List<io.wagate.outbox.FieldViolation> violations = new ArrayList<>();
        rewrite(r, (field, m) -> {
            String id = m.getStoredMediaId();
            Optional<MediaObject> o = store.get(id);
            if (o.isEmpty()) {
                violations.add(new io.wagate.outbox.FieldViolation(field + ".stored_media_id",
                        "no stored media with id '" + id + "' (never stored, deleted, or expired)"));
                return m;
            }
            Set<String> allowed = allowedTypes(field);
            if (!allowed.contains(o.get().mimeType())) {
                violations.add(new io.wagate.outbox.FieldViolation(field + ".stored_media_id", "is "
                        + o.get().mimeType() + "; " + kindOf(field) + " media must be one of " + new java.util.TreeSet<>(allowed)));
            }
            return m;
        });
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
    }

    /**
     * {@code r} with every stored media id replaced by Meta's media id for {@code phoneNumberId},
     * uploading what Meta does not have (or soon will not). The future never fails: a failed upload
     * is a {@link Resolved#failure()} in the terms of a send (Meta's error, or a transport failure).
     */
    public CompletableFuture<Resolved> resolve(SendRequest r, String phoneNumberId, String token) {
        Set<String> ids = new LinkedHashSet<>();
        rewrite(r, (field, m) -> {
            ids.add(m.getStoredMediaId());
            return m;
        });
        Map<String, CompletableFuture<Resolved>> each = new HashMap<>();
        for (String id : ids) {
            each.put(id, metaIdFor(id, phoneNumberId, token));
        }
        return CompletableFuture.allOf(each.values().toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            Map<String, String> metaIds = new HashMap<>();
            for (Map.Entry<String, CompletableFuture<Resolved>> e : each.entrySet()) {
                Resolved one = e.getValue().join();
                if (one.failure() != null) {
                    return one;
                }
                metaIds.put(e.getKey(), one.metaMediaId());
            }
            return new Resolved(rewrite(r, (field, m) -> m.toBuilder().setId(metaIds.get(m.getStoredMediaId())).build()),
                    null, null);
        });
    }

    /** Meta's id for the object on this number: the one recorded while valid, else a new upload. */
    private CompletableFuture<Resolved> metaIdFor(String id, String phoneNumberId, String token) {
        Optional<MediaObject> o = store.get(id);
        if (o.isEmpty()) {
            return CompletableFuture.completedFuture(Resolved.failed(gone(id)));
        }
        Optional<io.wagate.media.MetaUpload> copy = o.get().metaUpload(phoneNumberId,
                clock.getAsLong() + REUSE_MARGIN.toMillis());
        if (copy.isPresent()) {
            reused.inc();
            return CompletableFuture.completedFuture(new Resolved(null, copy.get().metaMediaId(), null));
        }
        String key = id + "/" + phoneNumberId;
        CompletableFuture<Resolved> mine = new CompletableFuture<>();
        CompletableFuture<Resolved> running = uploading.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        upload(o.get(), phoneNumberId, token).whenComplete((res, err) -> {
            uploading.remove(key);
            if (err != null) {
                mine.complete(Resolved.failed(new SendResult.TransportFailure(false,
                        "uploading stored media " + id + " failed: " + err, RetryClass.TRANSIENT)));
            } else {
                mine.complete(res);
            }
        });
        return mine;
    }

    private CompletableFuture<Resolved> upload(MediaObject o, String phoneNumberId, String token) {
        long startedAt = clock.getAsLong();
        return meta.uploadMedia(phoneNumberId, token, o.mimeType(), o.filename(), () -> {
            try {
                return store.open(o.id(), 0);
            } catch (MediaNotFoundException e) {
                throw new UncheckedIOException(new java.io.FileNotFoundException(e.getMessage()));
            }
        }, o.size()).thenApply(result -> {
            if (result instanceof MediaResult.Uploaded u) {
                uploads.inc();
                try {
                    store.recordMetaUpload(o.id(), phoneNumberId, u.mediaId(),
                            startedAt + META_KEEPS_UPLOADS.toMillis());
                } catch (MediaNotFoundException deleted) {
                    // deleted meanwhile: this message still goes out with Meta's copy
                }
                return new Resolved(null, u.mediaId(), null);
            }
            if (result instanceof SendResult s) {
                return Resolved.failed(s);
            }
            return Resolved.failed(new SendResult.TransportFailure(false,
                    "unexpected answer to a media upload: " + result, RetryClass.TRANSIENT));
        });
    }

    private static SendResult.MetaError gone(String id) {
        return new SendResult.MetaError(0, 0, null, "wagate", "stored media is gone",
                "stored media " + id + " was deleted (or expired) before the message was sent", null,
                RetryClass.PERMANENT);
    }

    /**
     * A request with Meta's media ids, or why it could not get them.
     *
     * @param request     the rewritten request (null on failure)
     * @param metaMediaId one object's Meta id (internal)
     * @param failure     Meta's error or a transport failure of an upload, in the terms of a send
     */
    public record Resolved(SendRequest request, String metaMediaId, SendResult failure) {
        static Resolved failed(SendResult failure) {
            return new Resolved(null, null, failure);
        }
    }

    private static Set<String> allowedTypes(String field) {
        return switch (kindOf(field)) {
            case "image" -> IMAGE;
            case "video" -> VIDEO;
            case "audio" -> AUDIO;
            case "sticker" -> STICKER;
            default -> MediaTypes.outboundTypes(); // a document may be any file Meta takes
        };
    }

    private static String kindOf(String field) {
        return field.substring(field.lastIndexOf('.') + 1);
    }

    /**
     * Applies {@code f} to every media part naming stored media, with the field's path (for
     * example {@code image}, {@code interactive.header.video},
     * {@code template.components[0].parameters[1].document}); returns the request with the results.
     */
    static SendRequest rewrite(SendRequest r, BiFunction<String, Media, Media> f) {
        switch (r.getContentCase()) {
            case IMAGE, AUDIO, VIDEO, DOCUMENT, STICKER, INTERACTIVE, TEMPLATE -> { }
            default -> {
                return r; // no media part: nothing to copy (this runs for every send and dispatch)
            }
        }
        SendRequest.Builder b = r.toBuilder();
        switch (r.getContentCase()) {
            case IMAGE -> b.setImage(apply("image", r.getImage(), f));
            case AUDIO -> b.setAudio(apply("audio", r.getAudio(), f));
            case VIDEO -> b.setVideo(apply("video", r.getVideo(), f));
            case DOCUMENT -> b.setDocument(apply("document", r.getDocument(), f));
            case STICKER -> b.setSticker(apply("sticker", r.getSticker(), f));
            case INTERACTIVE -> {
                if (r.getInteractive().hasHeader()) {
                    Interactive.Header h = r.getInteractive().getHeader();
                    Interactive.Header.Builder hb = h.toBuilder();
                    switch (h.getKindCase()) {
                        case IMAGE -> hb.setImage(apply("interactive.header.image", h.getImage(), f));
                        case VIDEO -> hb.setVideo(apply("interactive.header.video", h.getVideo(), f));
                        case DOCUMENT -> hb.setDocument(apply("interactive.header.document", h.getDocument(), f));
                        default -> { }
                    }
                    b.setInteractive(r.getInteractive().toBuilder().setHeader(hb));
                }
            }
            case TEMPLATE -> b.setTemplate(template(r.getTemplate(), f));
            default -> { }
        }
        return b.build();
    }

    private static Template template(Template t, BiFunction<String, Media, Media> f) {
        Template.Builder tb = t.toBuilder();
        for (int c = 0; c < t.getComponentsCount(); c++) {
            TemplateComponent comp = t.getComponents(c);
            TemplateComponent.Builder cb = comp.toBuilder();
            for (int p = 0; p < comp.getParametersCount(); p++) {
                TemplateParameter param = comp.getParameters(p);
                String at = "template.components[" + c + "].parameters[" + p + "].";
                switch (param.getValueCase()) {
                    case IMAGE -> cb.setParameters(p, param.toBuilder().setImage(apply(at + "image", param.getImage(), f)));
                    case VIDEO -> cb.setParameters(p, param.toBuilder().setVideo(apply(at + "video", param.getVideo(), f)));
                    case DOCUMENT -> cb.setParameters(p,
                            param.toBuilder().setDocument(apply(at + "document", param.getDocument(), f)));
                    default -> { }
                }
            }
            tb.setComponents(c, cb);
        }
        return tb.build();
    }

    private static Media apply(String field, Media m, BiFunction<String, Media, Media> f) {
        return m.getSourceCase() == Media.SourceCase.STORED_MEDIA_ID ? f.apply(field, m) : m;
    }
}
