package io.wagate.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One thing Meta reports in a webhook: a status of an outbound message, or an inbound message with
 * the contact it came from (field {@code messages}), or the whole {@code value} of a change of
 * another field (a template's status, a user's marketing preference). A POST carries up to
 * {@link WebhookOptions#maxBatch()} of them.
 *
 * @param phoneNumberId the business number it concerns ({@code value.metadata.phone_number_id});
 *     null for a change about the WABA (templates)
 * @param status a {@code value.statuses[]} element, or null
 * @param contact the {@code value.contacts[]} element of an inbound message, or null (system messages have none)
 * @param message a {@code value.messages[]} element, or null
 * @param wabaId the WABA ({@code entry[].id}); null for the WABA of {@code phoneNumberId}
 * @param field the change's {@code field} for anything but {@code messages}; null for messages
 * @param value that change's whole {@code value}; null for messages
 */
record WebhookNotification(String phoneNumberId, ObjectNode status, ObjectNode contact, ObjectNode message,
                           String wabaId, String field, ObjectNode value) {

    static WebhookNotification status(String phoneNumberId, ObjectNode status) {
        return new WebhookNotification(phoneNumberId, status, null, null, null, null, null);
    }

    static WebhookNotification message(String phoneNumberId, ObjectNode contact, ObjectNode message) {
        return new WebhookNotification(phoneNumberId, null, contact, message, null, null, null);
    }

    /** A change of {@code field} (not {@code messages}) of {@code wabaId}, its value as given. */
    static WebhookNotification change(String wabaId, String field, ObjectNode value) {
        return new WebhookNotification(null, null, null, null, wabaId, field, value);
    }

    boolean isStatus() {
        return status != null;
    }

    boolean isChange() {
        return field != null;
    }
}
