package io.wagate.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wagate.cloudapi.ErrorCodeTable;
import java.util.Objects;

/**
 * An asynchronous failure the sandbox reports for a recipient in place of {@code delivered}: a
 * {@code failed} status carrying Meta's webhook error object (reference §2.2).
 *
 * @param code Meta's error code, for example 131026 (undeliverable), 131049 (ecosystem
 *     engagement), 131050 (the user stopped marketing messages)
 * @param title Meta's title; the {@code message} field repeats it, as Meta does
 * @param details {@code error_data.details}
 */
public record StatusFailure(int code, String title, String details) {

    public StatusFailure {
        if (code <= 0) {
            throw new IllegalArgumentException("failure code must be > 0, got " + code);
        }
        Objects.requireNonNull(title, "failure title must be set");
        Objects.requireNonNull(details, "failure details must be set");
    }

    /** Meta's title for {@code code} from the error table; the details repeat it. */
    public static StatusFailure of(int code) {
        String title = ErrorCodeTable.title(code);
        return new StatusFailure(code, title, title);
    }

    /** Meta's title for {@code code}, with {@code details} (Meta's title as details when null). */
    public static StatusFailure of(int code, String details) {
        StatusFailure f = of(code);
        return details == null ? f : new StatusFailure(code, f.title(), details);
    }

    /** The {@code errors[]} element of a failed status. */
    ObjectNode toJson() {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("code", code).put("title", title).put("message", title);
        e.putObject("error_data").put("details", details);
        e.put("href", "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/");
        return e;
    }
}
