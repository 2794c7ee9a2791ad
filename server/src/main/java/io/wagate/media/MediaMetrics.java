package io.wagate.media;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.function.LongSupplier;

/** The media store's metric names in one place; a null registry makes every update a no-op. */
final class MediaMetrics {
  static final String UPLOADS = "media.uploads";
  static final String UPLOAD_BYTES = "media.upload_bytes";
  static final String UPLOADS_FAILED = "media.uploads.failed";
  static final String DOWNLOADS = "media.downloads";
  static final String CORRUPT = "media.corrupt";
  static final String DELETED = "media.deleted";
  static final String EXPIRED = "media.expired";
  static final String OBJECTS = "media.objects";
  static final String BYTES = "media.bytes";

  private final MetricRegistry registry;
  private final Counter uploads;
  private final Counter uploadBytes;
  private final Counter uploadsFailed;
  private final Counter downloads;
  private final Counter corrupt;
  private final Counter deleted;
  private final Counter expired;

  MediaMetrics(MetricRegistry registry, LongSupplier objects, LongSupplier bytes) {
    this.registry = registry;
    MetricRegistry r = registry == null ? new MetricRegistry() : registry;
    uploads = r.counter(UPLOADS);
    uploadBytes = r.counter(UPLOAD_BYTES);
    uploadsFailed = r.counter(UPLOADS_FAILED);
    downloads = r.counter(DOWNLOADS);
    corrupt = r.counter(CORRUPT);
    deleted = r.counter(DELETED);
    expired = r.counter(EXPIRED);
    r.remove(OBJECTS);
    r.remove(BYTES);
    r.register(OBJECTS, (Gauge<Long>) objects::getAsLong);
    r.register(BYTES, (Gauge<Long>) bytes::getAsLong);
  }

  void uploaded(long bytes) {
    uploads.inc();
    uploadBytes.inc(bytes);
  }

  void uploadFailed() {
    uploadsFailed.inc();
  }

  void downloaded() {
    downloads.inc();
  }

  void corrupt() {
    corrupt.inc();
  }

  void deleted() {
    deleted.inc();
  }

  void expired(long n) {
    expired.inc(n);
  }

  /** Removes the gauges, which refer to the store. */
  void close() {
    if (registry != null) {
      registry.remove(OBJECTS);
      registry.remove(BYTES);
    }
  }
}
