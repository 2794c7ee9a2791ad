package io.wagate.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The outcome of one of Meta's template management calls (reference §6). Like {@link SendResult},
 * every outcome is data: Meta's refusals and network trouble are {@link Failed}.
 *
 * <p>All implementations are immutable records (the JSON nodes are not to be modified); safe to
 * pass between threads.
 */
public sealed interface TemplateResult permits TemplateResult.Listed, TemplateResult.Found,
        TemplateResult.Created, TemplateResult.Deleted, TemplateResult.Failed {

    /** Every template of the WABA, all pages followed: Meta's objects as returned. */
    record Listed(List<JsonNode> templates, int pages) implements TemplateResult {
        public Listed {
            templates = List.copyOf(templates);
        }
    }

    /** One template by its id, as Meta returned it. */
    record Found(JsonNode template) implements TemplateResult {
    }

    /** Meta took the new template: its id, status (usually PENDING) and category. */
    record Created(String id, String status, String category) implements TemplateResult {
    }

    /** Meta answered {@code {"success": true}} to a delete. */
    record Deleted() implements TemplateResult {
    }

    /**
     * Meta refused ({@link SendResult.MetaError}, classified with the error table) or could not be
     * reached ({@link SendResult.TransportFailure}).
     */
    record Failed(SendResult failure) implements TemplateResult {
        /** One line for operators: Meta's code, title and details, or the transport trouble. */
        public String describe() {
            if (failure instanceof SendResult.MetaError e) {
                return "Meta refused: (#" + e.code() + ") " + e.title() + (e.details() == null ? "" : ": " + e.details());
            }
            if (failure instanceof SendResult.TransportFailure t) {
                return "Meta could not be reached: " + t.description();
            }
            return String.valueOf(failure);
        }
    }
}
