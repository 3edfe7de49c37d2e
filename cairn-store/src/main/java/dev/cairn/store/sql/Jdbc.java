package dev.cairn.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Small helpers over plain JDBC: every value is bound as a parameter, never spliced into SQL. */
public final class Jdbc {

    private Jdbc() {}

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    public static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, Arrays.asList(params));
            return statement.executeUpdate();
        }
    }

    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        return query(connection, sql, mapper, Arrays.asList(params));
    }

    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, List<?> params)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) result.add(mapper.map(rows));
                return result;
            }
        }
    }

    public static <T> Optional<T> queryOne(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        List<T> rows = query(connection, sql, mapper, Arrays.asList(params));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Binds values by their Java type; {@code null} is bound as an untyped SQL NULL. */
    public static void bind(PreparedStatement statement, List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object value = params.get(i);
            int index = i + 1;
            switch (value) {
                case null -> statement.setNull(index, Types.NULL);
                case String s -> statement.setString(index, s);
                case Long l -> statement.setLong(index, l);
                case Integer n -> statement.setInt(index, n);
                case Double d -> statement.setDouble(index, d);
                case Boolean b -> statement.setInt(index, b ? 1 : 0);
                default -> statement.setObject(index, value);
            }
        }
    }

    /** A nullable BIGINT column. */
    public static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    /** "?, ?, ?" for {@code count} parameters. */
    public static String placeholders(int count) {
        StringBuilder sb = new StringBuilder(count * 3);
        for (int i = 0; i < count; i++) sb.append(i == 0 ? "?" : ", ?");
        return sb.toString();
    }

    /** Splits a list into chunks small enough for one IN (…) list (SQLite allows 32,766 parameters). */
    public static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) chunks.add(items.subList(i, Math.min(items.size(), i + size)));
        return chunks;
    }
}
