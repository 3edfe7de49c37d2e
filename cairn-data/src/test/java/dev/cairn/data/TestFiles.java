package dev.cairn.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Small generated datasets for tests, written by DuckDB itself or as plain text. */
public final class TestFiles {
    private TestFiles() {}

    public static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    /** Runs DuckDB SQL (e.g. a COPY … TO that writes a Parquet file). */
    public static void duckdb(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    /**
     * A dataset of {@code rows} rows with a deterministic mix: id (unique), amount (double with
     * some missing), age (integer), grade (a few categories), flag (boolean).
     */
    public static Path parquet(Path dir, String name, int rows, int offset) throws SQLException {
        Path p = dir.resolve(name);
        duckdb("COPY (SELECT i + " + offset + " AS id, "
                + "CASE WHEN i % 10 = 3 THEN NULL ELSE (i % 1000) / 10.0 END AS amount, "
                + "18 + (i % 60) AS age, "
                + "['A','B','C','D'][1 + (i % 4)] AS grade, "
                + "(i % 3 = 0) AS flag "
                + "FROM range(" + rows + ") t(i)) TO '" + p + "' (FORMAT parquet)");
        return p;
    }
}
