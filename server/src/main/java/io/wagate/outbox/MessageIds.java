package io.wagate.outbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids: 64-bit, time-ordered ({@code epoch millis << 16 | counter}), so key order in the
 * database is acceptance order and a time range maps to an id range. Shown to callers as 13
 * characters of Crockford base32, which sort the same way.
 *
 * <p>Thread-safe. Ids stay monotonic across restarts as long as the clock does not step back
 * further than the last id's time: {@link #advancePast} is called with the highest stored id.
 */
public final class MessageIds {
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int COUNTER_BITS = 16;
    private static final int TEXT_LENGTH = 13;

    private final AtomicLong last = new AtomicLong();

    public long next(long nowMillis) {
        long floor = nowMillis << COUNTER_BITS;
        return last.updateAndGet(prev -> Math.max(prev + 1, floor));
    }

    /** Ensures later ids are above {@code id} (called at start with the newest stored id). */
    public void advancePast(long id) {
        last.accumulateAndGet(id, Math::max);
    }

    /** The smallest id that can have been made at or after {@code epochMillis}. */
    public static long firstIdAt(long epochMillis) {
        return Math.max(0, epochMillis) << COUNTER_BITS;
    }

    public static long millisOf(long id) {
        return id >>> COUNTER_BITS;
    }

    public static String format(long id) {
        char[] out = new char[TEXT_LENGTH];
        long v = id;
        for (int i = TEXT_LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (v & 31));
            v >>>= 5;
        }
        return new String(out);
    }

    /** @throws IllegalArgumentException when {@code text} is not an id made by {@link #format} */
    public static long parse(String text) {
        if (text == null || text.length() != TEXT_LENGTH) {
            throw new IllegalArgumentException("a message id is " + TEXT_LENGTH + " characters of base32");
        }
        long v = 0;
        for (int i = 0; i < TEXT_LENGTH; i++) {
            int digit = ALPHABET.indexOf(Character.toUpperCase(text.charAt(i)));
            if (digit < 0) {
                throw new IllegalArgumentException("a message id is " + TEXT_LENGTH + " characters of base32");
            }
            if (i == 0 && digit > 15) {
                throw new IllegalArgumentException("message id out of range");
            }
            v = (v << 5) | digit;
        }
        return v;
    }
}
