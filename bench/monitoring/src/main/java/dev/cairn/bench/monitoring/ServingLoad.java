package dev.cairn.bench.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.data.source.Progress;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.ReferenceLoader;
import dev.cairn.monitor.window.WindowSize;
import dev.cairn.server.serving.PredictionLog;
import dev.cairn.server.serving.ServingLauncher;
import dev.cairn.server.serving.ServingLimits;
import dev.cairn.train.TrainResult;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import dev.cairn.train.tracking.Tracking;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Part 5: serving throughput with the prediction log and monitoring off and on, in one JVM. A model is
 * trained with cairn-train on training-like rows of the log's 20 inputs and registered in a SQLite store;
 * two lean serving stacks ({@link ServingLauncher#serve}, as {@code cairn serve} starts them) serve
 * {@code models:/bench-model/1}: A without a prediction log, B with one and a monitoring loop that, every
 * second, flushes the log and refreshes the deployment ({@link Monitoring#refresh}: new segments read into
 * the day's window, the window's metrics — drift, quality, CBPE — computed for the gauges), as the
 * server's MonitoringJobs does at its interval. Closed-loop HTTP clients (java.net.http, HTTP/1.1
 * keep-alive) post single-row predictions to one of them at a time.
 */
final class ServingLoad implements AutoCloseable {
    static final String DEPLOYMENT = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What runs beside the model: A nothing, L the prediction log alone, B the log and the monitoring loop. */
    enum Variant {
        A("log off"), L("log on, no monitoring"), B("log on + monitoring refresh every 1 s");

        final String description;

        Variant(String description) {
            this.description = description;
        }
    }

    /**
     * One measured round: requests answered 200 in {@code seconds}, non-200 answers, requests that failed on the
     * connection (no answer; counted, not retried: the client goes on with its next request), latency percentiles in ms.
     */
    record Round(Variant variant, long requests, long errors, long connectionFailures, double seconds, double p50, double p99,
                 String firstError) {
        double rate() {
            return requests / seconds;
        }
    }

    /** What the monitoring loop of variant B did; the first refresh (model and reference loaded, code cold) apart. */
    record LoopStats(long refreshes, long failures, double firstMillis, double medianMillis, double maxMillis, double medianFlushMillis,
                     double maxFlushMillis, String firstFailure) {}

    private final MetadataStore store;
    private final ServingLauncher.Running off;
    private final ServingLauncher.Running on;
    private final Monitoring monitoring;
    private final List<String> bodies;
    private final String modelUri;
    private final double trainSeconds;
    private final Thread loop;
    private final StackSampler loopSamples;
    private final long loopStarted;
    private volatile boolean monitoringOn;
    private volatile boolean refreshing;
    private final List<Double> durations = new ArrayList<>();
    private final List<Double> flushes = new ArrayList<>();
    private volatile boolean closed;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong maxRefreshNanos = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    private ServingLoad(Path dir) throws Exception {
        Path training = dir.resolve("training.csv");
        SyntheticLog.writeFile(SyntheticLog.labelled(SyntheticLog.TRAINING_SEED, 20_000, false), training, "csv");
        String storeUri = "sqlite:" + dir.resolve("cairn.db");
        String artifacts = dir.resolve("artifacts").toUri().toString();
        store = Stores.openMetadata(storeUri, artifacts);
        Tracking tracking = Tracking.of(store);
        long t0 = System.nanoTime();
        TrainResult trained = Training.train(TrainSpec.of(training, "class").withParam("num_boost_round", 50).withParam("max_depth", 4)
                .withExperiment("bench-monitoring"), tracking);
        ModelVersion version = Training.register(tracking, trained.runId(), SyntheticLog.MODEL, null);
        trainSeconds = (System.nanoTime() - t0) / 1e9;
        modelUri = "models:/" + SyntheticLog.MODEL + "/" + version.version();
        bodies = bodies(training, 2_000);
        off = ServingLauncher.serve(modelUri, DEPLOYMENT, storeUri, artifacts, "127.0.0.1", 0, null, ServingLimits.DEFAULTS);
        on = ServingLauncher.serve(modelUri, DEPLOYMENT, storeUri, artifacts, "127.0.0.1", 0, dir.resolve("log"), ServingLimits.DEFAULTS);
        Monitoring.Settings settings = new Monitoring.Settings(dir.resolve("log"), dir.resolve("monitoring"), dir.resolve("alerts"),
                WindowSize.DAY, null, null);
        monitoring = new Monitoring(settings, new ReferenceLoader(tracking)::load, List.of(),
                on.server().serving().metrics().registry(), Clock.systemUTC());
        loop = Thread.ofPlatform().name("bench-monitoring").daemon(true).start(this::loop);
        loopStarted = System.nanoTime();
        loopSamples = StackSampler.only(loop);
    }

    /** Trains and registers the model and starts both servers under {@code dir} (which should be empty). */
    static ServingLoad start(Path dir) throws Exception {
        return new ServingLoad(dir);
    }

    String modelUri() {
        return modelUri;
    }

    double trainSeconds() {
        return trainSeconds;
    }

    /** Single-row request bodies, {@code {"inputs": {...}}}, from the first rows of the training file (nulls where values are missing). */
    private static List<String> bodies(Path csv, int n) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT * EXCLUDE (class) FROM read_csv('" + csv + "') LIMIT " + n)) {
            ResultSetMetaData meta = r.getMetaData();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) row.put(meta.getColumnLabel(i), r.getObject(i));
                out.add(JSON.writeValueAsString(Map.of("inputs", row)));
            }
        }
        return out;
    }

    /** Drives one variant for {@code seconds} with {@code clients} closed-loop clients. */
    Round drive(Variant variant, int clients, double seconds) throws Exception {
        ServingLauncher.Running target = variant == Variant.A ? off : on;
        monitoringOn = variant == Variant.B;
        try {
            return load(variant, target.url(), clients, seconds);
        } finally {
            monitoringOn = false;
            // A refresh still running would take CPU from the next round, which may be A's.
            while (refreshing) Thread.sleep(20);
        }
    }

    /**
     * The monitoring loop: while variant B is driven, flush the log and refresh the deployment, then wait a
     * second (a fixed delay, as MonitoringJobs schedules it); idle otherwise. One thread of its own, so its
     * stack can be sampled alone.
     */
    private void loop() {
        PredictionLog log = on.server().serving().log();
        while (!closed) {
            if (monitoringOn) {
                refreshing = true;
                long t0 = System.nanoTime();
                try {
                    log.flush();
                    synchronized (durations) {
                        flushes.add((System.nanoTime() - t0) / 1e6);
                    }
                    monitoring.refresh(DEPLOYMENT, Progress.NONE);
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, e.toString());
                }
                long took = System.nanoTime() - t0;
                maxRefreshNanos.accumulateAndGet(took, Math::max);
                synchronized (durations) {
                    durations.add(took / 1e6);
                }
                refreshing = false;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Where the monitoring loop's busy time went, by call site (Markdown rows), and its busy seconds. */
    List<String> loopProfile(int limit) {
        return loopSamples.busyRows((System.nanoTime() - loopStarted) / 1e9, limit);
    }

    double loopBusySeconds() {
        return loopSamples.busySeconds((System.nanoTime() - loopStarted) / 1e9);
    }

    LoopStats loopStats() {
        List<Double> all;
        double[] flushed;
        synchronized (durations) {
            all = new ArrayList<>(durations);
            flushed = flushes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
        double first = all.isEmpty() ? Double.NaN : all.getFirst();
        double[] rest = all.stream().skip(1).mapToDouble(Double::doubleValue).sorted().toArray();
        return new LoopStats(all.size(), failures.get(), first, median(rest), maxRefreshNanos.get() / 1e6, median(flushed),
                flushed.length == 0 ? Double.NaN : flushed[flushed.length - 1], firstFailure.get());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Records the log wrote and dropped, and the rows the monitoring windows hold after a last flush and refresh. */
    long[] logCounts() {
        PredictionLog log = on.server().serving().log();
        log.flush();
        monitoring.refresh(DEPLOYMENT, Progress.NONE);
        long monitored = monitoring.windows(DEPLOYMENT, WindowSize.DAY, null, null, null).stream()
                .mapToLong(w -> w.metrics().values().getOrDefault(dev.cairn.monitor.MetricNames.ROWS, 0.0).longValue()).sum();
        return new long[] {log.writtenCount(), log.droppedCount(), monitored};
    }

    private Round load(Variant variant, String url, int clients, double seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create(url + "/api/v1/deployments/" + DEPLOYMENT + "/predict");
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong connectionFailures = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().name("bench-client-" + t).start(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                int next = id * 97;
                while (System.nanoTime() < deadline) {
                    HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(next++ % bodies.size()))).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            if (n == mine.length) mine = Arrays.copyOf(mine, n * 2);
                            mine[n++] = System.nanoTime() - t0;
                        } else {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, response.statusCode() + " " + response.body());
                        }
                    } catch (java.io.IOException e) {
                        connectionFailures.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                latencies[id] = mine;
                counts[id] = n;
            }));
        }
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        http.close();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < clients; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        return new Round(variant, ok.get(), errors.get(), connectionFailures.get(), elapsed, percentile(all, 0.5), percentile(all, 0.99), firstError.get());
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    @Override
    public void close() {
        // No interrupt: it could land in a refresh's file or DuckDB work; the loop sees the flag within a second.
        closed = true;
        try {
            loop.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loopSamples.close();
        monitoring.close();
        on.close();
        off.close();
        store.close();
    }
}
