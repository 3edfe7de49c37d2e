package dev.cairn.data.source;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Streams a JDBC query's rows into a DuckDB table through DuckDB's appender, a bounded fetch at a time. */
final class JdbcLoader {
    private static final int FETCH_SIZE = 10_000;

    private JdbcLoader() {}

    private enum Target { BOOLEAN, BIGINT, DOUBLE, VARCHAR, TIMESTAMP }

    static void load(DuckDBConnection duck, JdbcSource source, String table, Progress progress) throws SQLException {
        Connection jdbc;
        try {
            jdbc = source.user() == null ? DriverManager.getConnection(source.url())
                    : DriverManager.getConnection(source.url(), source.user(), source.password());
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot connect to " + source.describe() + ": "
                    + DataReader.firstLine(e.getMessage()), Map.of("url", source.describe()), e);
        }
        try (jdbc) {
            // PostgreSQL streams with a cursor only outside auto-commit.
            jdbc.setAutoCommit(false);
            try (Statement statement = jdbc.createStatement()) {
                statement.setFetchSize(FETCH_SIZE);
                ResultSet rows;
                try {
                    rows = statement.executeQuery(source.query());
                } catch (SQLException e) {
                    throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot run the query of " + source.describe() + ": "
                            + DataReader.firstLine(e.getMessage()), Map.of("query", source.query()), e);
                }
                try (rows) {
                    copy(duck, source, table, rows, progress);
                }
            }
        }
    }

    private static void copy(DuckDBConnection duck, JdbcSource source, String table, ResultSet rows, Progress progress)
            throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        int n = meta.getColumnCount();
        List<Target> targets = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (");
        for (int i = 1; i <= n; i++) {
            Target t = target(meta.getColumnType(i), meta.getColumnTypeName(i));
            targets.add(t);
            String name = meta.getColumnLabel(i);
            names.add(name);
            ddl.append(i > 1 ? ", " : "").append(Sql.identifier(name)).append(' ').append(t.name());
        }
        try (Statement s = duck.createStatement()) {
            s.execute(ddl.append(')').toString());
        }
        long row = 0;
        try (DuckDBAppender appender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            while (rows.next()) {
                row++;
                appender.beginRow();
                for (int i = 1; i <= n; i++) append(appender, rows, i, targets.get(i - 1), source, names.get(i - 1), row);
                appender.endRow();
                if (row % 100_000 == 0) progress.update("read " + source.describe(), row, -1);
            }
        }
        progress.update("read " + source.describe(), row, row);
    }

    private static Target target(int sqlType, String typeName) {
        return switch (sqlType) {
            case Types.BOOLEAN, Types.BIT -> Target.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> Target.BIGINT;
            case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL -> Target.DOUBLE;
            case Types.DATE, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Target.TIMESTAMP;
            default -> typeName != null && typeName.toUpperCase().contains("INT") ? Target.BIGINT : Target.VARCHAR;
        };
    }

    private static void append(DuckDBAppender appender, ResultSet rows, int i, Target target, JdbcSource source,
                               String column, long row) throws SQLException {
        Object value = rows.getObject(i);
        if (value == null) {
            appender.appendNull();
            return;
        }
        try {
            switch (target) {
                case BOOLEAN -> appender.append((boolean) (value instanceof Boolean b ? b : rows.getBoolean(i)));
                case BIGINT -> appender.append(value instanceof Number num ? num.longValue() : Long.parseLong(value.toString().strip()));
                case DOUBLE -> appender.append(value instanceof Number num ? num.doubleValue() : Double.parseDouble(value.toString().strip()));
                case TIMESTAMP -> appender.append(rows.getTimestamp(i).toLocalDateTime());
                case VARCHAR -> appender.append(value.toString());
            }
        } catch (NumberFormatException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read " + source.describe() + ": column '" + column
                    + "' row " + row + " has value '" + value + "', expected " + target.name().toLowerCase(),
                    Map.of("source", source.describe(), "column", column, "row", row, "value", String.valueOf(value)), e);
        }
    }
}
