/** The encrypted media store: media bytes in segmented AES-256-GCM files, metadata in RocksDB, retention and key rotation. */
package io.wagate.media;
