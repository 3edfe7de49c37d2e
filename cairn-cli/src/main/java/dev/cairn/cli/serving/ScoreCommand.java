package dev.cairn.cli.serving;

import dev.cairn.cli.StoreOptions;
import dev.cairn.cli.data.EngineOptions;
import dev.cairn.cli.data.SparkData;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.server.serving.BatchScorer;
import dev.cairn.server.serving.ServingLauncher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn score --model models:/credit-risk@champion --input credit-g.csv --output jdbc:sqlite:scores.db
 * --table customer_scores --id customer_id}: scores every row into id, label, probability,
 * model_version and scored_at, with a progress bar. The output is replaced whole or not at all, so a
 * failed run is simply run again.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Batch-score a CSV/Parquet file or a JDBC table into a file or a JDBC table (written whole or not at all).")
public final class ScoreCommand implements Callable<Integer> {

    @Mixin StoreOptions store;

    @Option(names = "--model", required = true, paramLabel = "URI", description = "models:/name@alias, models:/name/version, runs:/<run-id>/model, or a model package directory or zip.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE|JDBC-URL", description = "A .csv/.parquet file or jdbc: URL.")
    String input;

    @Option(names = "--input-table", paramLabel = "TABLE", description = "Table to read when --input is a jdbc: URL.")
    String inputTable;

    @Option(names = "--output", required = true, paramLabel = "FILE|JDBC-URL", description = "A .csv/.parquet file or jdbc: URL.")
    String output;

    @Option(names = {"--table", "--output-table"}, defaultValue = "scores", paramLabel = "TABLE",
            description = "Table to write when --output is a jdbc: URL (default: ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--id", paramLabel = "COLUMN", description = "Input column copied as the row id (default: row numbers).")
    String id;

    @Option(names = "--batch-rows", defaultValue = "10000", description = "Rows per prediction batch (default: ${DEFAULT-VALUE}).")
    int batchRows;

    @Option(names = "--log-dir", paramLabel = "DIR",
            description = "Also log every scored row to this prediction log (e.g. the server's serving/predictions), so `cairn monitor` watches the batch.")
    Path logDir;

    @Option(names = "--deployment", paramLabel = "NAME", description = "The deployment the logged rows belong to (default: the model's name).")
    String deployment;

    @Option(names = "--prediction-time", paramLabel = "TIME",
            description = "When the batch is for (ISO-8601 instant or date; default: now): the window monitoring puts it in.")
    String predictionTime;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if (engine.sparkAsked()) refuseWhatSparkCannotDo();
        if (engine.spark()) return onSpark();
        BatchScorer.Options options = new BatchScorer.Options(input, inputTable, output, table, id, batchRows);
        BatchScorer.LogTarget log = null;
        if (logDir != null) {
            String name = deployment != null ? deployment : switch (ModelReference.parse(model)) {
                case ModelReference.ByVersion v -> v.name();
                case ModelReference.ByAlias a -> a.name();
                default -> null;
            };
            log = new BatchScorer.LogTarget(logDir, name, time(predictionTime));
        } else if (deployment != null || predictionTime != null) {
            throw CairnException.invalid("--log-dir", null, "a prediction log directory when --deployment or --prediction-time is given");
        }
        BatchScorer.Result result = ServingLauncher.score(model, store.storeUri(), store.artifactRoot(), options,
                (done, total) -> err.print("\r" + bar(done, total)), log);
        err.println();
        System.out.printf(Locale.ROOT, "Scored %d rows with %s version %s into %s in %.1f s%n", result.rows(), result.modelName(),
                result.modelVersion(), result.output(), result.millis() / 1000.0);
        if (result.probabilityOf() != null) {
            System.out.println("probability is the probability of " + (result.probabilityOf().startsWith("the ")
                    ? result.probabilityOf() : "'" + result.probabilityOf() + "'"));
        }
        return 0;
    }

    /** What only the DuckDB path does, refused with {@code --engine spark} as a pipeline's score step on Spark refuses it. */
    private void refuseWhatSparkCannotDo() {
        if (logDir != null || deployment != null || predictionTime != null || inputTable != null) {
            throw CairnException.invalid("--engine", "spark", "no --log-dir, --deployment, --prediction-time or --input-table (DuckDB only)");
        }
        // As a pipeline's score step on Spark: Spark writes a Parquet directory, so a CSV file or a JDBC table is refused.
        if (output == null || output.startsWith("jdbc:") || !output.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            throw CairnException.invalid("--output", output, "a .parquet output with --engine spark (Spark writes a Parquet "
                    + "directory; CSV files and JDBC tables are DuckDB's only)");
        }
    }

    /**
     * On Spark into a Parquet directory, written whole or not at all. A {@code models:/} or {@code runs:/} URI is resolved
     * to a local package as the DuckDB path resolves it ({@link ServingLauncher#localPackage}); that package is shipped to
     * the executors.
     */
    private int onSpark() {
        long started = System.currentTimeMillis();
        ServingLauncher.LocalPackage pkg = ServingLauncher.localPackage(model, store.storeUri(), store.artifactRoot());
        boolean registered = !(ModelReference.parse(model) instanceof ModelReference.Location);
        long rows = SparkData.score(engine, input, pkg.path(), registered ? pkg.version() : null, id, batchRows, output);
        System.out.printf(Locale.ROOT, "Scored %d rows on Spark%s into %s in %.1f s%n", rows,
                registered ? " with " + pkg.name() + " version " + pkg.version() : "", output, (System.currentTimeMillis() - started) / 1000.0);
        return 0;
    }

    private static Instant time(String text) {
        if (text == null) return null;
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw CairnException.invalid("--prediction-time", text, "a date (2026-11-03) or an ISO-8601 instant (2026-11-03T02:00:00Z)");
        }
    }

    static String bar(long done, long total) {
        int width = 30;
        double share = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(share * width);
        return String.format(Locale.ROOT, "[%s%s] %3d%% %d/%d rows", "#".repeat(filled), " ".repeat(width - filled),
                Math.round(share * 100), done, total);
    }
}
