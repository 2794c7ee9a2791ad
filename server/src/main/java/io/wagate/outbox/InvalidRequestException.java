package io.wagate.outbox;

import java.util.List;
import java.util.stream.Collectors;

/** A request broke one or more rules; nothing was stored. Becomes INVALID_ARGUMENT with a field violation each. */
public final class InvalidRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<FieldViolation> violations;

    public InvalidRequestException(List<FieldViolation> violations) {
        // the description names the fields; what is wrong with each travels as a field violation
        super("invalid request: "
                + violations.stream().map(FieldViolation::field).distinct().collect(Collectors.joining(", ")));
        this.violations = List.copyOf(violations);
    }

    public static InvalidRequestException of(String field, String description) {
        return new InvalidRequestException(List.of(new FieldViolation(field, description)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
