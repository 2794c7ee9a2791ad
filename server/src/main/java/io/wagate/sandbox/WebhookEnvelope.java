package io.wagate.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Wraps notifications in Meta's envelope (reference §4.5): {@code object}, one {@code entry} per
 * WABA, and in it per business number one change holding all its statuses, one change per
 * inbound message (its {@code contacts} and {@code messages}), and one change per notification of
 * another field (template status, user preferences) with its value as given.
 */
final class WebhookEnvelope {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private WebhookEnvelope() {
    }

    /**
     * @param wabaOf the WABA of a phone-number id
     * @param displayNumber the display phone number of a phone-number id
     */
    static ObjectNode of(UnaryOperator<String> wabaOf, List<WebhookNotification> batch,
                         UnaryOperator<String> displayNumber) {
        ObjectNode root = NODES.objectNode();
        root.put("object", "whatsapp_business_account");
        ArrayNode entries = root.putArray("entry");
        Map<String, ArrayNode> changesByWaba = new LinkedHashMap<>();
        Map<String, ArrayNode> statusesByNumber = new LinkedHashMap<>();
        for (WebhookNotification n : batch) {
            String waba = n.wabaId() != null ? n.wabaId() : wabaOf.apply(n.phoneNumberId());
            ArrayNode changes = changesByWaba.computeIfAbsent(waba, w -> {
                ObjectNode entry = entries.addObject();
                entry.put("id", w);
                return entry.putArray("changes");
            });
            if (n.isChange()) {
                ObjectNode change = changes.addObject();
                change.set("value", n.value());
                change.put("field", n.field());
            } else if (n.isStatus()) {
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
