package io.wagate.sandbox;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Meta limits a running sandbox enforces, changeable while it runs, and what they refused:
 * per-number throughput (130429) and the per-pair limit (131056); see {@link LimitOptions} for the
 * bucket shapes. Refused sends are not recorded as received; they are counted here so benchmarks
 * can assert that a gateway never tripped a limit.
 *
 * <p>A change of a number's throughput or of the pair limit starts the affected buckets afresh
 * (full). Pair buckets that have refilled are forgotten, so a benchmark over millions of
 * recipients does not grow memory without bound.
 *
 * <p>Thread-safe: checked on the event loops, configured and read from any thread.
 */
public final class SandboxLimits {

    private static final String THROUGHPUT_DETAILS = "Cloud API message throughput has been reached.";
    private static final String PAIR_DETAILS = "Message failed to send because there were too many messages sent"
            + " from this phone number to the same phone number in a short period of time.";
    /** Above this many pair buckets, refilled ones are swept out. */
    private static final int PAIR_SWEEP_THRESHOLD = 50_000;

    private volatile int defaultThroughput;
    private final ConcurrentHashMap<String, Integer> numberThroughput;
    private volatile PairLimit pairLimit;
    private volatile int throttleHttpStatus;
    private final ConcurrentHashMap<String, TokenBucket> numberBuckets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TokenBucket> pairBuckets = new ConcurrentHashMap<>();
    private final AtomicInteger pairSweepCountdown = new AtomicInteger(PAIR_SWEEP_THRESHOLD);
    private final ConcurrentHashMap<String, LongAdder> throttled = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> pairLimited = new ConcurrentHashMap<>();

    SandboxLimits(LimitOptions options) {
        this.defaultThroughput = options.throughput();
        this.numberThroughput = new ConcurrentHashMap<>(options.numberThroughput());
        this.pairLimit = options.pairLimit();
        this.throttleHttpStatus = options.throttleHttpStatus();
    }

    /** Sets the throughput of every number without its own, 1..1000 msg/s, or 0 for none. */
    public void setDefaultThroughput(int mps) {
        LimitOptions.checkThroughput(mps, "throughput");
        defaultThroughput = mps;
        numberBuckets.clear();
    }

    /** Sets one number's throughput, 1..1000 msg/s, or 0 to leave that number unlimited. */
    public void setThroughput(String phoneNumberId, int mps) {
        LimitOptions.checkThroughput(mps, "number_throughput." + phoneNumberId);
        numberThroughput.put(Objects.requireNonNull(phoneNumberId, "phoneNumberId"), mps);
        numberBuckets.remove(phoneNumberId);
    }

    /** Makes a number follow the default throughput again. */
    public void clearThroughput(String phoneNumberId) {
        numberThroughput.remove(phoneNumberId);
        numberBuckets.remove(phoneNumberId);
    }

    /** The default throughput in msg/s; 0 when not limited. */
    public int defaultThroughput() {
        return defaultThroughput;
    }

    /** A number's effective throughput in msg/s; 0 when not limited. */
    public int throughput(String phoneNumberId) {
        return numberThroughput.getOrDefault(phoneNumberId, defaultThroughput);
    }

    /** Numbers with their own throughput; a sorted snapshot. */
    public Map<String, Integer> numberThroughput() {
        return new TreeMap<>(numberThroughput);
    }

    public void setPairLimit(PairLimit limit) {
        pairLimit = Objects.requireNonNull(limit, "limit");
        pairBuckets.clear();
    }

    public PairLimit pairLimit() {
        return pairLimit;
    }

    /** HTTP status of 130429 and 131056 answers: 400 or 429. */
    public void setThrottleHttpStatus(int status) {
        LimitOptions.checkThrottleStatus(status);
        throttleHttpStatus = status;
    }

    public int throttleHttpStatus() {
        return throttleHttpStatus;
    }

    /** Sends answered 130429, all numbers. */
    public long throttledCount() {
        return sum(throttled);
    }

    /** Sends from one number answered 130429. */
    public long throttledCount(String phoneNumberId) {
        LongAdder a = throttled.get(phoneNumberId);
        return a == null ? 0 : a.sum();
    }

    /** Sends answered 131056, all numbers. */
    public long pairLimitedCount() {
        return sum(pairLimited);
    }

    /** Sends from one number answered 131056. */
    public long pairLimitedCount(String phoneNumberId) {
        LongAdder a = pairLimited.get(phoneNumberId);
        return a == null ? 0 : a.sum();
    }

    /** Per number, the sends answered 130429; a sorted snapshot. */
    public Map<String, Long> throttledByNumber() {
        return snapshot(throttled);
    }

    /** Per number, the sends answered 131056; a sorted snapshot. */
    public Map<String, Long> pairLimitedByNumber() {
        return snapshot(pairLimited);
    }

    /** Refills every bucket and zeroes the counts; the settings stay. */
    public void reset() {
        numberBuckets.clear();
        pairBuckets.clear();
        throttled.clear();
        pairLimited.clear();
    }

    /**
     * Takes one send's tokens: first the number's, then the pair's. A send refused by the number's
     * bucket takes nothing from the pair's.
     *
     * @param recipient the normalised recipient, or null (then only the number's limit applies)
     * @return the error to answer with, or empty if the send may go on
     */
    Optional<GraphError> admit(String phoneNumberId, String recipient, long nowNanos) {
        int mps = throughput(phoneNumberId);
        if (mps > 0) {
            TokenBucket b = numberBuckets.computeIfAbsent(phoneNumberId, n -> new TokenBucket(mps, mps, nowNanos));
            if (!b.tryTake(nowNanos)) {
                throttled.computeIfAbsent(phoneNumberId, n -> new LongAdder()).increment();
                return Optional.of(GraphError.of(130429, throttleHttpStatus, THROUGHPUT_DETAILS));
            }
        }
        PairLimit pair = pairLimit;
        if (pair.enabled() && recipient != null) {
            sweepPairsNow(nowNanos);
            TokenBucket b = pairBuckets.computeIfAbsent(phoneNumberId + '\u0000' + recipient,
                    k -> new TokenBucket(pair.burst(), pair.perSecond(), nowNanos));
            if (!b.tryTake(nowNanos)) {
                pairLimited.computeIfAbsent(phoneNumberId, n -> new LongAdder()).increment();
                return Optional.of(GraphError.of(131056, throttleHttpStatus, PAIR_DETAILS));
            }
        }
        return Optional.empty();
    }

    private void sweepPairsNow(long nowNanos) {
        if (pairSweepCountdown.decrementAndGet() > 0) {
            return;
        }
        pairSweepCountdown.set(PAIR_SWEEP_THRESHOLD);
        if (pairBuckets.size() >= PAIR_SWEEP_THRESHOLD) {
            pairBuckets.values().removeIf(b -> b.isFull(nowNanos));
        }
    }

    private static long sum(Map<String, LongAdder> m) {
        return m.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
