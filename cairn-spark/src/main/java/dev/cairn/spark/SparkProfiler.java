package dev.cairn.spark;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.data.profile.ProfileMerger;
import dev.cairn.data.profile.Profiler;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.QuerySource;
import dev.cairn.data.source.Sql;
import java.math.BigDecimal;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Profiles a dataset on Spark with cairn-data's own profiler: each partition's rows are appended to
 * an in-memory DuckDB table on its executor and profiled there, giving a {@code cairn.profile/v1}
 * profile with the same sketches (KLL, HLL, frequent items); the driver merges the partitions'
 * profiles with {@link ProfileMerger}. Counts, moments, extremes and distinct-count sketches come
 * out as on DuckDB; quantiles from merged KLL sketches are within KLL's documented rank error
 * ({@code ReproducibleKll.RANK_ERROR}) of the exact ones, as any merged profile is.
 */
public final class SparkProfiler {
    private SparkProfiler() {}

    public static DatasetProfile profile(SparkTable table) {
        List<Column> columns = table.columns();
        String[] names = columns.stream().map(Column::name).toArray(String[]::new);
        String[] types = columns.stream().map(Column::duckType).toArray(String[]::new);
        List<String> parts = table.data().mapPartitions(
                (MapPartitionsFunction<Row, String>) rows -> profilePartition(names, types, rows, false), Encoders.STRING()).collectAsList();
        List<DatasetProfile> profiles = new ArrayList<>();
        for (String json : parts) profiles.add(ProfileJson.read(json));
        if (profiles.isEmpty()) {
            try {
                profiles.add(ProfileJson.read(profilePartition(names, types, List.<Row>of().iterator(), true).next()));
            } catch (SQLException e) {
                throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot profile an empty dataset: " + e.getMessage(), e);
            }
        }
        DatasetProfile merged = profiles.size() == 1 ? profiles.getFirst() : ProfileMerger.merge(profiles);
        return new DatasetProfile(merged.format(), table.describe(), merged.rowCount(), merged.malformedRowCount(),
                merged.malformedRows(), merged.columns());
    }

    /** One partition's profile as JSON; an empty partition gives none (unless {@code evenIfEmpty}: a dataset with no rows). */
    static Iterator<String> profilePartition(String[] names, String[] types, Iterator<Row> rows, boolean evenIfEmpty) throws SQLException {
        if (!rows.hasNext() && !evenIfEmpty) return List.<String>of().iterator();
        DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        List<Column> columns = new ArrayList<>();
        for (int k = 0; k < names.length; k++) columns.add(new Column(names[k], types[k], ColumnKind.ofDuckType(types[k])));
        try (Statement s = connection.createStatement()) {
            // One thread: the executor already runs a task per core.
            s.execute("SET threads = 1");
            s.execute("CREATE TABLE part (" + columns.stream().map(c -> c.sql() + " " + c.duckType()).collect(Collectors.joining(", ")) + ")");
        }
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "part")) {
            while (rows.hasNext()) {
                Row row = rows.next();
                appender.beginRow();
                for (int k = 0; k < names.length; k++) append(appender, row.get(k));
                appender.endRow();
            }
        }
        try (LoadedTable table = LoadedTable.of(new QuerySource("partition", "SELECT * FROM part"), connection, Sql.identifier("part"), columns)) {
            return List.of(ProfileJson.write(Profiler.profile(table))).iterator();
        }
    }

    private static void append(DuckDBAppender a, Object v) throws SQLException {
        switch (v) {
            case null -> a.appendNull();
            case Long x -> a.append(x.longValue());
            case Integer x -> a.append(x.intValue());
            case Short x -> a.append(x.shortValue());
            case Byte x -> a.append(x.byteValue());
            case Double x -> a.append(x.doubleValue());
            case Float x -> a.append(x.floatValue());
            case Boolean x -> a.append(x.booleanValue());
            case String x -> a.append(x);
            case BigDecimal x -> a.append(x);
            case Timestamp x -> a.append(LocalDateTime.ofInstant(x.toInstant(), ZoneOffset.UTC));
            case Instant x -> a.append(LocalDateTime.ofInstant(x, ZoneOffset.UTC));
            case LocalDateTime x -> a.append(x);
            case java.sql.Date x -> a.append(x.toLocalDate());
            case LocalDate x -> a.append(x);
            default -> throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Cannot profile a value of type " + v.getClass().getSimpleName() + " on Spark (" + v + ")");
        }
    }
}
