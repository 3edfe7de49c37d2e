package dev.cairn.bench.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.server.monitoring.MonitoringJobs;
import dev.cairn.train.TrainResult;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import dev.cairn.train.tracking.Tracking;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Part 5: serving throughput with the prediction log and monitoring off and on, in one JVM. A model is
 * trained with cairn-train on training-like rows of the log's 20 inputs and registered in a SQLite store;
 * one lean serving stack per variant (the components {@code cairn serve} wires, see
 * {@link dev.cairn.server.serving.ServingLauncher#serve}) serves {@code models:/bench-model/1}:
 * <ul>
 *   <li>A: no prediction log;</li>
 *   <li>L: the prediction log (default settings: a segment rolled every 10 s), nothing reading it;</li>
 *   <li>S: the log, and a monitoring loop that flushes it and refreshes the deployment ({@code Monitoring.refresh}:
 *       new segments read into the day's window, the window's metrics computed for the gauges), then waits
 *       {@link MonitoringJobs#INTERVAL} — what the server does (the target is measured on this variant);</li>
 *   <li>B: the same loop waiting one second instead: sixty times the server's cadence, a stress that shows what a
 *       refresh costs when it runs all the time.</li>
 * </ul>
 * Closed-loop HTTP clients (java.net.http, HTTP/1.1 keep-alive) post single-row predictions to one of them at a time.
 */
final class ServingLoad implements AutoCloseable {
    static final String DEPLOYMENT = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** What runs beside the model. */
    enum Variant {
        A("log off"),
        L("log on, no monitoring"),
        S("log on + monitoring as the server runs it (flush, refresh, " + MonitoringJobs.INTERVAL.toSeconds() + " s pause)", MonitoringJobs.INTERVAL),
        B("log on + monitoring every 1 s (flush, refresh, 1 s pause): a stress", Duration.ofSeconds(1));

        final String description;
        /** The monitoring loop's pause, or null when there is none. */
        final Duration monitoringInterval;

        Variant(String description) {
            this(description, null);
        }

        Variant(String description, Duration monitoringInterval) {
            this.description = description;
            this.monitoringInterval = monitoringInterval;
        }
    }

    /**
     * One measured round: requests answered 200 in {@code seconds}, non-200 answers, requests that failed on the
     * connection (no answer; counted, not retried: the client goes on with its next request), latency
     * percentiles in ms, and the CPU the process and its prediction-log writers used (DuckDB's own threads
     * count in the process's CPU, not in the writer's).
     */
    record Round(Variant variant, long requests, long errors, long connectionFailures, double seconds, double p50, double p99,
                 double processCpuSeconds, double writerCpuSeconds, String firstError) {
        double rate() {
            return requests / seconds;
        }
    }

    private final MetadataStore store;
    private final Map<Variant, ServingStack> stacks = new EnumMap<>(Variant.class);
    private final List<String> bodies;
    private final String modelUri;
    private final double trainSeconds;

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
        for (Variant v : Variant.values()) stacks.put(v, ServingStack.start(v, dir.resolve(v.name().toLowerCase()), store, artifacts, modelUri));
    }

    /** Trains and registers the model and starts one server per variant under {@code dir} (which should be empty). */
    static ServingLoad start(Path dir) throws Exception {
        return new ServingLoad(dir);
    }

    String modelUri() {
        return modelUri;
    }

    double trainSeconds() {
        return trainSeconds;
    }

    ServingStack stack(Variant v) {
        return stacks.get(v);
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

    /** Drives one variant for {@code seconds} with {@code clients} closed-loop clients; its monitoring loop runs only meanwhile. */
    Round drive(Variant variant, int clients, double seconds) throws Exception {
        ServingStack stack = stacks.get(variant);
        if (stack.loop() != null) stack.loop().resume();
        long cpu0 = processCpuNanos();
        long writer0 = stack.writerCpuNanos();
        try {
            return load(variant, stack.url(), clients, seconds, cpu0, writer0, stack);
        } finally {
            // A refresh still running would take CPU from the next round, which is another variant's.
            if (stack.loop() != null) stack.loop().pauseAndWait();
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long threadCpuNanos(Thread t) {
        long n = t == null ? -1 : THREADS.getThreadCpuTime(t.threadId());
        return Math.max(0, n);
    }

    private Round load(Variant variant, String url, int clients, double seconds, long cpu0, long writer0, ServingStack stack) throws Exception {
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
                        break;
                    }
                }
                latencies[id] = mine;
                counts[id] = n;
            }));
        }
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        double writer = (stack.writerCpuNanos() - writer0) / 1e9;
        http.close();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < clients; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        return new Round(variant, ok.get(), errors.get(), connectionFailures.get(), elapsed, percentile(all, 0.5), percentile(all, 0.99),
                cpu, writer, firstError.get());
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    @Override
    public void close() {
        for (ServingStack s : stacks.values()) s.close();
        store.close();
    }
}
