package dev.cairn.features.source;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Event times as one type, TIMESTAMP in UTC, whatever a source holds: a TIMESTAMP as it is (times without a zone are
 * taken as UTC), a TIMESTAMP WITH TIME ZONE converted to UTC, a DATE at its midnight, ISO-8601 text
 * ({@code 2024-01-31}, {@code 2024-01-31 12:00:00}, {@code 2024-01-31T12:00:00+02:00}) parsed. Connections that use it
 * run with DuckDB's time zone set to UTC ({@link #useUtc}).
 */
public final class EventTime {
    static final String EXPECTED = "a timestamp column (TIMESTAMP, TIMESTAMP WITH TIME ZONE, DATE, or ISO-8601 text such as "
            + "2024-01-31 or 2024-01-31T12:00:00Z)";

    private EventTime() {}

    public static void useUtc(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
        }
    }

    /** The SQL giving {@code column} (of a relation aliased {@code alias}, or none: "") as TIMESTAMP; {@code field} names it in errors. */
    public static String sql(Column column, String alias, String field) {
        String x = (alias.isEmpty() ? "" : alias + ".") + column.sql();
        String type = column.duckType().toUpperCase(Locale.ROOT);
        if (type.equals("TIMESTAMP")) return x;
        if (column.kind() == ColumnKind.TEMPORAL && (type.startsWith("TIMESTAMP") || type.equals("DATE"))) return "CAST(" + x + " AS TIMESTAMP)";
        if (type.equals("VARCHAR")) return "CAST(TRY_CAST(" + x + " AS TIMESTAMPTZ) AS TIMESTAMP)";
        throw CairnException.invalid(field, column.name(), EXPECTED + "; '" + column.name() + "' is " + column.duckType());
    }

    /**
     * Refuses a relation with rows whose time is missing or unreadable: such a row cannot be placed in time, and
     * leaving it out would silently change the result. {@code what} names the rows in the message ("entity rows of
     * labels.csv"); {@code lineSql} gives a row's line from its 1-based number ({@code __cairn_order}), or null.
     */
    public static void requireReadable(Connection connection, String relation, Column column, String timeColumn, String orderColumn,
                                       String what, String field, UnaryOperator<String> lineSql) throws SQLException {
        String raw = column.sql();
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), min(" + orderColumn + ") FROM " + relation + " WHERE " + timeColumn + " IS NULL")) {
            r.next();
            long bad = r.getLong(1);
            if (bad == 0) return;
            long first = r.getLong(2);
            String value = null;
            long line = first;
            try (ResultSet v = s.executeQuery("SELECT CAST(" + raw + " AS VARCHAR)" + (lineSql == null ? "" : ", " + lineSql.apply(orderColumn))
                    + " FROM " + relation + " WHERE " + orderColumn + " = " + first)) {
                if (v.next()) {
                    value = v.getString(1);
                    if (lineSql != null) line = v.getLong(2);
                }
            }
            String where = (lineSql == null ? "row " : "line ") + line;
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "The " + what + " have " + bad + (bad == 1 ? " row" : " rows")
                    + " without a readable time in '" + column.name() + "'; the first is " + where + " ("
                    + (value == null ? "empty" : "'" + value + "'") + "); expected " + EXPECTED.replace("a timestamp column", "a time"),
                    Map.of("field", field, "value", value == null ? "" : value, "line", line, "rows", bad));
        }
    }
}
