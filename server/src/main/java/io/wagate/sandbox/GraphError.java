package io.wagate.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wagate.cloudapi.ErrorCodeTable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One synchronous Graph API error as the sandbox answers it (reference §2.1):
 * {@code {"error":{"message":"(#131009) Parameter value is not valid","type":"OAuthException",
 * "code":131009,"error_data":{"messaging_product":"whatsapp","details":"..."},"fbtrace_id":"..."}}}.
 *
 * <p>Immutable.
 *
 * @param httpStatus the HTTP status to answer with
 * @param code Meta's code
 * @param subcode {@code error_subcode}, or null to omit it (Meta says it is gone since v16)
 * @param type Graph error type
 * @param message the whole {@code message}, normally "(#code) title"
 * @param details {@code error_data.details}; null omits {@code error_data}
 */
record GraphError(int httpStatus, int code, Integer subcode, String type, String message, String details) {

    private static final char[] TRACE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    /** A WhatsApp error with Meta's title and default HTTP status for {@code code}. */
    static GraphError of(int code, String details) {
        return of(code, ErrorCodeTable.httpStatus(code), details);
    }

    static GraphError of(int code, int httpStatus, String details) {
        return new GraphError(httpStatus, code, null, "OAuthException",
                "(#" + code + ") " + ErrorCodeTable.title(code), details);
    }

    /** 100 "Invalid parameter": a parameter Meta does not allow or one that is too long. */
    static GraphError invalidParameter(String details) {
        return of(100, details);
    }

    /** 131008: a required parameter is missing. */
    static GraphError missing(String parameter) {
        return of(131008, "The parameter " + parameter + " is required.");
    }

    /** 131009: a parameter has a value Meta does not accept. */
    static GraphError invalidValue(String details) {
        return of(131009, details);
    }

    /** The same error with another {@code message} (Graph words some answers differently from the table's title). */
    GraphError withMessage(String newMessage) {
        return new GraphError(httpStatus, code, subcode, type, newMessage, details);
    }

    ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode e = root.putObject("error");
        e.put("message", message);
        e.put("type", type);
        e.put("code", code);
        if (subcode != null) {
            e.put("error_subcode", subcode);
        }
        if (details != null) {
            e.putObject("error_data").put("messaging_product", "whatsapp").put("details", details);
        }
        e.put("fbtrace_id", fbtraceId());
        return root;
    }

    /** Meta's trace ids are 23–27 characters of a base64url-like alphabet. */
    private static String fbtraceId() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        char[] id = new char[23 + rnd.nextInt(5)];
        for (int i = 0; i < id.length; i++) {
            id[i] = TRACE_CHARS[rnd.nextInt(TRACE_CHARS.length)];
        }
        return new String(id);
    }
}
