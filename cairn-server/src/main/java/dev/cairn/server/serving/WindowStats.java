package dev.cairn.server.serving;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Requests, errors and a latency histogram over the last N seconds, in one-second buckets that are
 * reused round-robin: cheap enough to record on every request (a few atomic adds), and enough to
 * compare a canary's error rate and p99 with the stable version's. The same counts are also kept as
 * running totals since the route was first built ({@link #totals}): a canary step takes them at the
 * start and at the end of a window of its own length and time (a simulated clock's too), which the
 * wall-clock ring of at most a day cannot give.
 */
public final class WindowStats {
    // Latency buckets: bucket i holds latencies below 2^(i/4) microseconds (about 19% apart).
    private static final int LATENCY_BUCKETS = 112;
    private static final int STRIDE = 3 + LATENCY_BUCKETS;
    /** A slot's stamp while it is being emptied for a new second (seconds since 1970 are positive). */
    private static final long CLEARING = -1;

    private final int seconds;
    private final AtomicLongArray cells;
    /** Requests, errors and the latency histogram since creation, laid out as one slot of {@link #cells}. */
    private final AtomicLongArray totals = new AtomicLongArray(STRIDE);

    WindowStats(int seconds) {
        this.seconds = seconds;
        this.cells = new AtomicLongArray(seconds * STRIDE);
    }

    void record(long nowMillis, long latencyNanos, boolean error) {
        long second = nowMillis / 1000;
        int base = (int) (second % seconds) * STRIDE;
        if (claim(base, second)) {
            cells.incrementAndGet(base + 1);
            if (error) cells.incrementAndGet(base + 2);
            cells.incrementAndGet(base + 3 + bucket(latencyNanos));
        }
        totals.incrementAndGet(1);
        if (error) totals.incrementAndGet(2);
        totals.incrementAndGet(3 + bucket(latencyNanos));
    }

    /**
     * Makes the slot at {@code base} hold {@code second}, clearing what it held a window ago; false when a later second
     * already holds it (a request that took longer than the window to record: counted in the totals only). The slot is
     * marked {@link #CLEARING} while it is emptied and gets its new second only after, so that a request of the new
     * second arriving meanwhile waits instead of counting into cells that are about to be zeroed (which lost counts).
     */
    private boolean claim(int base, long second) {
        while (true) {
            long stamp = cells.get(base);
            if (stamp == second) return true;
            if (stamp == CLEARING) {
                Thread.onSpinWait();
            } else if (stamp > second) {
                return false;
            } else if (cells.compareAndSet(base, stamp, CLEARING)) {
                for (int i = 1; i < STRIDE; i++) cells.set(base + i, 0);
                cells.set(base, second);
                return true;
            }
        }
    }

    static int bucket(long latencyNanos) {
        double micros = Math.max(1.0, latencyNanos / 1000.0);
        int b = (int) Math.floor(4 * Math.log(micros) / Math.log(2)) + 1;
        return Math.min(LATENCY_BUCKETS - 1, Math.max(0, b));
    }

    static double bucketUpperMillis(int bucket) {
        return Math.pow(2, bucket / 4.0) / 1000.0;
    }

    /** A snapshot of the window ending at {@code nowMillis}. */
    Snapshot snapshot(long nowMillis) {
        long now = nowMillis / 1000;
        long requests = 0;
        long errors = 0;
        long[] histogram = new long[LATENCY_BUCKETS];
        for (int slot = 0; slot < seconds; slot++) {
            int base = slot * STRIDE;
            long stamp = cells.get(base);
            if (stamp <= now - seconds || stamp > now) continue;
            requests += cells.get(base + 1);
            errors += cells.get(base + 2);
            for (int i = 0; i < LATENCY_BUCKETS; i++) histogram[i] += cells.get(base + 3 + i);
        }
        return new Snapshot(requests, errors, percentile(histogram, requests, 0.99));
    }

    private static double percentile(long[] histogram, long total, double q) {
        if (total == 0) return 0;
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank) return bucketUpperMillis(i);
        }
        return bucketUpperMillis(histogram.length - 1);
    }

    /** Nothing recorded: the totals of statistics not created yet. */
    public static Totals none() {
        return new Totals(0, 0, new long[LATENCY_BUCKETS]);
    }

    /** Everything recorded since this route's statistics were created. */
    public Totals totals() {
        long[] histogram = new long[LATENCY_BUCKETS];
        for (int i = 0; i < LATENCY_BUCKETS; i++) histogram[i] = totals.get(3 + i);
        return new Totals(totals.get(1), totals.get(2), histogram);
    }

    /**
     * Requests (answered or failed), failed requests and their latency histogram; {@link #since} gives what
     * happened between two of them. Failures count every refused or failed request, as the rollback monitor does.
     */
    public record Totals(long requests, long errors, long[] latencyHistogram) {
        public Totals {
            latencyHistogram = latencyHistogram.clone();
        }

        /** What was recorded after {@code earlier} (taken from the same statistics). */
        public Totals since(Totals earlier) {
            long[] h = new long[latencyHistogram.length];
            for (int i = 0; i < h.length; i++) h[i] = latencyHistogram[i] - earlier.latencyHistogram[i];
            return new Totals(requests - earlier.requests, errors - earlier.errors, h);
        }

        public double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }

        /** The {@code q} quantile of latency in milliseconds, to within one bucket (its upper bound); 0 without requests. */
        public double percentileMillis(double q) {
            long total = 0;
            for (long c : latencyHistogram) total += c;
            return percentile(latencyHistogram, total, q);
        }
    }

    /** Requests and errors in the window and the p99 latency in milliseconds (to within one bucket). */
    record Snapshot(long requests, long errors, double p99Millis) {
        double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }
}
