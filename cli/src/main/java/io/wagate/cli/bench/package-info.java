/**
 * {@code wagatectl bench}: load generators against Wagate's API and the same-run raw RocksDB
 * baseline their figures are compared with.
 */
package io.wagate.cli.bench;
