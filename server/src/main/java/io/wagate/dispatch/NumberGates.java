package io.wagate.dispatch;

import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.dispatch.pacing.Circuit;
import io.wagate.dispatch.pacing.NumberPacer;
import io.wagate.dispatch.pacing.PairPacer;
import io.wagate.dispatch.pacing.PairPacers;
import io.wagate.outbox.SendGate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The send gate of every configured number: its circuit (uplink outages, pauses), its pacer (the
 * number's throughput, backing off on 130429 and recovering) and its recipients' pair limits. The
 * scheduler asks it before handing out a head; the dispatcher tells it every outcome.
 *
 * <p>Thread-safe: the components are synchronized; the map is built once.
 */
public final class NumberGates implements SendGate {
    /** One number's gate. */
    static final class Gate {
        final NumberConfig number;
        final NumberPacer pacer;
        final Circuit circuit;
        final PairPacers pairs;
        final AtomicInteger inFlight = new AtomicInteger();

        Gate(NumberConfig number, NumberPacer pacer, Circuit circuit, PairPacers pairs) {
            this.number = number;
            this.pacer = pacer;
            this.circuit = circuit;
            this.pairs = pairs;
        }
    }

    /**
     * 50 ms of sending at the full rate may be banked (4 messages at 80 msg/s): without it the
     * dispatcher's wake-up jitter costs throughput; it stays far below the second that Meta's
     * per-number limit is measured over.
     */
    static final java.time.Duration BURST = java.time.Duration.ofMillis(50);

    private final Map<String, Gate> gates = new HashMap<>();
    private final LongSupplier nanoClock;

    /** @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}) */
    public NumberGates(ApplianceConfig config, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        for (NumberConfig n : config.numbers()) {
            NumberPacer.Settings pacing = NumberPacer.Settings.forThroughput(n.throughput())
                    .withInboundHeadroomPercent(config.dispatch().inboundHeadroomPercent())
                    .withBurst(BURST);
            gates.put(n.phoneNumberId(), new Gate(n, new NumberPacer(pacing, now),
                    new Circuit(Circuit.Settings.defaults(), () -> ThreadLocalRandom.current().nextDouble()),
                    new PairPacers(PairPacer.Settings.meta())));
        }
    }

    @Override
    public Decision decide(String phoneNumberId, String recipient, long nowMillis) {
        Gate g = gates.get(phoneNumberId);
        if (g == null) {
            return Decision.PASS;
        }
        long now = nanoClock.getAsLong();
        boolean probe = false;
        if (!g.circuit.tryAcquire(now)) {
            long wait = g.circuit.nanosUntilAllowed(now);
            if (wait > 0) {
                // paused, open until its probe time, or a probe is out: look again in a while
                return Decision.waitNumber(millis(wait == Long.MAX_VALUE ? TimeUnit.MILLISECONDS.toNanos(500) : wait));
            }
            probe = true;
        }
        long pairWait = g.pairs.nanosUntilAllowed(recipient, now);
        if (pairWait > 0) {
            return Decision.waitConversation(millis(pairWait));
        }
        if (probe) {
            // Meta was unreachable: exactly one request tries the uplink, unpaced
            return g.circuit.tryAcquireProbe(now) && g.pairs.tryAcquire(recipient, now)
                    ? Decision.PASS : Decision.waitNumber(500);
        }
        if (!g.pacer.tryAcquire(now)) {
            return Decision.waitNumber(millis(g.pacer.nanosUntilNext(now)));
        }
        g.pairs.tryAcquire(recipient, now);
        return Decision.PASS;
    }

    /** The gate of a configured number, or null. */
    Gate gate(String phoneNumberId) {
        return gates.get(phoneNumberId);
    }

    long nanos() {
        return nanoClock.getAsLong();
    }

    /** Forgets pair limiters of recipients idle long enough to have a full allowance again. */
    int evictIdleRecipients() {
        int evicted = 0;
        long now = nanoClock.getAsLong();
        for (Gate g : gates.values()) {
            evicted += g.pairs.evictIdle(now);
        }
        return evicted;
    }

    /** How the number is sending right now. */
    public NumberSnapshot snapshot(String phoneNumberId, LongSupplier epochMillis) {
        Gate g = gates.get(phoneNumberId);
        long now = nanoClock.getAsLong();
        boolean paused = g.circuit.isPaused(now);
        NumberSnapshot.Circuit state;
        if (paused) {
            state = NumberSnapshot.Circuit.PAUSED;
        } else {
            switch (g.circuit.state()) {
                case OPEN:
                    state = NumberSnapshot.Circuit.OPEN;
                    break;
                case HALF_OPEN:
                    state = NumberSnapshot.Circuit.HALF_OPEN;
                    break;
                default:
                    state = NumberSnapshot.Circuit.CLOSED;
            }
        }
        long wait = g.circuit.nanosUntilAllowed(now);
        long nextProbe = state == NumberSnapshot.Circuit.PAUSED || state == NumberSnapshot.Circuit.OPEN
                ? (wait == Long.MAX_VALUE ? 0 : epochMillis.getAsLong() + millis(wait)) : 0;
        String reason = paused ? g.circuit.reason() : state == NumberSnapshot.Circuit.OPEN ? "Meta unreachable" : "";
        return new NumberSnapshot(g.pacer.currentRate(), state, reason == null ? "" : reason, nextProbe,
                g.inFlight.get());
    }

    private static long millis(long nanos) {
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }
}
