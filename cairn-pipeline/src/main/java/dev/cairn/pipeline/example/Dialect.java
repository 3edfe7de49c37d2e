package dev.cairn.pipeline.example;

import dev.cairn.core.error.CairnException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The two databases the master data lives in. The tables, the view and every query are the same SQL on both; what
 * differs is below the SQL: SQLite has no timestamp type, so timestamps are ISO texts that sort and compare as
 * the instants do (and that SQLite's JDBC driver reads back as timestamps), and PostgreSQL inserts many rows
 * quickly only with rewritten batches.
 */
enum Dialect {
    SQLITE,
    POSTGRESQL;

    /** How SQLite holds a timestamp: the driver's own text format, so {@code getTimestamp} reads it back. */
    private static final DateTimeFormatter SQLITE_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

    /** The dialect of a JDBC URL; anything but SQLite and PostgreSQL is refused. */
    static Dialect of(String url) {
        String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlite:")) return SQLITE;
        if (lower.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        throw CairnException.invalid("database", url, "a JDBC URL of SQLite (jdbc:sqlite:master.db) or PostgreSQL "
                + "(jdbc:postgresql://host:5432/db)");
    }

    /** Driver properties for a connection. */
    Properties properties(String user, String password) {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        // One multi-row INSERT per batch instead of a round trip per row: the history is tens of thousands of sales.
        if (this == POSTGRESQL) p.setProperty("reWriteBatchedInserts", "true");
        return p;
    }

    void setTimestamp(PreparedStatement statement, int index, LocalDateTime value) throws SQLException {
        if (this == SQLITE) statement.setString(index, SQLITE_TIMESTAMP.format(value));
        else statement.setObject(index, value);
    }

    LocalDateTime getTimestamp(ResultSet rows, int column) throws SQLException {
        if (this == SQLITE) {
            String text = rows.getString(column);
            return text == null ? null : LocalDateTime.parse(text, SQLITE_TIMESTAMP);
        }
        return rows.getObject(column, LocalDateTime.class);
    }

    /** The tables and views of the connection's schema (PostgreSQL) or file (SQLite), lower case, sorted. */
    List<String> relations(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = this == POSTGRESQL ? connection.getSchema() : null;
        List<String> names = new ArrayList<>();
        try (ResultSet rows = meta.getTables(null, schema, "%", new String[] {"TABLE", "VIEW"})) {
            while (rows.next()) {
                String name = rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!name.startsWith("sqlite_")) names.add(name);
            }
        }
        names.sort(null);
        return names;
    }
}
