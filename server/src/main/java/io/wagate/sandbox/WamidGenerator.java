package io.wagate.sandbox;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes message ids in Meta's shape for sends and inbound messages alike: unique within this JVM
 * run, base64url after Meta's {@code wamid.HBgL} prefix, well under 128 characters.
 *
 * <p>Thread-safe.
 */
final class WamidGenerator {

    private final AtomicLong sequence = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));

    String next() {
        byte[] raw = new byte[24];
        long seq = sequence.incrementAndGet();
        for (int i = 0; i < 8; i++) {
            raw[i] = (byte) (seq >>> (56 - 8 * i));
        }
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        System.arraycopy(random, 0, raw, 8, 16);
        return "wamid.HBgL" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
