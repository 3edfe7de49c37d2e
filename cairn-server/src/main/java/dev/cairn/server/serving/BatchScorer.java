package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.Field;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.runtime.FieldError;
import dev.cairn.runtime.InvalidInputException;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.OutputSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Scores a whole table with one model version: reads a CSV or Parquet file (through DuckDB) or a
 * JDBC table, predicts in column batches, and writes {@code id, label, probability, model_version,
 * scored_at} to a CSV/Parquet file or a JDBC table. The output appears whole or not at all: a file is
 * written under a temporary name and renamed; a table is created as a staging table, filled and
 * swapped in within one transaction, so a failed, interrupted or killed run leaves the previous
 * output as it was (and, the transaction never committed, no staging table either) and can simply be
 * run again. {@code probability} is the probability of the positive class (the second
 * class of a binary model), or of the predicted class for multiclass models.
 */
public final class BatchScorer {

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern QUERY = Pattern.compile("(?is)\\s*(select|with)\\s.*");

    /**
     * @param input       a .csv or .parquet file, or a JDBC URL ({@code jdbc:sqlite:/path.db})
     * @param inputTable  the table (or a SELECT query) to read when {@code input} is a JDBC URL
     * @param output      a .csv or .parquet file, or a JDBC URL
     * @param outputTable the table to write when {@code output} is a JDBC URL
     * @param idColumn    the input column copied to the output as the row's id; null numbers the rows
     * @param batchRows   rows per prediction call
     */
    public record Options(String input, String inputTable, String output, String outputTable, String idColumn, int batchRows) {
        public Options {
            if (input == null || input.isBlank()) throw CairnException.invalid("input", input, "a .csv or .parquet file or a jdbc: URL");
            if (output == null || output.isBlank()) throw CairnException.invalid("output", output, "a .csv or .parquet file or a jdbc: URL");
            if (input.startsWith("jdbc:") && (inputTable == null || !(isTableName(inputTable) || QUERY.matcher(inputTable).matches()))) {
                throw CairnException.invalid("input_table", inputTable, "a table name (letters, digits, '_') or a SELECT query to read from " + input);
            }
            if (output.startsWith("jdbc:") && !isTableName(outputTable)) {
                throw CairnException.invalid("output_table", outputTable, "a table name (letters, digits, '_') to write into " + output);
            }
            if (batchRows < 1) throw CairnException.invalid("batch_rows", batchRows, "a positive number of rows");
        }
    }

    /** Whether {@code name} is a table name scoring reads and writes: letters, digits and '_', at most 63. */
    public static boolean isTableName(String name) {
        return name != null && TABLE.matcher(name).matches();
    }

