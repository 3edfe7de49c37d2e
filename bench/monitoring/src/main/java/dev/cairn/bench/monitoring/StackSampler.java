package dev.cairn.bench.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where an operation's wall time goes, by call site: samples the calling thread's stack every
 * {@value #INTERVAL_MS} ms while the operation runs and counts, per sample, the innermost Cairn frame
 * (class, method, line) and what runs under it (the top frame: a DuckDB native call, a sketch update,
 * a JSON writer…). The threads the profiler starts ({@code cairn-profile…}) and the window's checks
 * beside it ({@code cairn-window-checks}) are counted apart: they work while the caller waits for them.
 * A sample is a share of the wall time, so a row's seconds are its share times the operation's
 * measured duration.
 */
final class StackSampler implements AutoCloseable {
    static final int INTERVAL_MS = 10;

    private final Thread target;
    private final boolean withWorkers;
    private final Map<String, Integer> caller = new LinkedHashMap<>();
    private final Map<String, Integer> workers = new LinkedHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;
    private int samples;
    private int workerSamples;

    private StackSampler(Thread target, boolean withWorkers) {
        this.target = target;
        this.withWorkers = withWorkers;
        this.sampler = Thread.ofPlatform().name("bench-sampler").daemon(true).start(this::run);
    }

    /** Samples {@code target} and the profiler's threads. */
    static StackSampler of(Thread target) {
        return new StackSampler(target, true);
    }

    /** Samples {@code target} alone: a handshake with one thread, cheap enough to run beside a server under load. */
    static StackSampler only(Thread target) {
        return new StackSampler(target, false);
    }

    private void run() {
        while (running.get()) {
            sample();
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        samples++;
        caller.merge(key(target.getStackTrace()), 1, Integer::sum);
        if (!withWorkers) return;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            String name = e.getKey().getName();
            if (!name.startsWith("cairn-profile") && !name.startsWith("cairn-window")) continue;
            StackTraceElement[] stack = e.getValue();
            // An idle pool thread waits in the executor; only threads inside Cairn code are working.
            if (innermostCairn(stack) < 0) continue;
            workerSamples++;
            workers.merge(key(stack), 1, Integer::sum);
        }
    }

    private static int innermostCairn(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getClassName().startsWith("dev.cairn.") && !stack[i].getClassName().startsWith("dev.cairn.bench.")) return i;
        }
        return -1;
    }

    private static String key(StackTraceElement[] stack) {
        if (stack.length == 0) return "(no stack)";
        int i = innermostCairn(stack);
        String top = stack[0].getClassName().substring(stack[0].getClassName().lastIndexOf('.') + 1) + "." + stack[0].getMethodName();
        if (i < 0) return "(outside Cairn) " + top;
        StackTraceElement c = stack[i];
        String site = c.getClassName().substring(c.getClassName().lastIndexOf('.') + 1) + "." + c.getMethodName() + ":" + c.getLineNumber();
        return i == 0 ? site : site + " → " + top;
    }

    /** Markdown rows: call site, share of samples, seconds of {@code wallSeconds}; the {@code limit} largest. */
    synchronized List<String> callerRows(double wallSeconds, int limit) {
        return rows(caller, samples, wallSeconds, limit);
    }

    /**
     * As {@link #callerRows} for a thread that is idle between jobs: samples outside Cairn code (sleeping,
     * waiting for work) are left out, shares are of the busy samples and seconds of the busy time.
     */
    synchronized List<String> busyRows(double wallSeconds, int limit) {
        return busyRows(wallSeconds, limit, false);
    }

    /** As {@link #busyRows(double, int)}, leaving out also, when {@code withoutWaits}, samples parked or waiting inside Cairn code. */
    synchronized List<String> busyRows(double wallSeconds, int limit, boolean withoutWaits) {
        Map<String, Integer> busy = new LinkedHashMap<>();
        caller.forEach((k, v) -> {
            if (!k.startsWith("(outside Cairn)") && !(withoutWaits && waiting(k))) busy.put(k, v);
        });
        int total = busy.values().stream().mapToInt(Integer::intValue).sum();
        return rows(busy, total, busySeconds(wallSeconds, withoutWaits), limit);
    }

    /** The time {@code target} spent in Cairn code, of {@code wallSeconds} sampled. */
    synchronized double busySeconds(double wallSeconds) {
        return busySeconds(wallSeconds, false);
    }

    synchronized double busySeconds(double wallSeconds, boolean withoutWaits) {
        int busy = caller.entrySet().stream().filter(e -> !e.getKey().startsWith("(outside Cairn)") && !(withoutWaits && waiting(e.getKey())))
                .mapToInt(Map.Entry::getValue).sum();
        return samples == 0 ? 0 : wallSeconds * busy / samples;
    }

    /** A sample of a thread parked or waiting (for work, a lock or a signal), not running. */
    private static boolean waiting(String key) {
        return key.endsWith("→ Unsafe.park") || key.endsWith("→ Object.wait0") || key.endsWith("→ Thread.sleep0") || key.endsWith("→ Thread.sleepNanos0");
    }

    /** The profiler threads' busy time by call site, in thread-seconds (sampled at the same interval). */
    synchronized List<String> workerRows(double wallSeconds, int limit) {
        double perSample = samples == 0 ? 0 : wallSeconds / samples;
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(workers.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(limit, sorted.size()))) {
            out.add(String.format(Locale.ROOT, "| `%s` | %.1f%% | %.2f |", e.getKey(), 100.0 * e.getValue() / Math.max(1, workerSamples),
                    e.getValue() * perSample));
        }
        return out;
    }

    private static List<String> rows(Map<String, Integer> counts, int total, double wallSeconds, int limit) {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(limit, sorted.size()))) {
            double share = e.getValue() / (double) Math.max(1, total);
            out.add(String.format(Locale.ROOT, "| `%s` | %.1f%% | %.2f |", e.getKey(), 100 * share, share * wallSeconds));
        }
        return out;
    }

    @Override
    public void close() {
        running.set(false);
        sampler.interrupt();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
