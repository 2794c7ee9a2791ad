package io.wagate.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Turns an HTTP answer of the messages endpoint into a {@link SendResult}: Meta's success body,
 * Meta's error envelope (reference §2.1), or a body that is neither (a proxy's HTML page, a
 * truncated answer), which becomes a {@link SendResult.MetaError} with code 0.
 *
 * <p>Stateless; safe from any thread.
 */
final class CloudApiResponseParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE_PREFIX = Pattern.compile("^\\(#\\d+\\)\\s*");
    private static final int SNIPPET_CHARS = 200;

    SendResult parse(int status, byte[] body, boolean markRead, String accessToken) {
        JsonNode root = readJson(body);
        if (status >= 200 && status < 300) {
            return success(root, markRead, status);
        }
        return error(status, root, body, accessToken);
    }

    /** Meta's error envelope of a non-2xx answer as a MetaError (code 0 when the body is not one). */
    SendResult.MetaError error(int status, byte[] body, String accessToken) {
        return error(status, readJson(body), body, accessToken);
    }

    /** The JSON object of a body, null when it is empty or not a JSON object. */
    static JsonNode json(byte[] body) {
        return readJson(body);
    }

    private static SendResult.MetaError error(int status, JsonNode root, byte[] body, String accessToken) {
        JsonNode error = root == null ? null : root.get("error");
        if (error == null || !error.isObject() || !error.path("code").canConvertToInt()) {
            return notAnEnvelope(status, body, accessToken);
        }
        int code = error.get("code").asInt();
        JsonNode sub = error.get("error_subcode");
        Integer subcode = sub != null && sub.canConvertToInt() ? sub.asInt() : null;
        String message = text(error, "message");
        String title = message == null ? null : CODE_PREFIX.matcher(message).replaceFirst("");
        return new SendResult.MetaError(status, code, subcode, text(error, "type"), title,
                text(error.path("error_data"), "details"), text(error, "fbtrace_id"),
                ErrorCodeTable.classify(code, status));
    }

    private static SendResult success(JsonNode root, boolean markRead, int status) {
        if (markRead) {
            if (root != null && root.path("success").asBoolean(false)) {
                return new SendResult.Acknowledged();
            }
        } else {
            JsonNode message = root == null ? null : root.path("messages").path(0);
            String wamid = message == null ? null : text(message, "id");
            if (wamid != null) {
                return new SendResult.Accepted(wamid, text(root.path("contacts").path(0), "wa_id"),
                        text(message, "message_status"));
            }
        }
        // Meta said 2xx, so it may well have accepted the message: treat as "maybe sent" and let
        // the dispatcher reconcile rather than resend blindly.
        return new SendResult.TransportFailure(true, "HTTP " + status + " body was not Meta's success response");
    }

    private static SendResult.MetaError notAnEnvelope(int status, byte[] body, String accessToken) {
        // 408 and 429 from a proxy say "try again" in plain HTTP; other 4xx are our request's fault.
        RetryClass retry = status >= 500 || status == 408 || status == 429 ? RetryClass.TRANSIENT : RetryClass.PERMANENT;
        String details = "HTTP " + status + " body was not Meta's error envelope: " + snippet(body, accessToken);
        return new SendResult.MetaError(status, 0, null, null, "HTTP " + status, details, null, retry);
    }

    private static String snippet(byte[] body, String accessToken) {
        if (body == null || body.length == 0) {
            return "(empty)";
        }
        String s = new String(body, 0, Math.min(body.length, SNIPPET_CHARS * 4), StandardCharsets.UTF_8);
        s = s.length() > SNIPPET_CHARS ? s.substring(0, SNIPPET_CHARS) + "…" : s;
        // Whatever echoed the body, the token must not travel on into state, events or logs.
        if (accessToken != null && !accessToken.isEmpty()) {
            s = s.replace(accessToken, "<redacted>");
        }
        return s.replaceAll("[\\p{Cntrl}]", " ");
    }

    private static JsonNode readJson(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }
}
