package io.wagate.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * One fault to inject and its reach: which requests (a sending number, a recipient, or all), for how
 * many requests and/or how long, and how often (a probability per matching request).
 *
 * <pre>{@code
 * // 1 % of sends from 1065 answered 503 / code 2 for the next minute:
 * sandbox.faults().add(FaultSpec.of(new FaultPlan.MetaError(2, 503, null))
 *         .forNumber("1065").lasting(Duration.ofMinutes(1)).withProbability(0.01));
 * }</pre>
 *
 * <p>A spec with neither {@code times} nor {@code duration} lasts until removed. Limits by kind:
 * {@link FaultPlan.ResetOnConnect} happens before anything is read, so it cannot target a number or a
 * recipient; {@link FaultPlan.ResetBeforeRead} sees only the request line, so it cannot target a
 * recipient.
 *
 * <p>Immutable; validated on construction.
 *
 * @param fault what happens
 * @param number only requests to this phone-number id's endpoint; null for any
 * @param recipient only sends to this {@code to}/{@code recipient} value (compared as given); null for any
 * @param times how many requests it applies to, or 0 for no count limit
 * @param duration how long after it is added it applies, or null for no time limit
 * @param probability chance in (0, 1] that a matching request is hit; a miss uses nothing up
 */
public record FaultSpec(FaultPlan.Fault fault, String number, String recipient, int times, Duration duration,
                        double probability) {

    public FaultSpec {
        Objects.requireNonNull(fault, "fault must be set");
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0 (0: no count limit), got " + times);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be > 0, got " + duration);
        }
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1], got " + probability);
        }
        if (fault instanceof FaultPlan.ResetOnConnect && (number != null || recipient != null)) {
            throw new IllegalArgumentException("reset_on_connect happens before the request is read: it cannot target a number or recipient");
        }
        if (fault instanceof FaultPlan.ResetBeforeRead && recipient != null) {
            throw new IllegalArgumentException("reset_before_read happens before the body is read: it cannot target a recipient");
        }
    }

    /** {@code fault} for every request, until removed. */
    public static FaultSpec of(FaultPlan.Fault fault) {
        return new FaultSpec(fault, null, null, 0, null, 1.0);
    }

    public FaultSpec forNumber(String phoneNumberId) {
        return new FaultSpec(fault, phoneNumberId, recipient, times, duration, probability);
    }

    public FaultSpec forRecipient(String to) {
        return new FaultSpec(fault, number, to, times, duration, probability);
    }

    public FaultSpec times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be >= 1, got " + n);
        }
        return new FaultSpec(fault, number, recipient, n, duration, probability);
    }

    public FaultSpec lasting(Duration d) {
        return new FaultSpec(fault, number, recipient, times, Objects.requireNonNull(d, "duration"), probability);
    }

    public FaultSpec withProbability(double p) {
        return new FaultSpec(fault, number, recipient, times, duration, p);
    }

    boolean matches(String requestNumber, String requestRecipient) {
        return (number == null || number.equals(requestNumber))
                && (recipient == null || recipient.equals(requestRecipient));
    }
}
