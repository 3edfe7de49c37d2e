package dev.cairn.bench.monitoring;

import dev.cairn.data.source.Progress;
import dev.cairn.monitor.Monitoring;
import dev.cairn.server.serving.PredictionLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A monitoring loop on a thread of its own (so its stack is sampled alone): while resumed, flush the log
 * (when given one) and refresh the deployment, then wait {@code interval} — a fixed delay, as the server's
 * MonitoringJobs schedules it; paused otherwise. The delay counts only resumed time: the variants take turns,
 * and a refresh must see the traffic of one interval of its own variant, not of the others' rounds. The first
 * refresh (at the first resume) loads the model and its reference and runs cold code, so it is reported apart.
 */
final class MonitorLoop implements AutoCloseable {
    /** What the loop did: refreshes, failures, the first refresh, the others' median and max, and the flushes' median and max, in ms. */
    record Stats(long refreshes, long failures, double firstMillis, double medianMillis, double maxMillis, double medianFlushMillis,
                 double maxFlushMillis, String firstFailure) {}

    private final Monitoring monitoring;
    private final String deployment;
    private final PredictionLog flushFirst;
    private final long intervalNanos;
    private final Thread thread;
    private final StackSampler samples;
    private final long sampledFrom;
    private final List<Double> durations = new ArrayList<>();
    private final List<Double> flushes = new ArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private volatile boolean on;
    private volatile boolean busy;
    private volatile boolean closed;

    MonitorLoop(String name, Monitoring monitoring, String deployment, PredictionLog flushFirst, Duration interval) {
        this.monitoring = monitoring;
        this.deployment = deployment;
        this.flushFirst = flushFirst;
        this.intervalNanos = interval.toNanos();
        this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::run);
        this.sampledFrom = System.nanoTime();
        this.samples = StackSampler.only(thread);
    }

    private void run() {
        long waited = intervalNanos; // the first resume refreshes at once
        long last = System.nanoTime();
        while (!closed) {
            long now = System.nanoTime();
            if (on) waited += now - last;
            last = now;
            if (on && waited >= intervalNanos) {
                busy = true;
                long t0 = System.nanoTime();
                try {
                    if (flushFirst != null) {
                        flushFirst.flush();
                        record(flushes, t0);
                    }
                    monitoring.refresh(deployment, Progress.NONE);
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, e.toString());
                }
                record(durations, t0);
                busy = false;
                // A fixed delay, as MonitoringJobs: the interval starts when the refresh ends.
                waited = 0;
                last = System.nanoTime();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(List<Double> into, long t0) {
        synchronized (durations) {
            into.add((System.nanoTime() - t0) / 1e6);
        }
    }

    void resume() {
        on = true;
    }

    /** Stops starting refreshes and waits for the one running, if any. */
    void pauseAndWait() throws InterruptedException {
        on = false;
        while (busy) Thread.sleep(20);
    }

    Stats stats() {
        List<Double> all;
        double[] flushed;
        synchronized (durations) {
            all = new ArrayList<>(durations);
            flushed = flushes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
        double first = all.isEmpty() ? Double.NaN : all.getFirst();
        double[] rest = all.stream().skip(1).mapToDouble(Double::doubleValue).sorted().toArray();
        return new Stats(all.size(), failures.get(), first, median(rest), all.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                median(flushed), flushed.length == 0 ? Double.NaN : flushed[flushed.length - 1], firstFailure.get());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Where the loop's busy time went, by call site (Markdown rows). */
    List<String> profile(int limit) {
        return samples.busyRows((System.nanoTime() - sampledFrom) / 1e9, limit);
    }

    double busySeconds() {
        return samples.busySeconds((System.nanoTime() - sampledFrom) / 1e9);
    }

    @Override
    public void close() {
        // No interrupt: it could land in a refresh's file or DuckDB work; the loop sees the flag within a second.
        closed = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        samples.close();
    }
}
