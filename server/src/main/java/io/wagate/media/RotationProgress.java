package io.wagate.media;

/**
 * Progress of a master key rotation.
 *
 * @param targetKeyId the key data keys are being re-wrapped under
 * @param done        objects re-wrapped so far (objects in id order up to the durable cursor)
 * @param total       objects in the store when counted
 * @param finished    whether every data key is under the target and the store's verifier switched
 */
public record RotationProgress(String targetKeyId, long done, long total, boolean finished) {}
