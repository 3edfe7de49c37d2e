package dev.cairn.bench.ui;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.RunStatus;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;

/**
 * What the benchmark reads, made once per size through the store's API ({@link RunStore#createRun},
 * {@link RunStore#logBatch}, {@link RunStore#updateRun}: the rows the server writes for a client) and reused by later
 * runs: its ids are kept in {@value #MANIFEST} beside the database, written only when everything is loaded.
 *
 * <ul>
 *   <li>the main experiment: {@code runs} finished runs, each with the {@value #METRICS} metrics {@code m00…m49} (one
 *       value each) and four tuning params; its first {@value #LONG_RUNS} runs also log {@code loss} over
 *       {@value #LONG_STEPS} steps, the next {@value #COMPARED} over {@value #COMPARED_STEPS} steps (tuning trials, the
 *       runs compared);</li>
 *   <li>anchors at the sizes MLflow's issues report breaking: an experiment of {@value #ANCHOR_RUNS} runs (mlflow#627)
 *       and an experiment of {@value #WIDE_RUNS} runs with {@value #WIDE_METRICS} metric keys each (mlflow#11927).</li>
 * </ul>
 */
record BenchData(int runs, String experimentId, List<String> longRuns, List<String> compared, String anchorExperimentId,
                 String wideExperimentId, String wideRunId) {

    static final String MANIFEST = "dataset.properties";
    static final int METRICS = 50;
    static final int LONG_RUNS = 10;
    static final int LONG_STEPS = 10_000;
    static final int COMPARED = 200;
    static final int COMPARED_STEPS = 300;
    static final String HISTORY_KEY = "loss";
    static final int ANCHOR_RUNS = 1_701;
    static final int WIDE_RUNS = 50;
    static final int WIDE_METRICS = 12_000;
    /** 2026-01-01T00:00Z; runs start a minute apart from here. */
    private static final long T0 = 1_767_225_600_000L;
    /** Items in one logBatch: MLflow's (and the store's) limit. */
    private static final int BATCH = 1000;

    /** The metric keys every run has: m00 … m49. */
    static List<String> metricKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < METRICS; i++) keys.add(String.format(Locale.ROOT, "m%02d", i));
        return keys;
    }

    /** The manifest of {@code dir} if a complete load of {@code runs} runs is there, else null. */
    static BenchData existing(Path dir, int runs) throws IOException {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.exists(manifest)) return null;
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        if (Integer.parseInt(p.getProperty("runs")) != runs) return null;
        return new BenchData(runs, p.getProperty("experiment"), List.of(p.getProperty("long_runs").split(",")),
                List.of(p.getProperty("compared").split(",")), p.getProperty("anchor_experiment"), p.getProperty("wide_experiment"),
                p.getProperty("wide_run"));
    }

    /** Loads everything into {@code store} (an empty one) and writes the manifest into {@code dir} last. */
    static BenchData generate(MetadataStore store, Path dir, int runs) throws IOException {
        if (runs < LONG_RUNS + COMPARED) throw new IllegalArgumentException("runs: at least " + (LONG_RUNS + COMPARED) + ", got " + runs);
        Random random = new Random(42);
        RunStore runStore = store.runs();
        long start = System.nanoTime();

        String experiment = store.experiments().createExperiment("bench-ui-" + runs + "-runs", null, List.of());
        List<String> ids = new ArrayList<>(runs);
        for (int i = 0; i < runs; i++) {
            ids.add(tuningRun(runStore, experiment, "trial-" + i, T0 + 60_000L * i, random));
            if ((i + 1) % 10_000 == 0 || i + 1 == runs) {
                System.out.printf(Locale.ROOT, "[data] %,d of %,d runs in %.0f s%n", i + 1, runs, (System.nanoTime() - start) / 1e9);
            }
        }
        List<String> longRuns = ids.subList(0, LONG_RUNS);
        List<String> compared = ids.subList(LONG_RUNS, LONG_RUNS + COMPARED);
        for (String id : longRuns) history(runStore, id, LONG_STEPS, random);
        for (String id : compared) history(runStore, id, COMPARED_STEPS, random);
        System.out.printf(Locale.ROOT, "[data] histories logged in %.0f s%n", (System.nanoTime() - start) / 1e9);

        String anchor = store.experiments().createExperiment("bench-ui-anchor-" + ANCHOR_RUNS + "-runs", null, List.of());
        for (int i = 0; i < ANCHOR_RUNS; i++) tuningRun(runStore, anchor, "trial-" + i, T0 + 60_000L * i, random);

        String wide = store.experiments().createExperiment("bench-ui-anchor-" + WIDE_METRICS + "-metrics", null, List.of());
        String wideRun = null;
        for (int i = 0; i < WIDE_RUNS; i++) {
            long time = T0 + 60_000L * i;
            String id = runStore.createRun(wide, "bench", time, "wide-" + i, List.of()).info().runId();
            List<Metric> batch = new ArrayList<>(BATCH);
            for (int k = 0; k < WIDE_METRICS; k++) {
                batch.add(new Metric(String.format(Locale.ROOT, "metric_%05d", k), random.nextDouble(), time, 0));
                if (batch.size() == BATCH) {
                    runStore.logBatch(id, batch, List.of(), List.of());
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) runStore.logBatch(id, batch, List.of(), List.of());
            runStore.updateRun(id, RunStatus.FINISHED, time + 30_000, null);
            wideRun = id;
        }
        System.out.printf(Locale.ROOT, "[data] anchors loaded in %.0f s%n", (System.nanoTime() - start) / 1e9);

        BenchData data = new BenchData(runs, experiment, List.copyOf(longRuns), List.copyOf(compared), anchor, wide, wideRun);
        data.write(dir.resolve(MANIFEST));
        return data;
    }

    /** A finished tuning trial: 50 metrics, 4 params, as a client logs them in one batch. */
    private static String tuningRun(RunStore runs, String experiment, String name, long time, Random random) {
        String id = runs.createRun(experiment, "bench", time, name, List.of()).info().runId();
        List<Metric> metrics = new ArrayList<>(METRICS);
        for (String key : metricKeys()) metrics.add(new Metric(key, random.nextDouble(), time + 29_000, 0));
        List<Param> params = List.of(
                new Param("max_depth", Integer.toString(3 + random.nextInt(8))),
                new Param("learning_rate", String.format(Locale.ROOT, "%.3f", 0.01 + 0.29 * random.nextDouble())),
                new Param("n_estimators", Integer.toString(100 + 50 * random.nextInt(19))),
                new Param("subsample", String.format(Locale.ROOT, "%.2f", 0.5 + 0.5 * random.nextDouble())));
        runs.logBatch(id, metrics, params, List.of());
        runs.updateRun(id, RunStatus.FINISHED, time + 30_000, null);
        return id;
    }

    /** A decaying training loss with noise, {@code steps} points in batches of 1,000. */
    private static void history(RunStore runs, String runId, int steps, Random random) {
        long time = runs.getRun(runId).info().startTime();
        double scale = steps / 5.0;
        List<Metric> batch = new ArrayList<>(BATCH);
        for (int step = 0; step < steps; step++) {
            double loss = 0.7 * Math.exp(-step / scale) + 0.2 + 0.01 * random.nextGaussian();
            batch.add(new Metric(HISTORY_KEY, loss, time + step, step));
            if (batch.size() == BATCH) {
                runs.logBatch(runId, batch, List.of(), List.of());
                batch = new ArrayList<>(BATCH);
            }
        }
        if (!batch.isEmpty()) runs.logBatch(runId, batch, List.of(), List.of());
    }

    private void write(Path manifest) throws IOException {
        Properties p = new Properties();
        p.setProperty("runs", Integer.toString(runs));
        p.setProperty("experiment", experimentId);
        p.setProperty("long_runs", String.join(",", longRuns));
        p.setProperty("compared", String.join(",", compared));
        p.setProperty("anchor_experiment", anchorExperimentId);
        p.setProperty("wide_experiment", wideExperimentId);
        p.setProperty("wide_run", wideRunId);
        Path partial = manifest.resolveSibling(MANIFEST + ".partial");
        try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            p.store(writer, "bench/ui data set: complete");
        }
        Files.move(partial, manifest, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The first {@code n} compared runs (mlflow#21841 reports comparing past 100 runs slow). */
    List<String> compared(int n) {
        return compared.subList(0, n);
    }
}
