package io.wagate.outbox;

/** One problem with a request: the field path as in the proto ({@code interactive.buttons.buttons[3].title}) and what is wrong. */
public record FieldViolation(String field, String description) {
}
