package io.wagate.policy;

/**
 * One of WhatsApp's rules, checked on a valid send before it is queued. Checks run in a fixed
 * order (see {@link SendPolicy}); each may refuse the send or replace the request it will queue
 * (a fallback template instead of a free-form message outside the window).
 *
 * <p>Called on gRPC threads, concurrently: implementations are thread-safe, fast, and read from
 * memory or with single-key database reads only.
 */
@FunctionalInterface
public interface SendCheck {

    /**
     * @return the context to go on with: {@code ctx} itself, or one with another request
     * @throws PolicyException when the send must not be queued
     */
    SendContext check(SendContext ctx);
}
