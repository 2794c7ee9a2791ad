package io.wagate.media;

/**
 * Totals of the store at one moment.
 *
 * @param objects         committed objects
 * @param bytes           their plaintext bytes (what the quota counts)
 * @param inboundObjects  of which inbound
 * @param inboundBytes    bytes of inbound objects
 * @param outboundObjects of which outbound
 * @param outboundBytes   bytes of outbound objects
 * @param reservedBytes   declared bytes of uploads in progress
 * @param quotaBytes      the configured quota
 * @param activeKeyId     id of the master key new objects are wrapped with
 */
public record MediaStats(long objects, long bytes, long inboundObjects, long inboundBytes, long outboundObjects,
    long outboundBytes, long reservedBytes, long quotaBytes, String activeKeyId) {

  /** Bytes still free under the quota. */
  public long freeBytes() {
    return Math.max(0, quotaBytes - bytes - reservedBytes);
  }
}
