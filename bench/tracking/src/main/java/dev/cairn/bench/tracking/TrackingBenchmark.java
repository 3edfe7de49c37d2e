package dev.cairn.bench.tracking;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tracking benchmark: for each backend, logBatch throughput and metric-filtered search
 * latency, each beside its raw-JDBC baseline, printed as a Markdown table.
 *
 * <pre>
 * options (defaults in brackets):
 *   --backends sqlite,postgresql   --runs 100000   --batches 200   --warmup-batches 50
 *   --queries 50   --warmup-queries 10
 * </pre>
 */
public final class TrackingBenchmark {

    private TrackingBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        List<String> backends = List.of(options.getOrDefault("backends", "sqlite,postgresql").split(","));
        int runs = Integer.parseInt(options.getOrDefault("runs", "100000"));
        int batches = Integer.parseInt(options.getOrDefault("batches", "200"));
        int warmupBatches = Integer.parseInt(options.getOrDefault("warmup-batches", "50"));
        int queries = Integer.parseInt(options.getOrDefault("queries", "50"));
        int warmupQueries = Integer.parseInt(options.getOrDefault("warmup-queries", "10"));

        System.out.printf(Locale.ROOT, "Cairn tracking benchmark, %s%n", Instant.now());
        System.out.printf(Locale.ROOT, "JDK %s (%s), %s %s, %d processors, max heap %d MiB, commit %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), System.getProperty("cairn.bench.commit", "unknown"));
        System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());
        System.out.printf(Locale.ROOT, "logBatch: %d measured batches of %d metrics in 5 alternating rounds, median round (after %d warm-up batches);"
                        + " search: %,d runs, filter \"%s\", max_results %d, %d measured queries (after %d warm-up)%n%n",
                batches, ThroughputBenchmark.BATCH_SIZE, warmupBatches, runs, SearchBenchmark.FILTER,
                SearchBenchmark.MAX_RESULTS, queries, warmupQueries);

