package io.wagate.media;

/**
 * What one {@link EncryptedMediaStore#sweep} removed.
 *
 * @param expiredObjects objects past their kind's retention
 * @param orphanFiles    temporary files older than an hour and object files without metadata
 */
public record SweepResult(long expiredObjects, long orphanFiles) {}