    /** Progress: rows scored so far out of the total. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    /**
     * Where scored rows are also logged, for monitoring: the prediction log under {@code logDir} (the layout
     * servers write), as deployment {@code deployment}, at {@code predictionTime} (the night the batch is for;
     * null: now). Rows appear in the log only once the output is committed: segments are written to a
     * staging directory beside the log and moved in after the commit, so a failed run logs nothing.
     */
    public record LogTarget(Path logDir, String deployment, Instant predictionTime) {
        public LogTarget {
            if (logDir == null) throw CairnException.invalid("log_dir", null, "the prediction log directory");
            if (deployment == null || !deployment.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}")) {
                throw CairnException.invalid("deployment", deployment, "a deployment name of letters, digits, '_', '.' and '-'");
            }
        }
    }

    /** {@code probabilityOf}: the class the output's {@code probability} column is the probability of (null for regression). */
    public record Result(long rows, String modelName, String modelVersion, String output, long millis, String probabilityOf) {}

    private record Scored(Object id, String label, Double probability) {}

    private BatchScorer() {}

    public static Result score(ServedModel model, Options options, Progress progress) {
        return score(model, options, progress, null);
    }

    /** As {@link #score(ServedModel, Options, Progress)}, logging every scored row to {@code logTarget} when given. */
    public static Result score(ServedModel model, Options options, Progress progress, LogTarget logTarget) {
        return score(model, options, progress, logTarget, null);
    }

    /**
     * As above, every row's {@code scored_at} being {@code scoredAt} (null: now): a pipeline's run scores for its
     * logical time, so a simulated night's scores say that night.
     */
    public static Result score(ServedModel model, Options options, Progress progress, LogTarget logTarget, Instant scoredAt) {
        BatchLog log = logTarget == null ? null : new BatchLog(logTarget, model);
        try {
            Result result = scoreInto(model, options, progress, log, (scoredAt == null ? Instant.now() : scoredAt).toString());
            if (log != null) log.publish();
            return result;
        } finally {
            if (log != null) log.discard();
        }
    }

    private static Result scoreInto(ServedModel model, Options options, Progress progress, BatchLog log, String scoredAt) {
        long started = System.currentTimeMillis();
        List<Field> inputs = model.signature().inputs();
        String idName = options.idColumn() == null ? "row_number" : options.idColumn();
        // The one reader every command uses: CSV dialect, types and malformed lines as profile,
        // validate and train see them. Values reach the model as read; its encoder converts them.
        try (LoadedTable table = DataReader.open(source(options))) {
            table.requireWellFormed("input");
            long total;
            try (Statement s = table.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.relation())) {
                rs.next();
                total = rs.getLong(1);
            }
            try (Sink sink = options.output().startsWith("jdbc:")
                    ? new JdbcSink(options.output(), options.outputTable(), idName)
                    : new FileSink(Path.of(options.output()), idName);
                 Statement s = table.connection().createStatement()) {
                s.setFetchSize(options.batchRows());
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table.relation())) {
                    ResultSetMetaData meta = rs.getMetaData();
                    Map<String, Integer> columnIndex = new HashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) columnIndex.put(meta.getColumnLabel(c), c);
                    Integer idIndex = options.idColumn() == null ? null : columnIndex.get(options.idColumn());
                    if (options.idColumn() != null && idIndex == null) {
                        throw CairnException.invalid("id", options.idColumn(), "a column of the input: " + String.join(", ", columnIndex.keySet()));
                    }
                    long done = 0;
                    List<Object> ids = new ArrayList<>(options.batchRows());
                    Map<String, Object[]> columns = new HashMap<>();
                    int n = 0;
                    while (true) {
                        boolean more = rs.next();
                        if (more) {
                            if (n == 0) {
                                ids.clear();
                                for (Field f : inputs) {
                                    if (columnIndex.containsKey(f.name())) columns.put(f.name(), new Object[options.batchRows()]);
                                }
                            }
                            ids.add(idIndex == null ? (Object) (done + n + 1) : rs.getObject(idIndex));
                            for (Map.Entry<String, Object[]> e : columns.entrySet()) {
                                e.getValue()[n] = rs.getObject(columnIndex.get(e.getKey()));
                            }
                            n++;
                        }
                        if (n == options.batchRows() || (!more && n > 0)) {
                            Map<String, Object> batch = new HashMap<>();
                            for (Map.Entry<String, Object[]> e : columns.entrySet()) {
                                batch.put(e.getKey(), n == options.batchRows() ? e.getValue() : java.util.Arrays.copyOf(e.getValue(), n));
                            }
                            long batchStart = System.nanoTime();
                            List<Prediction> predictions = offsetRows(model, batch, done);
                            if (log != null) log.write(ids, batch, predictions, options.idColumn(), (System.nanoTime() - batchStart) / 1000 / Math.max(1, n));
                            List<Scored> scored = new ArrayList<>(n);
                            for (int i = 0; i < n; i++) scored.add(scored(model.signature().output(), ids.get(i), predictions.get(i)));
                            sink.write(scored, model.version(), scoredAt);
                            done += n;
                            n = 0;
                            if (progress != null) progress.update(done, total);
                        }
                        if (!more) break;
                    }
                    sink.commit();
                    return new Result(done, model.name(), model.version(), options.output()
                            + (options.outputTable() != null && options.output().startsWith("jdbc:") ? " table " + options.outputTable() : ""),
                            System.currentTimeMillis() - started, probabilityOf(model.signature().output()));
                }
            }
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Batch scoring failed: " + firstLine(e.getMessage()),
                    Map.of("input", options.input(), "output", options.output()), e);
        }
    }

    /** Predicts one batch; validation errors count rows over the whole input, not the batch. */
    private static List<Prediction> offsetRows(ServedModel model, Map<String, Object> batch, long offset) {
        try {
            return model.model().predictColumns(batch);
        } catch (InvalidInputException e) {
            List<FieldError> shifted = e.errors().stream()
                    .map(f -> new FieldError(f.field(), f.value(), f.expected(), (int) (f.row() + offset))).toList();
            throw new InvalidInputException(shifted);
        }
    }

    /** The class whose probability the {@code probability} column holds, or null for regression. */
    static String probabilityOf(OutputSpec output) {
        if (!output.isClassifier()) return null;
        return output.classes().size() == 2 ? output.classes().get(1) : "the predicted label";
    }

    private static Scored scored(OutputSpec output, Object id, Prediction p) {
        if (!output.isClassifier()) return new Scored(id, null, p.value());
        String positive = output.classes().size() == 2 ? output.classes().get(1) : p.label();
        return new Scored(id, p.label(), p.probabilities() == null ? null : p.probabilities().get(positive));
    }

    private static String firstLine(String message) {
        if (message == null) return "unknown error";
        int nl = message.strip().indexOf('\n');
        return nl < 0 ? message.strip() : message.strip().substring(0, nl);
    }

    private static DataSource source(Options options) {
        if (options.input().startsWith("jdbc:")) return new JdbcSource(options.input(), null, null, options.inputTable());
        Path file = Path.of(options.input());
        String lower = options.input().toLowerCase(Locale.ROOT);
        if (!(lower.endsWith(".parquet") || lower.endsWith(".csv") || lower.endsWith(".csv.gz") || lower.endsWith(".tsv")
                || lower.endsWith(".jsonl") || lower.endsWith(".ndjson"))) {
            throw CairnException.invalid("input", options.input(), "a .csv, .csv.gz, .tsv, .parquet or .jsonl file, or a jdbc: URL");
        }
        if (!Files.isRegularFile(file)) throw CairnException.invalid("input", options.input(), "an existing file");
        return FileSource.of(file);
    }

    /** The scored rows on their way into the prediction log: staged, then published after the output's commit. */
    private static final class BatchLog {
        private final LogTarget target;
        private final ServedModel model;
        private final Path staging;
        private final PredictionLog log;
        private final String batchId = UUID.randomUUID().toString().substring(0, 8);
        private final long time;

        BatchLog(LogTarget target, ServedModel model) {
            this.target = target;
            this.model = model;
            this.staging = target.logDir().resolve(".staging-" + batchId);
            this.time = target.predictionTime() == null ? System.currentTimeMillis() : target.predictionTime().toEpochMilli();
            this.log = new PredictionLog(staging, 65_536, 1.0, 200_000, java.time.Duration.ofHours(1), new ServingMetrics());
        }

        /** One entry per row: its inputs (and id column), its prediction; the request id is the batch's id and the row's. */
        void write(List<Object> ids, Map<String, Object> columns, List<Prediction> predictions, String idColumn, long micros) {
            for (int i = 0; i < predictions.size(); i++) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                if (idColumn != null) row.put(idColumn, ids.get(i));
                for (Map.Entry<String, Object> c : columns.entrySet()) row.put(c.getKey(), ((Object[]) c.getValue())[i]);
                log.put(new PredictionLog.Entry(batchId + ":" + ids.get(i), time, target.deployment(), model.name(), model.version(),
                        false, "batch", List.of(row), List.of(predictions.get(i)), null, null, micros));
            }
        }

        /** Writes the staged segments and moves them into the log, each whole. */
        void publish() {
            log.close();
            try {
                for (String table : List.of("predictions", "feedback")) {
                    Path from = staging.resolve(table);
                    if (!Files.isDirectory(from)) continue;
                    Path to = target.logDir().resolve(table);
                    List<Path> segments;
                    try (var files = Files.list(from)) {
                        segments = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
                    }
                    if (!segments.isEmpty()) Files.createDirectories(to);
                    for (Path f : segments) Files.move(f, to.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (java.io.IOException e) {
                throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not move the batch's predictions into the log "
                        + target.logDir() + ": " + e.getMessage(), e);
            }
        }

        /** Removes the staging directory (after publishing, or instead of it when scoring failed). */
        void discard() {
            log.close();
            // Nothing was published from it; a leftover staging directory is invisible to readers.
            LoadedTable.deleteRecursively(staging);
        }
    }

    private interface Sink extends AutoCloseable {
        void write(List<Scored> rows, String version, String scoredAt) throws SQLException;

        /** Makes the output visible, whole. Without it, close() leaves the previous output untouched. */
        void commit() throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /**
     * A staging table created, filled in batches and swapped for the target table in one transaction: until the
     * commit nothing of it is visible, and a run that fails, is interrupted or is killed (the database rolls back an
     * open transaction whose connection went away) leaves neither rows nor a staging table behind.
     */
    private static final class JdbcSink implements Sink {
        private final Connection connection;
        private final String table;
        private final String staging;
        private boolean committed;

        private final String idName;
        private PreparedStatement insert;

        JdbcSink(String url, String table, String idName) throws SQLException {
            this.connection = DriverManager.getConnection(url);
            this.table = table;
            this.idName = idName;
            this.staging = table + "__staging_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            connection.setAutoCommit(false);
        }

        /** The staging table, its id column typed after the first id (an integer id stays an integer). */
        private void create(Object firstId) throws SQLException {
            String idType = firstId instanceof Long || firstId instanceof Integer || firstId instanceof Short ? "BIGINT" : "TEXT";
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE " + staging + " (" + quote(idName) + " " + idType + ", label TEXT, probability DOUBLE PRECISION, "
                        + "model_version TEXT, scored_at TEXT)");
            }
            this.insert = connection.prepareStatement("INSERT INTO " + staging + " VALUES (?, ?, ?, ?, ?)");
        }

        @Override
        public void write(List<Scored> rows, String version, String scoredAt) throws SQLException {
            if (insert == null) create(rows.isEmpty() ? null : rows.get(0).id());
            for (Scored r : rows) {
                insert.setObject(1, r.id() == null ? null : r.id() instanceof Number ? r.id() : String.valueOf(r.id()));
                insert.setString(2, r.label());
                if (r.probability() == null) insert.setNull(3, java.sql.Types.DOUBLE);
                else insert.setDouble(3, r.probability());
                insert.setString(4, version);
                insert.setString(5, scoredAt);
                insert.addBatch();
            }
            insert.executeBatch();
        }

        @Override
        public void commit() throws SQLException {
            if (insert == null) create(null);
            try (Statement s = connection.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
                s.execute("ALTER TABLE " + staging + " RENAME TO " + table);
            }
            connection.commit();
            committed = true;
        }

        @Override
        public void close() throws SQLException {
            try {
                if (insert != null) insert.close();
                if (!committed) {
                    connection.rollback();
                    try (Statement s = connection.createStatement()) {
                        s.execute("DROP TABLE IF EXISTS " + staging);
                    }
                    connection.commit();
                }
            } finally {
                connection.close();
            }
        }
    }

    /** Rows appended to an in-memory DuckDB table, copied to a temporary file and renamed over the target. */
    private static final class FileSink implements Sink {
        private final Connection duck;
        private final Path target;
        private final DuckDBAppender appender;
        private final String format;

        FileSink(Path target, String idName) throws SQLException {
            String lower = target.getFileName().toString().toLowerCase(Locale.ROOT);
            if (lower.endsWith(".parquet")) format = "parquet";
            else if (lower.endsWith(".csv")) format = "csv";
            else throw CairnException.invalid("output", target, "a .csv or .parquet file, or a jdbc: URL");
            this.target = target.toAbsolutePath();
            this.duck = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = duck.createStatement()) {
                s.execute("CREATE TABLE scores (" + quote(idName) + " VARCHAR, label VARCHAR, probability DOUBLE, model_version VARCHAR, scored_at VARCHAR)");
            }
            this.appender = duck.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "scores");
        }

        @Override
        public void write(List<Scored> rows, String version, String scoredAt) throws SQLException {
            for (Scored r : rows) {
                appender.beginRow().append(r.id() == null ? null : String.valueOf(r.id())).append(r.label());
                if (r.probability() == null) appender.appendNull();
                else appender.append(r.probability().doubleValue());
                appender.append(version).append(scoredAt).endRow();
            }
        }

        @Override
        public void commit() throws SQLException {
            appender.flush();
            Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
            try (Statement s = duck.createStatement()) {
                Files.createDirectories(target.getParent());
                s.execute("COPY scores TO '" + temporary.toString().replace("'", "''") + "' (FORMAT " + format
                        + (format.equals("csv") ? ", HEADER true" : "") + ")");
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.io.IOException e) {
                throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not write " + target + ": " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(temporary);
                } catch (java.io.IOException ignored) {
                    // Only a leftover temporary file; the target is whole either way.
                }
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                appender.close();
            } finally {
                duck.close();
            }
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