        List<String[]> rows = new ArrayList<>();
        Map<String, ThroughputBenchmark.Result> throughputs = new LinkedHashMap<>();
        Map<String, String> plans = new LinkedHashMap<>();
        Path work = Files.createTempDirectory("cairn-bench-tracking-");
        try {
            for (String name : backends) {
                try (Backend backend = open(name.strip(), work)) {
                    System.out.printf(Locale.ROOT, "[%s] %s%n", backend.name(), backend.settings());
                    try (MetadataStore store = Stores.openMetadata(backend.storeUri(), work.resolve("artifacts-" + backend.name()).toUri().toString())) {
                        var throughput = ThroughputBenchmark.run(backend, store, warmupBatches, batches);
                        System.out.printf(Locale.ROOT, "[%s] logBatch done: %,.0f points/s (baseline %,.0f)%n",
                                backend.name(), throughput.cairnPointsPerSecond(), throughput.baselinePointsPerSecond());
                        var search = SearchBenchmark.run(backend, store, runs, warmupQueries, queries);
                        System.out.printf(Locale.ROOT, "[%s] search done: %,d runs loaded in %.1f s, %,d match the filter%n",
                                backend.name(), search.runs(), search.loadSeconds(), search.matching());
                        rows.addAll(rows(backend.name(), throughput, search));
                        throughputs.put(backend.name(), throughput);
                        plans.put(backend.name(), search.plan());
                    }
                }
            }
        } finally {
            deleteTree(work);
        }
        System.out.printf(Locale.ROOT, "%nload average at end: %s%n%n", loadAverage());
        printTable(rows);
        printBreakdown(throughputs);
        System.out.println();
        System.out.println("How each database runs the filter (hand-written EXISTS, the same SQL as Cairn's):");
        plans.forEach((backend, plan) -> System.out.printf(Locale.ROOT, "%n[%s]%n%s", backend, plan));
    }

    /** Other work on the machine skews timings: the report says how busy it was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException | RuntimeException e) {
            return "unavailable";
        }
    }

    private static Backend open(String name, Path work) throws IOException {
        return switch (name) {
            case "sqlite" -> new Backend.Sqlite(work.resolve("cairn.db"));
            case "postgresql" -> new Backend.Postgres(work.resolve("pgdata"));
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; expected sqlite or postgresql");
        };
    }

    private static List<String[]> rows(String backend, ThroughputBenchmark.Result t, SearchBenchmark.Result s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {backend, "logBatch, metric points/s (higher is better)",
                format("%,.0f", t.cairnPointsPerSecond()), format("%,.0f", t.baselinePointsPerSecond()),
                format("%.0f%%", 100 * t.cairnPointsPerSecond() / t.baselinePointsPerSecond()),
                "raw JDBC batch insert, plain table, 1 commit / 1000"});
        String fetch = "hand-written SQL (EXISTS) + fetch of metrics, params, tags";
        rows.add(new String[] {backend, format("searchRuns over %,d runs, median ms", s.runs()),
                format("%.1f", s.cairn().median()), format("%.1f", s.handWrittenFull().median()),
                format("%.2fx", s.cairn().median() / s.handWrittenFull().median()), fetch});
        rows.add(new String[] {backend, format("searchRuns over %,d runs, p95 ms", s.runs()),
                format("%.1f", s.cairn().p95()), format("%.1f", s.handWrittenFull().p95()),
                format("%.2fx", s.cairn().p95() / s.handWrittenFull().p95()), fetch});
        rows.add(new String[] {backend, "  filter query alone, median / p95 ms", "",
                format("%.1f / %.1f", s.handWrittenRowsOnly().median(), s.handWrittenRowsOnly().p95()), "",
                "hand-written SQL (EXISTS), run rows only"});
        rows.add(new String[] {backend, "  filter as a JOIN, median / p95 ms", "",
                format("%.1f / %.1f", s.handWrittenJoin().median(), s.handWrittenJoin().p95()), "",
                format("hand-written SQL (JOIN), run rows only, %d queries", s.handWrittenJoin().samples())});
        return rows;
    }

    private static void printBreakdown(Map<String, ThroughputBenchmark.Result> results) {
        System.out.println();
        System.out.println("Where logBatch's time goes: the same batches through raw JDBC, one cost added at a time, all steps taking turns batch by batch");
        System.out.println();
        List<String[]> rows = new ArrayList<>();
        for (var entry : results.entrySet()) {
            double ceiling = entry.getValue().breakdown().values().iterator().next(); // the plain table, taking turns too
            entry.getValue().breakdown().forEach((step, rate) -> rows.add(new String[] {entry.getKey(), step,
                    format("%,.0f", rate), format("%.2f", 1000.0 * ThroughputBenchmark.BATCH_SIZE / rate),
                    format("%.0f%%", 100 * rate / ceiling)}));
        }
        printTable(new String[] {"backend", "insert into", "points/s", "ms per 1000", "of ceiling"}, rows, 2, 4);
    }

    private static void printTable(List<String[]> rows) {
        printTable(new String[] {"backend", "measure", "Cairn", "baseline", "Cairn vs baseline", "baseline is"}, rows, 2, 4);
    }

    /** A Markdown table; columns {@code firstNumeric..lastNumeric} are right-aligned. */
    private static void printTable(String[] header, List<String[]> rows, int firstNumeric, int lastNumeric) {
        int[] widths = new int[header.length];
        for (String[] row : Stream.concat(Stream.<String[]>of(header), rows.stream()).toList()) {
            for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
        }
        printRow(header, widths, firstNumeric, lastNumeric);
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < widths.length; i++) rule.append(i >= firstNumeric && i <= lastNumeric ? "-".repeat(widths[i] + 1) + ":|" : "-".repeat(widths[i] + 2) + "|");
        System.out.println(rule);
        for (String[] row : rows) printRow(row, widths, firstNumeric, lastNumeric);
    }

    private static void printRow(String[] row, int[] widths, int firstNumeric, int lastNumeric) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < row.length; i++) {
            String cell = i >= firstNumeric && i <= lastNumeric ? " ".repeat(widths[i] - row[i].length()) + row[i] : row[i] + " ".repeat(widths[i] - row[i].length());
            line.append(' ').append(cell).append(" |");
        }
        System.out.println(line);
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        }
    }
}
