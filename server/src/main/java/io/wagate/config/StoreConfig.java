package io.wagate.config;

import static io.wagate.config.ConfigException.check;

/**
 * The embedded database.
 *
 * @param minFreeBytes below this much free disk space under data_dir, Send answers
 *                     RESOURCE_EXHAUSTED instead of risking a write that cannot complete
 */
public record StoreConfig(Long minFreeBytes) {

    public static final long DEFAULT_MIN_FREE_BYTES = 64L * 1024 * 1024;

    public StoreConfig {
        minFreeBytes = minFreeBytes == null ? DEFAULT_MIN_FREE_BYTES : minFreeBytes;
        check(minFreeBytes >= 0, "store.min_free_bytes", "must be >= 0", minFreeBytes);
    }

    public static StoreConfig defaults() {
        return new StoreConfig(null);
    }
}
