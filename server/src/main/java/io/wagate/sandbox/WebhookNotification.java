package io.wagate.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One thing Meta reports in a {@code messages} webhook: a status of an outbound message, or an
 * inbound message with the contact it came from. A POST carries up to
 * {@link WebhookOptions#maxBatch()} of them.
 *
 * @param phoneNumberId the business number it concerns ({@code value.metadata.phone_number_id})
 * @param status a {@code value.statuses[]} element, or null
 * @param contact the {@code value.contacts[]} element of an inbound message, or null (system messages have none)
 * @param message a {@code value.messages[]} element, or null
 */
record WebhookNotification(String phoneNumberId, ObjectNode status, ObjectNode contact, ObjectNode message) {

    static WebhookNotification status(String phoneNumberId, ObjectNode status) {
        return new WebhookNotification(phoneNumberId, status, null, null);
    }

    static WebhookNotification message(String phoneNumberId, ObjectNode contact, ObjectNode message) {
        return new WebhookNotification(phoneNumberId, null, contact, message);
    }

    boolean isStatus() {
        return status != null;
    }
}
