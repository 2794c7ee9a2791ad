package io.wagate.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Wraps notifications in Meta's envelope (reference §4.5): {@code object}, one {@code entry} for
 * the WABA, and per business number one change holding all its statuses, plus one change per
 * inbound message (its {@code contacts} and {@code messages}).
 */
final class WebhookEnvelope {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private WebhookEnvelope() {
    }

    /**
     * @param displayNumber the display phone number of a phone-number id
     */
    static ObjectNode of(String wabaId, List<WebhookNotification> batch, UnaryOperator<String> displayNumber) {
        ObjectNode root = NODES.objectNode();
        root.put("object", "whatsapp_business_account");
        ObjectNode entry = root.putArray("entry").addObject();
        entry.put("id", wabaId);
        ArrayNode changes = entry.putArray("changes");
        Map<String, ArrayNode> statusesByNumber = new LinkedHashMap<>();
        for (WebhookNotification n : batch) {
            if (n.isStatus()) {
                statusesByNumber.computeIfAbsent(n.phoneNumberId(),
                        id -> value(changes, id, displayNumber).putArray("statuses")).add(n.status());
            } else {
                ObjectNode value = value(changes, n.phoneNumberId(), displayNumber);
                if (n.contact() != null) {
                    value.putArray("contacts").add(n.contact());
                }
                value.putArray("messages").add(n.message());
            }
        }
        return root;
    }

    private static ObjectNode value(ArrayNode changes, String phoneNumberId, UnaryOperator<String> displayNumber) {
        ObjectNode change = changes.addObject();
        ObjectNode value = change.putObject("value");
        value.put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", displayNumber.apply(phoneNumberId))
                .put("phone_number_id", phoneNumberId);
        change.put("field", "messages");
        return value;
    }
}
