/**
 * The one RocksDB database of the appliance: its column families, schema version, big-endian key
 * encodings and the group-commit writer through which every durable write goes.
 */
package io.wagate.store;
