package io.wagate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One request body the sandbox took in, as parsed JSON.
 *
 * <p>Immutable by convention: {@code body} is the emulator's own parsed copy, shared by every
 * snapshot; readers must not modify it (use {@code body.deepCopy()} to edit).
 *
 * @param phoneNumberId the sending number from the path
 * @param body the JSON as received
 * @param wamid the id the sandbox answered with; null for requests it never answered (attempts)
 *     and for mark-reads
 * @param at when the sandbox received it
 */
public record ReceivedMessage(String phoneNumberId, JsonNode body, String wamid, Instant at) {
}
