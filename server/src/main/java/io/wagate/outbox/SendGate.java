package io.wagate.outbox;

/**
 * Decides, when the scheduler is about to hand out the head of a conversation, whether it may be
 * sent now: the number's pacing and circuit, the recipient's pair limit. Called under the
 * scheduler's lock, so it must be quick and do no I/O. A pass may consume a token: the scheduler
 * hands the message out right after it.
 */
@FunctionalInterface
public interface SendGate {
    /** Lets everything through at once. */
    SendGate OPEN = (number, recipient, now) -> Decision.PASS;

    /**
     * @param phoneNumberId the sending number
     * @param recipient     the conversation's recipient
     * @param nowMillis     epoch milliseconds
     */
    Decision decide(String phoneNumberId, String recipient, long nowMillis);

    /**
     * The answer for one head.
     *
     * @param kind        pass, hold the whole number, or hold only this conversation
     * @param waitMillis  for the holds: how long
     */
    record Decision(Kind kind, long waitMillis) {
        public static final Decision PASS = new Decision(Kind.PASS, 0);

        /** The three answers. */
        public enum Kind { PASS, WAIT_NUMBER, WAIT_CONVERSATION }

        public Decision {
            if (kind != Kind.PASS && waitMillis <= 0) {
                throw new IllegalArgumentException("a wait needs a positive duration, got " + waitMillis);
            }
        }

        /** The number sends nothing for {@code millis} (paced, circuit open, paused). */
        public static Decision waitNumber(long millis) {
            return new Decision(Kind.WAIT_NUMBER, Math.max(1, millis));
        }

        /** Only this conversation waits {@code millis} (pair limit); the number goes on. */
        public static Decision waitConversation(long millis) {
            return new Decision(Kind.WAIT_CONVERSATION, Math.max(1, millis));
        }
    }
}
