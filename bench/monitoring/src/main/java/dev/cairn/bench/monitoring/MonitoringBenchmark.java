package dev.cairn.bench.monitoring;

import dev.cairn.data.profile.ColumnProfile;
import dev.cairn.data.profile.ValueCount;
import dev.cairn.data.source.Progress;
import dev.cairn.data.source.Sql;
import dev.cairn.monitor.MonitoredModel;
import dev.cairn.monitor.log.PredictionLogLayout;
import dev.cairn.monitor.window.LogWindows;
import dev.cairn.monitor.window.WindowSize;
import dev.cairn.monitor.window.WindowState;
import dev.cairn.monitor.window.WindowStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The monitoring benchmark, every part in one run and printed side by side as Markdown for
 * docs/benchmarks.md:
 * <ol>
 *   <li>a synthetic prediction log (single-row requests with 20 inputs, one UTC day, segments of 100,000
 *       rows) and a model whose reference is profiled from a training-like sample;</li>
 *   <li>Cairn: {@link LogWindows#update} of the day window from scratch;</li>
 *   <li>the limit: the same per-feature statistics as one hand-written DuckDB query (the inputs' distributions, their
 *       quality checks, the predictions' distributions: {@link LimitQuery.Flatten#CHECKED}), and the inputs'
 *       distributions alone ({@link LimitQuery.Flatten#TYPED}), as earlier runs compared (2 and 3 in alternating rounds,
 *       {@code LOG_ROUNDS} of each, default 2: the queries, Cairn, Cairn, the queries; the means compared);</li>
 *   <li>1% more rows in one new segment: the incremental update against a recomputation from scratch;</li>
 *   <li>serving throughput with the prediction log and monitoring off and on (monitoring at the server's
 *       interval, and at one second as a stress).</li>
 * </ol>
 * Arguments: rows (default 10,000,000), work directory, then for part 5 the clients (8), seconds per
 * round per variant (60: a round of the server-cadence variant must hold one refresh), warm-up seconds per server
 * (20) and rounds (3). The log is kept in the work directory and reused by later runs with the same row count.
 * With {@code CAIRN_BENCH_PARTS=serving} only part 5 runs, with {@code CAIRN_BENCH_PARTS=log} only parts 1 to 4.
 */
public final class MonitoringBenchmark {
    private static final String DEPLOYMENT = SyntheticLog.DEPLOYMENT;

    private MonitoringBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        Path work = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir") + "/cairn-bench-monitoring").toAbsolutePath();
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 60;
        double warmup = args.length > 4 ? Double.parseDouble(args[4]) : 20;
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        if (rows < 1000) throw new IllegalArgumentException("rows: at least 1000, got " + rows);
        Files.createDirectories(work);
        StringBuilder out = new StringBuilder();
        String loadBefore = loadAverage();
        long runStart = System.nanoTime();
        String parts = System.getenv().getOrDefault("CAIRN_BENCH_PARTS", "all");
        if (!parts.equals("all") && !parts.equals("log") && !parts.equals("serving")) {
            throw new IllegalArgumentException("CAIRN_BENCH_PARTS: all, log (parts 1-4) or serving (part 5), got " + parts);
        }
        if (!parts.equals("serving")) logParts(rows, work, out, loadBefore);
        if (!parts.equals("log")) servingPart(work, clients, seconds, warmup, rounds, out);
        out.append(String.format(Locale.ROOT, "%nLoad average at the end: %s; whole run %.0f s.%n", loadAverage(), (System.nanoTime() - runStart) / 1e9));
        System.out.println(out);
    }

    /** Parts 1 to 4: the log, Cairn's window from scratch against the limit, the incremental update. */
    private static void logParts(long rows, Path work, StringBuilder out, String loadBefore) throws Exception {
        // ---- 1. data
        Path logRoot = work.resolve("log-" + rows);
        removeExtraSegments(logRoot);
        log("generating the log (" + rows + " rows) unless " + logRoot + " has it");
        long t0 = System.nanoTime();
        long existing = PredictionLogLayout.files(logRoot, PredictionLogLayout.PREDICTIONS).size();
        List<Path> segments = SyntheticLog.writeLog(logRoot, rows);
        double generateSeconds = (System.nanoTime() - t0) / 1e9;
        boolean generated = existing < segments.size();
        long bytes = 0;
        for (Path p : segments) bytes += Files.size(p);
        long extraRows = Math.max(1, rows / 100);
        log("building the reference (profile, validation predictions, multivariate reference)");
        t0 = System.nanoTime();
        MonitoredModel model = ReferenceModel.build(work, 100_000, 20_000);
        double referenceSeconds = (System.nanoTime() - t0) / 1e9;

        log("warming up on a 50,000-row log");
        Path warmLog = work.resolve("warmup-log");
        List<Path> warmFiles = SyntheticLog.writeLog(warmLog, 50_000);
        deleteRecursively(work.resolve("state-warmup"));
        new LogWindows(warmLog, new WindowStore(work.resolve("state-warmup")), (n, v) -> model).update(DEPLOYMENT, WindowSize.DAY, Progress.NONE);
        LimitQuery.run(warmFiles, LimitQuery.Flatten.TYPED);
        LimitQuery.run(warmFiles, LimitQuery.Flatten.CHECKED);
        LimitQuery.run(warmFiles, LimitQuery.Flatten.BY_FIELD);
        log("reading every segment once (page cache)");
        Timed<Long> read = time(() -> readAll(segments));

        out.append(String.format(Locale.ROOT, "JDK %s, DuckDB %s, %d cores, heap limit %d MB; load average %s at the start.%n%n",
                Runtime.version(), duckdbVersion(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadBefore));

        // ---- 2-3. Cairn from scratch and the limit, in alternating rounds (limit, Cairn, Cairn, limit, ...): neither side
        // always runs first at full scale, when the process still pays for its first large allocations and compilations
        // (a first update ran 3-4 s slower than the same update later in the run). Each side's mean is compared.
        int logRounds = Integer.parseInt(System.getenv().getOrDefault("LOG_ROUNDS", "2"));
        if (logRounds < 1) throw new IllegalArgumentException("LOG_ROUNDS: at least 1, got " + logRounds);
        Path state = work.resolve("state");
        List<Double> cairnRounds = new ArrayList<>();
        List<Double> limitRounds = new ArrayList<>();
        List<Double> checkedRounds = new ArrayList<>();
        LogWindows lastWindows = null;
        Timed<LimitQuery.Result> typed = null;
        Timed<LimitQuery.Result> checked = null;
        for (int r = 0; r < logRounds; r++) {
            boolean limitFirst = r % 2 == 0;
            if (limitFirst) {
                typed = limitRound(segments, LimitQuery.Flatten.TYPED, limitRounds, typed);
                checked = limitRound(segments, LimitQuery.Flatten.CHECKED, checkedRounds, checked);
            }
            log("Cairn: LogWindows.update over " + segments.size() + " segments (round " + (r + 1) + " of " + logRounds + ")");
            deleteRecursively(state);
            LogWindows w = new LogWindows(logRoot, new WindowStore(state), (n, v) -> model);
            Timed<LogWindows.Update> t = time(() -> w.update(DEPLOYMENT, WindowSize.DAY, Progress.NONE));
            lastWindows = w;
            cairnRounds.add(t.seconds);
            log(String.format(Locale.ROOT, "  %.2f s, %s", t.seconds, t.value));
            if (!limitFirst) {
                checked = limitRound(segments, LimitQuery.Flatten.CHECKED, checkedRounds, checked);
                typed = limitRound(segments, LimitQuery.Flatten.TYPED, limitRounds, typed);
            }
        }
        // Where the time goes, from one more round with the stacks sampled: sampling every thread's stack every 10 ms
        // costs time of its own, so this round is not one of the compared ones.
        log("Cairn: one more update, its stacks sampled");
        Path sampledState = work.resolve("state-sampled");
        deleteRecursively(sampledState);
        LogWindows sampledWindows = new LogWindows(logRoot, new WindowStore(sampledState), (n, v) -> model);
        StackSampler fullSamples = StackSampler.of(Thread.currentThread());
        Timed<LogWindows.Update> sampled;
        try (fullSamples) {
            sampled = time(() -> sampledWindows.update(DEPLOYMENT, WindowSize.DAY, Progress.NONE));
        }
        log(String.format(Locale.ROOT, "  %.2f s (sampled)", sampled.seconds));
        deleteRecursively(sampledState);
        LogWindows windows = lastWindows;
        WindowState window = windows.store().load(DEPLOYMENT, WindowSize.DAY).getFirst();
        double cairnSeconds = mean(cairnRounds);
        double limitSeconds = mean(limitRounds);
        double checkedSeconds = mean(checkedRounds);

        // The ->> flattening is only there to show what it costs: on at most 10 segments, to keep the run short.
        List<Path> subset = segments.subList(0, Math.min(10, segments.size()));
        long subsetRows = Math.min(rows, (long) subset.size() * SyntheticLog.SEGMENT_ROWS);
        log("DuckDB: hand-written statistics, fields by ->>, first " + subsetRows + " rows");
        Timed<LimitQuery.Result> byField = time(() -> LimitQuery.run(subset, LimitQuery.Flatten.BY_FIELD));
        log(String.format(Locale.ROOT, "  %.2f s", byField.seconds));

        // ---- 4. incremental
        log("incremental: one new segment of " + extraRows + " rows");
        Path extra = SyntheticLog.writeExtraSegment(logRoot, extraRows);
        Timed<LogWindows.Update> incremental;
        Timed<LogWindows.Update> scratch;
        StackSampler incrementalSamples = StackSampler.of(Thread.currentThread());
        WindowState merged;
        WindowState recomputed;
        try {
            try (incrementalSamples) {
                incremental = time(() -> windows.update(DEPLOYMENT, WindowSize.DAY, Progress.NONE));
            }
            log(String.format(Locale.ROOT, "  incremental %.2f s, %s", incremental.seconds, incremental.value));
            Path fresh = work.resolve("state-scratch");
            deleteRecursively(fresh);
            LogWindows fromScratch = new LogWindows(logRoot, new WindowStore(fresh), (n, v) -> model);
            scratch = time(() -> fromScratch.update(DEPLOYMENT, WindowSize.DAY, Progress.NONE));
            log(String.format(Locale.ROOT, "  from scratch %.2f s, %s", scratch.seconds, scratch.value));
            merged = windows.store().load(DEPLOYMENT, WindowSize.DAY).getFirst();
            recomputed = fromScratch.store().load(DEPLOYMENT, WindowSize.DAY).getFirst();
        } finally {
            Files.deleteIfExists(extra);
        }
        String loadAfterLog = loadAverage();

        // ---- tables of parts 1–4, printed now: part 5 takes minutes more
        out.append("### 1. Data\n\n| what | value |\n|---|---|\n");
        out.append(String.format(Locale.ROOT, "| prediction log | %,d single-row requests, one UTC day, %d segments of up to %,d rows, Parquet %.0f MB |%n",
                rows, segments.size(), SyntheticLog.SEGMENT_ROWS, bytes / 1e6));
        out.append("| inputs | 20: 10 decimals, 4 integers, 6 categories of 3–200 values; 1% missing in 7 numbers, 2% in 3 categories |\n");
        out.append(String.format(Locale.ROOT, "| generation | %s |%n", generated
                ? String.format(Locale.ROOT, "%.1f s (DuckDB SQL, hashed draws)", generateSeconds) : "reused from an earlier run"));
        out.append(String.format(Locale.ROOT, "| reference | profile of 100,000 training-like rows, 20,000 validation scores, multivariate reference: %.1f s |%n",
                referenceSeconds));
        out.append(String.format(Locale.ROOT, "| first read of every segment (inputs and outputs columns, page cache) | %.2f s |%n%n", read.seconds));

        out.append("### 2–3. One day window from scratch: Cairn against the limit\n\n");
        out.append("| operation | seconds | rows/s | Cairn's speed vs this |\n|---|---:|---:|---:|\n");
        out.append(row("**Cairn** `LogWindows.update` (day window from scratch: flatten, full profile, quality, scores, multivariate error), mean of "
                + rounds(cairnRounds), cairnSeconds, rows, Double.NaN));
        out.append(row("DuckDB, hand-written, the same statistics: the inputs' distributions, their quality checks and the predictions' "
                + "distributions, one typed parse of the inputs and one of the outputs per row (**the limit**), mean of " + rounds(checkedRounds),
                checkedSeconds, rows, checkedSeconds / cairnSeconds));
        out.append(row("DuckDB, hand-written, the inputs' distributions only, one typed parse per row, mean of " + rounds(limitRounds),
                limitSeconds, rows, limitSeconds / cairnSeconds));
        out.append(row(String.format(Locale.ROOT, "DuckDB, hand-written, fields by `->>` as Cairn's SQL flattened them before its typed parse (first %,d rows only)",
                subsetRows), byField.seconds, subsetRows, (byField.seconds * rows / subsetRows) / cairnSeconds));
        double ratio = checkedSeconds / cairnSeconds;
        out.append(String.format(Locale.ROOT, "%nCairn vs the limit: **%.2f×** its speed (the means of %d alternating rounds each; target ≥ 0.5×: %s); "
                + "vs the inputs' distributions alone: %.2f×. Window: %,d rows, %,d requests.%n%n", ratio, logRounds, ratio >= 0.5 ? "met" : "NOT met",
                limitSeconds / cairnSeconds, window.rows(), window.requests()));
        out.append(agreement(window, checked.value));
        out.append(String.format(Locale.ROOT, "%nWhere Cairn's time goes, from one more round with its stacks sampled (%.1f s; not a compared "
                + "round: the sampling costs time of its own), the calling thread sampled every %d ms:%n%n", sampled.seconds,
                StackSampler.INTERVAL_MS));
        out.append("| innermost Cairn call site → what runs there | share | seconds |\n|---|---:|---:|\n");
        fullSamples.callerRows(sampled.seconds, 12).forEach(l -> out.append(l).append('\n'));
        out.append("\nThe profiler's threads and the window's checks meanwhile (thread-seconds):\n\n| call site | share | thread-seconds |\n|---|---:|---:|\n");
        fullSamples.workerRows(sampled.seconds, 8).forEach(l -> out.append(l).append('\n'));

        out.append(String.format(Locale.ROOT, "%n### 4. Incremental: 1%% more rows (%,d in one new segment)%n%n", extraRows));
        out.append("| update | seconds | segments read | rows added | window rows after |\n|---|---:|---:|---:|---:|\n");
        out.append(String.format(Locale.ROOT, "| **incremental** `LogWindows.update` (new segment read, merged into the stored window) | %.2f | %d | %,d | %,d |%n",
                incremental.seconds, incremental.value.segmentsRead(), incremental.value.rowsAdded(), merged.rows()));
        out.append(String.format(Locale.ROOT, "| recompute from scratch (fresh `WindowStore`, all segments) | %.2f | %d | %,d | %,d |%n",
                scratch.seconds, scratch.value.segmentsRead(), scratch.value.rowsAdded(), recomputed.rows()));
        double speedup = scratch.seconds / incremental.seconds;
        out.append(String.format(Locale.ROOT, "%nIncremental is **%.1f×** faster (target ≥ 20×: %s); the merged window %s the recomputed one's row count.%n",
                speedup, speedup >= 20 ? "met" : "NOT met", merged.rows() == recomputed.rows() ? "matches" : "DOES NOT match"));
        out.append(String.format(Locale.ROOT, "%nWhere the incremental update's %.2f s go:%n%n| innermost Cairn call site → what runs there | share | seconds |%n|---|---:|---:|%n",
                incremental.seconds));
        incrementalSamples.callerRows(incremental.seconds, 10).forEach(l -> out.append(l).append('\n'));

        out.append(String.format(Locale.ROOT, "%nLoad average after part 4: %s.%n", loadAfterLog));
        System.out.println(out);
        System.out.flush();
        out.setLength(0);
    }

    /** Part 5: serving throughput with the log and monitoring off and on. */
    private static void servingPart(Path work, int clients, double seconds, double warmup, int rounds, StringBuilder out) throws Exception {
        // ---- 5. serving
        log("serving: training the model and starting one server per variant");
        Path servingDir = work.resolve("serving");
        deleteRecursively(servingDir);
        List<ServingLoad.Round> measured = new ArrayList<>();
        try (ServingLoad serving = ServingLoad.start(servingDir)) {
            log(String.format(Locale.ROOT, "  warm-up %.0f s each", warmup));
            for (ServingLoad.Variant v : ServingLoad.Variant.values()) check(serving.drive(v, clients, warmup));
            for (int r = 0; r < rounds; r++) {
                // In turn, the order reversed every other round: no variant always runs first or last.
                List<ServingLoad.Variant> order = new ArrayList<>(List.of(ServingLoad.Variant.values()));
                if (r % 2 == 1) java.util.Collections.reverse(order);
                for (ServingLoad.Variant v : order) {
                    ServingLoad.Round round = check(serving.drive(v, clients, seconds));
                    log(String.format(Locale.ROOT, "  round %d %s: %,.0f req/s (load average %s)", r + 1, round.variant(), round.rate(),
                            loadAverage()));
                    measured.add(round);
                }
            }
            out.append(String.format(Locale.ROOT, "### 5. Serving with the prediction log and monitoring off and on%n%n"
                    + "Model `%s` (cairn-train, XGBoost 50 trees of depth 4 on 20,000 rows of the 20 inputs, %.1f s); one lean serving stack "
                    + "per variant in this JVM; %d closed-loop clients (java.net.http, HTTP/1.1 keep-alive, same JVM) posting single-row "
                    + "`/api/v1/deployments/%s/predict`; %.0f s warm-up per variant, then %d rounds of %.0f s per variant, in turn (the order "
                    + "reversed every other round). CPU is the whole process's (clients included) per 1,000 answered requests.%n%n",
                    serving.modelUri(), serving.trainSeconds(), clients, ServingLoad.DEPLOYMENT, warmup, rounds, seconds));
            out.append("| variant | req/s per round | median req/s | median p50 ms | median p99 ms | CPU s per 1,000 req | of which the log writer | "
                    + "requests failed on the connection |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
            java.util.Map<ServingLoad.Variant, Double> rate = new java.util.EnumMap<>(ServingLoad.Variant.class);
            for (ServingLoad.Variant v : ServingLoad.Variant.values()) rate.put(v, variantRow(out, measured, v));
            double a = rate.get(ServingLoad.Variant.A);
            double loss = 1 - rate.get(ServingLoad.Variant.S) / a;
            out.append(String.format(Locale.ROOT, "%nLoss with the log and monitoring on as the server runs them (S vs A): **%.1f%%** "
                            + "(target ≤ 10%%: %s). The log alone (L vs A): %.1f%%. The stress, a refresh every second (B vs A): %.1f%%.%n%n",
                    100 * loss, loss <= 0.10 ? "met" : "NOT met", 100 * (1 - rate.get(ServingLoad.Variant.L) / a),
                    100 * (1 - rate.get(ServingLoad.Variant.B) / a)));
            for (ServingLoad.Variant v : List.of(ServingLoad.Variant.L, ServingLoad.Variant.S, ServingLoad.Variant.B)) {
                ServingStack stack = serving.stack(v);
                MonitorLoop.Stats loop = stack.loop() == null ? null : stack.loop().stats();
                long[] counts = stack.logCounts();
                out.append(String.format(Locale.ROOT, "- %s: the log wrote %,d records, dropped %,d", v, counts[0], counts[1]));
                if (loop != null) {
                    out.append(String.format(Locale.ROOT, "; the windows hold %,d rows; %,d refreshes (%d failed): the first (model and reference "
                                    + "loaded) %.0f ms, the others median %.0f ms, max %.0f ms", counts[2], loop.refreshes(), loop.failures(),
                            loop.firstMillis(), loop.medianMillis(), loop.maxMillis()));
                    if (!Double.isNaN(loop.medianFlushMillis())) {
                        out.append(String.format(Locale.ROOT, ", of which `PredictionLog.flush` median %.0f ms, max %.0f ms",
                                loop.medianFlushMillis(), loop.maxFlushMillis()));
                    }
                    if (loop.firstFailure() != null) out.append("; first failure: ").append(loop.firstFailure());
                }
                out.append(".\n");
            }
            for (ServingLoad.Variant v : List.of(ServingLoad.Variant.S, ServingLoad.Variant.B)) {
                MonitorLoop loop = serving.stack(v).loop();
                out.append(String.format(Locale.ROOT, "%nWhere %s's monitoring loop spent its %.1f busy seconds (its thread, sampled every %d ms):%n%n"
                        + "| innermost Cairn call site → what runs there | share | seconds |%n|---|---:|---:|%n", v, loop.busySeconds(),
                        StackSampler.INTERVAL_MS));
                loop.profile(8).forEach(l -> out.append(l).append('\n'));
            }
            ServingStack logged = serving.stack(ServingLoad.Variant.L);
            out.append(String.format(Locale.ROOT, "%nWhere L's prediction-log writer thread spent its %.1f busy seconds:%n%n"
                    + "| innermost Cairn call site → what runs there | share | seconds |%n|---|---:|---:|%n", logged.writerBusySeconds()));
            logged.writerProfile(8).forEach(l -> out.append(l).append('\n'));
        }
    }

    private static double variantRow(StringBuilder out, List<ServingLoad.Round> rounds, ServingLoad.Variant variant) {
        List<ServingLoad.Round> mine = rounds.stream().filter(r -> r.variant() == variant).toList();
        String label = variant.name() + ": " + variant.description;
        double rate = median(mine.stream().mapToDouble(ServingLoad.Round::rate).toArray());
        out.append(String.format(Locale.ROOT, "| %s | %s | **%,.0f** | %.2f | %.2f | %.2f | %.2f | %d%s |%n", label,
                mine.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r.rate())).collect(Collectors.joining(", ")), rate,
                median(mine.stream().mapToDouble(ServingLoad.Round::p50).toArray()),
                median(mine.stream().mapToDouble(ServingLoad.Round::p99).toArray()),
                median(mine.stream().mapToDouble(r -> 1000 * r.processCpuSeconds() / Math.max(1, r.requests())).toArray()),
                median(mine.stream().mapToDouble(r -> 1000 * r.writerCpuSeconds() / Math.max(1, r.requests())).toArray()),
                mine.stream().mapToLong(ServingLoad.Round::connectionFailures).sum(),
                mine.stream().map(ServingLoad.Round::firstError).filter(java.util.Objects::nonNull).findFirst().map(e -> " (" + e + ")").orElse("")));
        return rate;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static ServingLoad.Round check(ServingLoad.Round round) {
        if (round.errors() > 0) {
            throw new IllegalStateException("Variant " + round.variant() + " answered " + round.errors() + " requests with an error; first: "
                    + round.firstError());
        }
        return round;
    }

    /** Cairn's window profile beside the hand-written query's figures for a few inputs: they must tell the same. */
    private static String agreement(WindowState window, LimitQuery.Result limit) {
        StringBuilder sb = new StringBuilder("Same statistics, both ways (Cairn's window profile / the hand-written query):\n\n"
                + "| input | count | missing | mean | std dev | median | p99 | distinct | most frequent (count) |\n|---|---|---|---|---|---|---|---|---|\n");
        for (LimitQuery.Numeric n : limit.numeric()) {
            if (!List.of("num0", "num3", "num10", LimitQuery.SCORE, LimitQuery.LATENCY).contains(n.name())) continue;
            ColumnProfile c = window.profile().column(n.name()).orElseThrow();
            var s = c.numeric();
            sb.append(String.format(Locale.ROOT, "| %s | %,d / %,d | %,d / %,d | %.3f / %.3f | %.3f / %.3f | %.2f / %.2f | %.2f / %.2f | %,d / %,d | |%n",
                    n.name(), c.count(), n.count(), c.missing(), n.missing(), s.mean(), n.mean(), s.stdDev(), n.stdDev(),
                    s.quantiles().get("0.5"), n.quantiles()[5], s.quantiles().get("0.99"), n.quantiles()[9], s.distinct(), n.distinct()));
        }
        for (LimitQuery.Categorical k : limit.categorical()) {
            if (!List.of("cat0", "cat5", LimitQuery.LABEL).contains(k.name())) continue;
            ColumnProfile c = window.profile().column(k.name()).orElseThrow();
            ValueCount top = c.strings().topValues().getFirst();
            sb.append(String.format(Locale.ROOT, "| %s | %,d / %,d | %,d / %,d | | | | | %,d / %,d | %s (%,d) / %s (%,d) |%n", k.name(), c.count(),
                    k.count(), c.missing(), k.missing(), c.strings().distinct(), k.distinct(), top.value(), top.count(),
                    k.top().getFirst().getKey(), k.top().getFirst().getValue()));
        }
        sb.append("\nThe inputs' quality checks, both ways (values out of range for numbers, outside the domain for categories; "
                + "Cairn's window / the hand-written query): ");
        List<String> checks = new ArrayList<>();
        limit.outside().forEach((name, n) -> {
            var q = window.quality().get(name);
            checks.add(String.format(Locale.ROOT, "%s %,d / %,d", name, q.outOfRange() + q.unseen(), n));
        });
        sb.append(String.join(", ", checks)).append(".\n");
        return sb.toString();
    }

    private static long readAll(List<Path> files) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT sum(length(inputs) + length(outputs) + length(request_id)) FROM read_parquet("
                     + files.stream().map(p -> Sql.literal(p.toString())).collect(Collectors.joining(", ", "[", "]")) + ")")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** A run stopped in part 4 leaves its extra segment behind: it is not part of the log. */
    private static void removeExtraSegments(Path logRoot) throws IOException {
        for (Path p : PredictionLogLayout.files(logRoot, PredictionLogLayout.PREDICTIONS)) {
            if (p.getFileName().toString().contains("-extra-")) Files.delete(p);
        }
    }

    private static String row(String what, double seconds, long rows, double vs) {
        return String.format(Locale.ROOT, "| %s | %.2f | %,.0f | %s |%n", what, seconds, rows / seconds,
                Double.isNaN(vs) ? "" : String.format(Locale.ROOT, "%.2f×", vs));
    }

    private record Timed<T>(T value, double seconds) {}

    /** One run of a hand-written query, its time added to {@code seconds}; the first run's result is kept. */
    private static Timed<LimitQuery.Result> limitRound(List<Path> segments, LimitQuery.Flatten flatten, List<Double> seconds,
                                                       Timed<LimitQuery.Result> first) throws Exception {
        log("DuckDB: hand-written statistics, " + (flatten == LimitQuery.Flatten.CHECKED ? "with the quality checks and the predictions" : "typed parse"));
        Timed<LimitQuery.Result> t = time(() -> LimitQuery.run(segments, flatten));
        seconds.add(t.seconds);
        log(String.format(Locale.ROOT, "  %.2f s", t.seconds));
        return first != null ? first : t;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** "2 rounds: 36.17, 33.62 s". */
    private static String rounds(List<Double> seconds) {
        return seconds.size() + (seconds.size() == 1 ? " round: " : " rounds: ")
                + seconds.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).collect(Collectors.joining(", ")) + " s";
    }

    private static <T> Timed<T> time(Callable<T> work) throws Exception {
        long t0 = System.nanoTime();
        T value = work.call();
        return new Timed<>(value, (System.nanoTime() - t0) / 1e9);
    }

    private static String duckdbVersion() {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT version()")) {
            r.next();
            return r.getString(1);
        } catch (Exception e) {
            return "?";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + "/" + parts[1] + "/" + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static void log(String message) {
        System.err.println("[bench] " + message);
    }
}
