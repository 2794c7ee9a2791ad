package io.wagate.media;

/**
 * What {@link EncryptedMediaStore#open} repaired after an unclean stop.
 *
 * @param tempFilesDeleted     uploads interrupted by the stop (never visible)
 * @param orphanFilesDeleted   object files whose metadata was never written (crash between the
 *                             file's rename and the metadata write) or already deleted
 * @param recordsWithoutFile   metadata whose file was missing (outside damage: the store never
 *                             writes metadata before the file is durable); the records were
 *                             removed, and each is logged by id
 */
public record RecoveryReport(long tempFilesDeleted, long orphanFilesDeleted, long recordsWithoutFile) {}
