package io.wagate.dispatch;

/**
 * How one number is sending right now, for status and operators.
 *
 * @param pacedRate       msg/s the number is paced at now (below its throughput after 130429s)
 * @param circuit         closed, open (Meta unreachable), half_open (one probe out), paused
 * @param reason          why it is open or paused; empty when closed
 * @param nextProbeAtMillis when open or paused: epoch millis of the next try; 0 otherwise
 * @param inFlight        requests to Meta awaiting an answer
 */
public record NumberSnapshot(double pacedRate, Circuit circuit, String reason, long nextProbeAtMillis, int inFlight) {
    /** The sending states of a number. */
    public enum Circuit { CLOSED, OPEN, HALF_OPEN, PAUSED }
}
