package dev.cairn.monitor.window;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.Sql;
import dev.cairn.monitor.log.PredictionLogLayout;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The ground truth monitoring joins to predictions: feedback posted to the server by request id (in the
 * prediction log's {@code feedback/} segments), and label tables imported later — a file or a JDBC query
 * with an id column — as a nightly job's labels arrive. An imported table is copied (id, label, time)
 * into Parquet under the deployment's monitoring state, with the input field its ids match
 * ({@code request_id}, or a logged input such as {@code customer_id}). When one row has several labels
 * the latest wins.
 */
public final class Labels {
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\- ]{0,127}");

    private final Path logRoot;
    private final Path stateRoot;

    public Labels(Path logRoot, Path stateRoot) {
        this.logRoot = logRoot;
        this.stateRoot = stateRoot;
    }

    /** What an import stored. */
    public record Imported(Path file, long labels, String joinOn) {}

    /**
     * Imports {@code source}'s labels for {@code deployment}: {@code idColumn} holds the value of the logged
     * input {@code joinOn} (or the request id when joinOn is {@code request_id}), {@code labelColumn} the true
     * label (or value), {@code timeColumn} (optional) when it became known, else now.
     */
    public Imported importTable(String deployment, DataSource source, String idColumn, String labelColumn, String timeColumn,
                                String joinOn) {
        if (joinOn == null || !FIELD.matcher(joinOn).matches()) {
            throw CairnException.invalid("join_on", joinOn, "request_id or the name of a logged input field");
        }
        try (LoadedTable t = DataReader.open(source)) {
            for (var c : new String[][] {{"id_column", idColumn}, {"label_column", labelColumn}, {"time_column", timeColumn}}) {
                if (c[1] == null && c[0].equals("time_column")) continue;
                if (c[1] == null || t.column(c[1]).isEmpty()) {
                    throw CairnException.invalid(c[0], c[1], "a column of " + source.describe() + ": "
                            + t.columns().stream().map(x -> x.name()).toList());
                }
            }
            t.requireWellFormed("labels");
            // Times with a zone (…Z, +01:00) become UTC, as the prediction log keeps them, whatever the machine's zone.
            try (Statement s = t.connection().createStatement()) {
                s.execute("SET TimeZone = 'UTC'");
            }
            String time = timeColumn == null ? "now()::TIMESTAMP" : "coalesce(TRY_CAST(" + Sql.identifier(timeColumn) + " AS TIMESTAMP), now()::TIMESTAMP)";
            long count;
            try (Statement s = t.connection().createStatement()) {
                String select = "SELECT " + Sql.literal(joinOn) + " AS key_field, CAST(" + Sql.identifier(idColumn) + " AS VARCHAR) AS key, "
                        + "CAST(" + Sql.identifier(labelColumn) + " AS VARCHAR) AS label, TRY_CAST(" + Sql.identifier(labelColumn)
                        + " AS DOUBLE) AS value, " + time + " AS time FROM " + t.relation() + " WHERE " + Sql.identifier(idColumn)
                        + " IS NOT NULL AND " + Sql.identifier(labelColumn) + " IS NOT NULL";
                try (var r = s.executeQuery("SELECT count(*) FROM (" + select + ")")) {
                    r.next();
                    count = r.getLong(1);
                }
                return write(deployment, s, select, count, joinOn);
            }
        } catch (SQLException e) {
            throw DataReader.queryError(source, "import labels from", e);
        }
    }

    /** One label: the id (a request id, or the value of the join_on input), the true label or value, when it became known. */
    public record Row(String id, String label, java.time.Instant time) {}

    /** Stores labels given as values (a request body): the same file an import writes. */
    public Imported importRows(String deployment, List<Row> rows, String joinOn) {
        if (joinOn == null || !FIELD.matcher(joinOn).matches()) {
            throw CairnException.invalid("join_on", joinOn, "request_id or the name of a logged input field");
        }
        if (rows.isEmpty()) throw CairnException.invalid("labels", "[]", "at least one {id, label}");
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).id() == null || rows.get(i).id().isBlank()) throw CairnException.invalid("labels[" + i + "].id", rows.get(i).id(), "the id the label belongs to");
            if (rows.get(i).label() == null) throw CairnException.invalid("labels[" + i + "].label", null, "the true label or value");
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE l (key_field VARCHAR, key VARCHAR, label VARCHAR, value DOUBLE, time TIMESTAMP)");
            try (var appender = c.unwrap(org.duckdb.DuckDBConnection.class).createAppender(org.duckdb.DuckDBConnection.DEFAULT_SCHEMA, "l")) {
                for (Row r : rows) {
                    appender.beginRow().append(joinOn).append(r.id()).append(r.label());
                    Double value = number(r.label());
                    if (value == null) appender.appendNull();
                    else appender.append(value.doubleValue());
                    appender.append(java.time.LocalDateTime.ofInstant(r.time(), java.time.ZoneOffset.UTC)).endRow();
                }
            }
            return write(deployment, s, "SELECT * FROM l", rows.size(), joinOn);
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot store labels: " + e.getMessage(), e);
        }
    }

    private static Double number(String s) {
        try {
            double v = Double.parseDouble(s.strip());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Imported write(String deployment, Statement s, String select, long count, String joinOn) throws SQLException {
        Path dir = directory(deployment);
        try {
            Files.createDirectories(dir);
            String name = "labels-" + String.format("%013d", System.currentTimeMillis()) + "-" + Long.toString(System.nanoTime() & 0xffffff, 36);
            Path tmp = dir.resolve("." + name + ".tmp");
            Path file = dir.resolve(name + ".parquet");
            s.execute("COPY (" + select + ") TO " + Sql.literal(tmp.toString()) + " (FORMAT parquet)");
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
            return new Imported(file, count, joinOn);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot store labels: " + e.getMessage(), e);
        }
    }

    Path directory(String deployment) {
        return stateRoot.resolve(WindowStore.safe(deployment)).resolve("labels");
    }

    /**
     * SQL for every label of {@code deployment}, one per (key_field, key), latest first wins:
     * columns key_field, key, label, value, time. Null when there are none.
     */
    String relation(String deployment) {
        List<String> parts = new ArrayList<>();
        List<Path> feedback = PredictionLogLayout.files(logRoot, PredictionLogLayout.FEEDBACK);
        if (!feedback.isEmpty()) {
            parts.add("SELECT 'request_id' AS key_field, request_id AS key, label, value, time FROM read_parquet("
                    + LogSql.list(feedback) + ", union_by_name = true) WHERE deployment = " + Sql.literal(deployment));
        }
        List<Path> imported = importedFiles(deployment);
        if (!imported.isEmpty()) {
            parts.add("SELECT key_field, key, label, value, time FROM read_parquet(" + LogSql.list(imported) + ", union_by_name = true)");
        }
        if (parts.isEmpty()) return null;
        return "(SELECT key_field, key, label, value, time FROM (" + String.join(" UNION ALL ", parts)
                + ") QUALIFY row_number() OVER (PARTITION BY key_field, key ORDER BY time DESC) = 1)";
    }

    /** Changes whenever a label file is added or removed for {@code deployment} (feedback segments included). */
    public String version(String deployment) {
        List<Path> files = new ArrayList<>(PredictionLogLayout.files(logRoot, PredictionLogLayout.FEEDBACK));
        files.addAll(importedFiles(deployment));
        return files.size() + ":" + files.stream().map(p -> p.getFileName().toString()).toList().hashCode();
    }

    List<Path> importedFiles(String deployment) {
        Path dir = directory(deployment);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("labels-[A-Za-z0-9-]+\\.parquet")).sorted().toList();
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot list labels in " + dir + ": " + e.getMessage(), e);
        }
    }
}
