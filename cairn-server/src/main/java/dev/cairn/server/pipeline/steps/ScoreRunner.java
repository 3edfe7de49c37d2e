package dev.cairn.server.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.data.engine.DataEngine;
import dev.cairn.data.engine.Engines;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.steps.StepEngine;
import dev.cairn.server.serving.BatchScorer;
import dev.cairn.server.serving.ModelLoader;
import dev.cairn.server.serving.ServedModel;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code score} step: scores data in batch with a model, as {@code cairn score} does, through the same
 * {@link BatchScorer} and model loader ({@code models:/name@alias}, {@code models:/name/version}, {@code runs:/...} or a
 * package in the workspace). Every row gets {@code <id>, label, probability, model_version, scored_at}, where
 * {@code scored_at} is the run's logical time: a simulated night's scores say that night.
 *
 * <p>The input is a snapshot ({@code ${steps.read.outputs.table}}), a file in the workspace, or a JDBC URL the workspace
 * allows with {@code input_table} or {@code query}. The output is a {@code .csv}/{@code .parquet} file in the workspace
 * or a JDBC URL the workspace allows, into {@code table} (default {@value #DEFAULT_TABLE}). The output appears whole or
 * not at all: a file is renamed into place, a table is created, filled and swapped in within one transaction, so a
 * failed, cancelled or killed step leaves the previous output as it was and the step can simply run again.
 *
 * <p>With {@code deployment}, the scored rows are also written to that deployment's prediction log (the server's,
 * under its serving home), at {@code prediction_time} (default: the run's logical time), for monitoring; they appear
 * there only once the output is committed. The deployment need not serve anything: a batch-only model is monitored
 * under any name.
 *
 * <p>Outputs: {@code rows}, {@code table} (where the scores are: the JDBC URL, its password redacted, then
 * {@code #table}, or the file's URI) and {@code model} (the version that scored, {@code models:/name/version}).
 * Lineage: the data read (snapshot, file or JDBC source) and the model version in, the table or file out.
 */
public final class ScoreRunner implements StepRunner {
    static final String DEFAULT_TABLE = "scores";
    private static final int DEFAULT_BATCH_ROWS = 10_000;
    private static final Pattern QUERY = Pattern.compile("(?is)\\s*(select|with)\\s.*");

    private final ModelLoader models;
    private final Path logDir;
    private final DataEngine.Factory spark;

    /**
     * @param models the server's model loader: scoring uses a loader of its own over the same registry and resolver
     *               ({@link ModelLoader#forBatch})
     * @param logDir the server's prediction log directory ({@code <serving home>/predictions}); null when it keeps
     *               none (then {@code deployment} is refused)
     */
    public ScoreRunner(ModelLoader models, Path logDir) {
        this(models, logDir, null);
    }

    /**
     * @param spark the engine {@code engine: spark} scores on (the CLI's, when Spark's jars are there); null: such a step
     *              is refused, naming the field
     */
    public ScoreRunner(ModelLoader models, Path logDir, DataEngine.Factory spark) {
        this.models = models;
        this.logDir = logDir;
        this.spark = spark;
    }

    @Override
    public StepType type() {
        return StepType.SCORE;
    }

    @Override
    public StepResult run(StepContext context) {
        String modelUri = StepModels.modelUri(context, "model");
        Instant scoredAt = context.run().logicalTime();
        long batchRows = context.integer("batch_rows").orElse((long) DEFAULT_BATCH_ROWS);
        if (batchRows < 1 || batchRows > 1_000_000) {
            throw CairnException.invalid(context.field("batch_rows"), batchRows, "from 1 to 1000000 rows");
        }
        String id = context.optionalText("id").map(String::strip).orElse(null);
        if (id != null && id.isEmpty()) throw CairnException.invalid(context.field("id"), id, "the name of an input column");
        Output output = output(context);
        BatchScorer.LogTarget logTarget = logTarget(context);
        Input input = input(context);
        boolean onSpark = Engines.isSpark(context.field("engine"), context.optionalText("engine").orElse(null));
        if (onSpark) checkSparkScoring(context, input, output, logTarget);

        context.checkCancelled();
        try (ModelLoader loader = models.forBatch()) {
            ModelLoader.Resolved resolved = StepModels.resolve(context, "model", loader, modelUri);
            context.consumed(StepModels.lineageKind(resolved), resolved.key(), null);
            if (onSpark) return scoreOnSpark(context, loader, resolved, input, output, id, (int) batchRows, scoredAt);
            ServedModel model = loader.acquire(resolved);
            context.log("Scoring " + input.describe() + " with " + model + " (" + resolved.key() + ") into " + output.where()
                    + ", scored_at " + scoredAt + (logTarget == null ? "" : ", logged to deployment " + logTarget.deployment()
                    + " at " + logTarget.predictionTime()));
            BatchScorer.Options options = new BatchScorer.Options(input.ref(), input.tableOrQuery(), output.ref(), output.table(), id,
                    (int) batchRows);
            BatchScorer.Result result;
            try {
                result = BatchScorer.score(model, options, new ProgressLog(context), logTarget, scoredAt);
            } catch (CairnException e) {
                throw named(context, e);
            }
            String sha256 = output.file() == null ? null : Sha256.of(output.file(), context.field("output"));
            context.produced(output.kind(), output.where(), sha256);
            context.log(String.format(Locale.ROOT, "Scored %d rows with %s into %s in %.1f s%s", result.rows(), model, output.where(),
                    result.millis() / 1000.0, result.probabilityOf() == null ? ""
                            : "; probability is the probability of " + result.probabilityOf()));
            Map<String, Object> outputs = new LinkedHashMap<>();
            outputs.put("rows", result.rows());
            outputs.put("table", output.where());
            outputs.put("model", resolved.key());
            return StepResult.of(outputs);
        }
    }

    /**
     * {@code engine: spark} reads files and writes a Parquet directory, as {@code cairn score --engine spark} does: a JDBC
     * input or output, a CSV output and a deployment's prediction log are DuckDB's only, refused before anything runs.
     */
    private static void checkSparkScoring(StepContext context, Input input, Output output, BatchScorer.LogTarget logTarget) {
        if (input.tableOrQuery() != null) {
            throw CairnException.invalid(context.field("input"), input.describe(), "a file or a snapshot with engine: spark (JDBC input is DuckDB's only)");
        }
        if (output.file() == null || !output.file().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            throw CairnException.invalid(context.field("output"), context.text("output"), "a .parquet output with engine: spark "
                    + "(Spark writes a Parquet directory; CSV files and JDBC tables are DuckDB's only)");
        }
        if (logTarget != null) {
            throw CairnException.invalid(context.field("deployment"), logTarget.deployment(), "nothing with engine: spark "
                    + "(rows scored on Spark are not written to a prediction log)");
        }
    }

    /** Scores on Spark with the resolved model's package; the output directory's digest is recorded as its SHA-256. */
    private StepResult scoreOnSpark(StepContext context, ModelLoader loader, ModelLoader.Resolved resolved, Input input, Output output,
                                    String id, int batchRows, Instant scoredAt) {
        Path pkg = loader.localPackage(resolved);
        context.log("Scoring " + input.describe() + " with " + resolved.key() + " on Spark into " + output.where() + ", scored_at " + scoredAt);
        long started = System.nanoTime();
        long rows;
        try (DataEngine engine = StepEngine.open(context, spark)) {
            rows = engine.score(input.ref(), pkg, id, batchRows, resolved.name() == null ? null : resolved.version(), scoredAt, output.ref());
        } catch (CairnException e) {
            throw named(context, e);
        }
        context.produced(output.kind(), output.where(), Sha256.ofDirectory(output.file(), context.field("output")));
        context.log(String.format(Locale.ROOT, "Scored %d rows on Spark into %s in %.1f s", rows, output.where(),
                (System.nanoTime() - started) / 1e9));
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("rows", rows);
        outputs.put("table", output.where());
        outputs.put("model", resolved.key());
        return StepResult.of(outputs);
    }

    /** The data to score: a local file (a snapshot's copy, or a file in the workspace) or a JDBC source. */
    private record Input(String ref, String tableOrQuery, String shown) {
        String describe() {
            return shown;
        }
    }

    /** Where the scores go: {@code kind} and {@code where} as lineage records them; {@code file} when it is one. */
    private record Output(String ref, String table, String kind, String where, Path file) {}

    private static Input input(StepContext context) {
        String given = context.text("input").strip();
        if (Workspace.isJdbc(given)) {
            String url = context.workspace().jdbcUrl(context.field("input"), given);
            Optional<String> table = context.optionalText("input_table").map(String::strip);
            Optional<String> query = context.optionalText("query").map(String::strip);
            if (table.isPresent() && query.isPresent()) {
                throw CairnException.invalid(context.field("query"), query.get(), "no query when input_table is given (one or the other)");
            }
            if (table.isEmpty() && query.isEmpty()) {
                throw CairnException.invalid(context.field("input_table"), null, "the table to read from " + Workspace.redact(url)
                        + " (or a query)");
            }
            if (table.isPresent() && !BatchScorer.isTableName(table.get())) {
                throw CairnException.invalid(context.field("input_table"), table.get(), "a table name (letters, digits, '_')");
            }
            if (query.isPresent() && !QUERY.matcher(query.get()).matches()) {
                throw CairnException.invalid(context.field("query"), query.get(), "a SELECT query");
            }
            String read = table.orElseGet(query::get);
            String uri = Workspace.redact(url) + "#" + read;
            context.consumed("source", uri, null);
            return new Input(url, read, uri);
        }
        for (String key : new String[] {"input_table", "query"}) {
            if (context.has(key)) {
                throw CairnException.invalid(context.field(key), context.text(key), "nothing: the input is a file or a snapshot, "
                        + "not a JDBC URL");
            }
        }
        // Records the snapshot or file as the step's input.
        Path file = context.dataFile("input");
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(lower.endsWith(".parquet") || lower.endsWith(".csv") || lower.endsWith(".csv.gz") || lower.endsWith(".tsv")
                || lower.endsWith(".jsonl") || lower.endsWith(".ndjson"))) {
            throw CairnException.invalid(context.field("input"), given, "a .csv, .csv.gz, .tsv, .parquet or .jsonl file, a snapshot or a JDBC URL");
        }
        return new Input(file.toString(), null, given);
    }

    private static Output output(StepContext context) {
        String given = context.text("output").strip();
        if (Workspace.isJdbc(given)) {
            String url = context.workspace().jdbcUrl(context.field("output"), given);
            String table = context.optionalText("table").map(String::strip).orElse(DEFAULT_TABLE);
            if (!BatchScorer.isTableName(table)) {
                throw CairnException.invalid(context.field("table"), table, "a table name (letters, digits, '_', at most 63)");
            }
            return new Output(url, table, "table", Workspace.redact(url) + "#" + table, null);
        }
        if (context.has("table")) {
            throw CairnException.invalid(context.field("table"), context.text("table"), "nothing: the output is a file, not a JDBC URL");
        }
        Path file = context.workspace().file(context.field("output"), given);
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(lower.endsWith(".csv") || lower.endsWith(".parquet"))) {
            throw CairnException.invalid(context.field("output"), given, "a .csv or .parquet file, or a JDBC URL");
        }
        return new Output(file.toString(), null, "file", file.toUri().toString(), file);
    }

    private BatchScorer.LogTarget logTarget(StepContext context) {
        Optional<String> deployment = StepModels.deploymentName(context, "deployment");
        if (deployment.isEmpty()) {
            if (context.has("prediction_time")) {
                throw CairnException.invalid(context.field("prediction_time"), context.text("prediction_time"),
                        "nothing without a deployment whose prediction log the rows go to (set deployment too)");
            }
            return null;
        }
        if (logDir == null) {
            throw CairnException.invalid(context.field("deployment"), deployment.get(),
                    "nothing: this server keeps no prediction log to write the scored rows to");
        }
        Instant time = context.optionalText("prediction_time").map(t -> time(context, t)).orElse(context.run().logicalTime());
        return new BatchScorer.LogTarget(logDir, deployment.get(), time);
    }

    private static Instant time(StepContext context, String text) {
        String t = text.strip();
        try {
            return t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw CairnException.invalid(context.field("prediction_time"), text, "a date (2026-11-03) or an ISO-8601 instant (2026-11-03T02:00:00Z)");
        }
    }

    /** BatchScorer's own bad-input errors name its options (id, batch_rows, ...): name the step's fields instead. */
    private static CairnException named(StepContext context, CairnException e) {
        Object field = e.details().get("field");
        if (!(field instanceof String f) || e.code() != ErrorCode.INVALID_PARAMETER_VALUE) return e;
        String key = switch (f) {
            case "output_table" -> "table";
            case "id", "input", "output", "input_table", "batch_rows" -> f;
            default -> null;
        };
        if (key == null) return e;
        Map<String, Object> details = new LinkedHashMap<>(e.details());
        details.put("field", context.field(key));
        return new CairnException(e.code(), e.getMessage().replace("'" + f + "'", "'" + context.field(key) + "'"), details, e);
    }

    /** Logs progress at every tenth of the rows, and stops the scoring (nothing committed) when the run is cancelled. */
    private static final class ProgressLog implements BatchScorer.Progress {
        private final StepContext context;
        private long nextTenth = 1;

        ProgressLog(StepContext context) {
            this.context = context;
        }

        @Override
        public void update(long done, long total) {
            context.checkCancelled();
            if (total <= 0) return;
            long tenth = done * 10 / total;
            if (tenth >= nextTenth && done < total) {
                context.log(String.format(Locale.ROOT, "%d of %d rows scored (%d%%)", done, total, done * 100 / total));
                nextTenth = tenth + 1;
            }
        }
    }
}
