package dev.cairn.bench.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.data.DataValidation;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.schema.DataSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Times, in one run on one file: Cairn's full profile and a 20-check validation, DuckDB's SUMMARIZE
 * and pandas' describe() + value_counts() + isna().sum(). Prints a Markdown table for
 * docs/benchmarks.md. Arguments: rows, work directory, checks YAML, pandas script.
 */
public final class DataBenchmark {
    private static final int REPEATS = 2;

    private DataBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(args[0]);
        Path work = Path.of(args[1]);
        Path checks = Path.of(args[2]);
        Path pandasScript = Path.of(args[3]);
        Files.createDirectories(work);
        Path parquet = work.resolve("synthetic-" + rows + ".parquet");
        Path csv = work.resolve("synthetic-" + rows + ".csv");
        Path warmup = work.resolve("warmup.parquet");
        if (!Files.exists(parquet)) {
            log("generating " + parquet);
            generate(parquet, rows);
        }
        if (!Files.exists(warmup)) generate(warmup, 200_000);
        boolean pandas = Files.exists(Path.of("/usr/bin/python3")) && python("import pandas") == 0;
        if (pandas && !Files.exists(csv)) {
            log("writing the CSV copy for pandas " + csv);
            duckdb("COPY (SELECT * FROM read_parquet('" + parquet + "')) TO '" + csv + "' (HEADER, DELIMITER ',')");
        }

        DataValidation data = new DataValidation();
        DataSpec spec = data.readSpec(checks);
        log("warming up");
        data.profile(DataValidation.file(warmup));
        data.validate(DataValidation.file(warmup), spec, null, MetricsHistory.NONE);

        log("Cairn profile");
        Timed<DatasetProfile> profile = best(() -> data.profile(DataValidation.file(parquet)));
        log("Cairn validate");
        Timed<ValidationResult> validation = best(() -> data.validate(DataValidation.file(parquet), spec, null, MetricsHistory.NONE));
        log("DuckDB SUMMARIZE");
        Timed<Integer> summarize = best(() -> summarize(parquet));
        double pandasLoad = Double.NaN;
        double pandasProfile = Double.NaN;
        String pandasVersion = "not installed";
        if (pandas) {
            log("pandas");
            JsonNode p = pandas(pandasScript, csv);
            pandasLoad = p.get("load_seconds").asDouble();
            pandasProfile = p.get("profile_seconds").asDouble();
            pandasVersion = p.get("pandas").asText();
        }

        long size = Files.size(parquet);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Data: %,d rows x 20 columns (id, 9 doubles, 5 integers, 5 categories; 1-3%% missing), Parquet %.0f MB.%n",
                rows, size / 1e6));
        md.append(String.format(Locale.ROOT, "JVM heap limit: %d MB (the data is %.1f GB as doubles). Machine: %d cores. Best of %d runs for Cairn and DuckDB.%n%n",
                Runtime.getRuntime().maxMemory() >> 20, rows * 20 * 8 / 1e9, Runtime.getRuntime().availableProcessors(), REPEATS));
        md.append("| operation | seconds | rows/s | Cairn's speed-up |\n|---|---:|---:|---:|\n");
        md.append(row("Cairn profile (full: moments, KLL quantiles, histograms, HLL, frequent items)", profile.seconds, rows, 1));
        md.append(row("Cairn validation (20 checks, one aggregation scan + samples)", validation.seconds, rows, Double.NaN));
        md.append(row("DuckDB " + duckdbVersion() + " SUMMARIZE", summarize.seconds, rows, summarize.seconds / profile.seconds));
        if (pandas) {
            md.append(row("pandas " + pandasVersion + " describe() + value_counts() + isna().sum() (load excluded)", pandasProfile, rows,
                    pandasProfile / profile.seconds));
            md.append(row("pandas " + pandasVersion + " read_csv (the load, for reference)", pandasLoad, rows, Double.NaN));
        } else {
            md.append("| pandas | not measured: /usr/bin/python3 has no pandas (apt-get install -y python3-pandas) | | |\n");
        }
        md.append(String.format(Locale.ROOT, "%nValidation result: %d checks, %d failed (errors %d, warnings %d).%n",
                validation.value.checks(), validation.value.failures().size(), validation.value.failedErrors(), validation.value.failedWarnings()));
        System.out.println(md);
    }

    private static String row(String what, double seconds, long rows, double speedup) {
        return String.format(Locale.ROOT, "| %s | %.2f | %,.0f | %s |%n", what, seconds, rows / seconds,
                Double.isNaN(speedup) ? "" : String.format(Locale.ROOT, "%.2fx", speedup));
    }

    private record Timed<T>(T value, double seconds) {}

    private static <T> Timed<T> best(Supplier<T> work) {
        double best = Double.MAX_VALUE;
        T value = null;
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            value = work.get();
            double s = (System.nanoTime() - t0) / 1e9;
            log(String.format(Locale.ROOT, "  %.2f s", s));
            best = Math.min(best, s);
        }
        return new Timed<>(value, best);
    }

    private static int summarize(Path parquet) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SUMMARIZE SELECT * FROM read_parquet('" + parquet + "')")) {
            int n = 0;
            while (r.next()) n++;
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String duckdbVersion() {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT version()")) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            return "";
        }
    }

    static void generate(Path file, long rows) throws SQLException {
        StringBuilder q = new StringBuilder("COPY (SELECT i AS id, ");
        for (int i = 0; i < 9; i++) {
            q.append("CASE WHEN random() < 0.02 THEN NULL ELSE random() * ").append((i + 1) * 100).append(" END AS num").append(i).append(", ");
        }
        for (int i = 0; i < 5; i++) {
            q.append("CASE WHEN random() < 0.01 THEN NULL ELSE (random() * ").append(10 + i * 50).append(")::BIGINT END AS int").append(i).append(", ");
        }
        for (int i = 0; i < 5; i++) {
            q.append("CASE WHEN random() < 0.03 THEN NULL ELSE 'c' || ((random() * ").append(5 + i * 10).append(")::INT)::VARCHAR END AS cat")
                    .append(i).append(i < 4 ? ", " : " ");
        }
        q.append("FROM range(").append(rows).append(") t(i)) TO '").append(file).append("' (FORMAT parquet)");
        duckdb(q.toString());
    }

    private static void duckdb(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int python(String code) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", code).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private static JsonNode pandas(Path script, Path csv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), csv.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("pandas failed: " + out);
        return new ObjectMapper().readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    }

    private static void log(String message) {
        System.err.println("[bench] " + message);
    }
}
