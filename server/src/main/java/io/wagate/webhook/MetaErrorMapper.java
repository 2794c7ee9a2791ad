package io.wagate.webhook;

import io.wagate.api.v1.MessageError;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps Meta's error objects ({@code {code, title, message, error_data: {details}, href}}) as they
 * appear in {@code value.errors}, {@code statuses[].errors} and unsupported messages.
 */
final class MetaErrorMapper {

    private MetaErrorMapper() {
    }

    static List<MessageError> errors(JsonCursor parent, String field) {
        List<MessageError> out = new ArrayList<>();
        for (JsonCursor e : parent.objects(field)) {
            out.add(error(e));
        }
        return out;
    }

    static MessageError error(JsonCursor e) {
        String title = e.text("title");
        String message = e.text("message");
        String details = e.object("error_data").map(d -> d.text("details")).orElse("");
        if (title.isEmpty()) {
            title = message;
        } else if (details.isEmpty() && !message.equals(title)) {
            details = message;
        }
        return MessageError.newBuilder()
                .setCode(e.integer("code"))
                .setTitle(title)
                .setDetails(details)
                .setFbtraceId(e.text("fbtrace_id"))
                .build();
    }
}
