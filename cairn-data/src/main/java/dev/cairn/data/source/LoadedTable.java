package dev.cairn.data.source;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * A source opened in an embedded DuckDB database as the relation {@link #relation()}: a view over
 * a Parquet file, or a table that a CSV, JSON-lines file or JDBC query was loaded into. The
 * database lives in a temporary directory that {@link #close()} deletes: as a file there, or in
 * memory with its spill files there ({@link TableStorage}), so memory stays bounded either way. A
 * {@link DataReader#part part} is another relation of such a database, closed with it.
 */
public final class LoadedTable implements AutoCloseable {
    private final DataSource source;
    private final DuckDBConnection connection;
    private final Path workDirectory;
    private final String relation;
    private final List<Column> columns;
    private final List<MalformedRow> malformedRows;
    private final long malformedRowCount;
    private final int headerLines;
    private final boolean rejectedLines;
    /** Whether closing this table closes its database: false for a {@link DataReader#part} of another table's. */
    private final boolean ownsDatabase;

    LoadedTable(DataSource source, DuckDBConnection connection, Path workDirectory, String relation,
                List<Column> columns, List<MalformedRow> malformedRows, long malformedRowCount, int headerLines, boolean rejectedLines) {
        this(source, connection, workDirectory, relation, columns, malformedRows, malformedRowCount, headerLines, rejectedLines, true);
    }

    LoadedTable(DataSource source, DuckDBConnection connection, Path workDirectory, String relation, List<Column> columns,
                List<MalformedRow> malformedRows, long malformedRowCount, int headerLines, boolean rejectedLines, boolean ownsDatabase) {
        this.source = source;
        this.connection = connection;
        this.workDirectory = workDirectory;
        this.relation = relation;
        this.columns = List.copyOf(columns);
        this.malformedRows = List.copyOf(malformedRows);
        this.malformedRowCount = malformedRowCount;
        this.headerLines = headerLines;
        this.rejectedLines = rejectedLines;
        this.ownsDatabase = ownsDatabase;
    }

    /**
     * A table that the caller already put in a DuckDB database it owns (a Spark partition's rows appended to an
     * in-memory one, to profile them with the same code as any source); {@link #close()} closes the connection.
     */
    public static LoadedTable of(DataSource source, DuckDBConnection connection, String relation, List<Column> columns) {
        return new LoadedTable(source, connection, null, relation, columns, List.of(), 0, 0, false);
    }

    /**
     * SQL for the line of the kept row numbered {@code row} (a SQL expression, 1-based in the source's order).
     * Rows are numbered as the file's lines everywhere in Cairn's messages: in a CSV file the header is line 1
     * and the first data row line 2, and lines the reader rejected (ragged, short) keep their numbers, so the
     * rows after them are numbered as in an editor. (A quoted value that spans several lines counts as one
     * line, as in the reader's own messages.) In a JSON-lines file, a row's line; in Parquet and JDBC
     * sources, its position.
     */
    public String lineSql(String row) {
        if (!rejectedLines) return "(" + row + " + " + headerLines + ")";
        return "(" + row + " + " + headerLines + " + (SELECT count(*) FROM " + DataReader.REJECTED_LINES + " WHERE kept_before < " + row + "))";
    }

    public DataSource source() {
        return source;
    }

    /** The quoted name of the relation to select from. */
    public String relation() {
        return relation;
    }

    public List<Column> columns() {
        return columns;
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The first malformed CSV lines (at most 100); {@link #malformedRowCount()} counts them all. */
    public List<MalformedRow> malformedRows() {
        return malformedRows;
    }

    public long malformedRowCount() {
        return malformedRowCount;
    }

    /**
     * Refuses a source with malformed CSV lines, naming how many and the first: for work that must
     * use every row of its input (training, scoring), where skipping one would silently change the
     * result. {@code field} names the input in the error.
     */
    public void requireWellFormed(String field) {
        if (malformedRowCount == 0) return;
        MalformedRow first = malformedRows.getFirst();
        throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "'" + source.describe() + "' has " + malformedRowCount
                + (malformedRowCount == 1 ? " malformed line" : " malformed lines") + "; the first is line " + first.line()
                + ": " + first.error() + " (fix the file; no row was used)",
                Map.of("field", field, "value", source.describe(), "line", first.line(), "malformed_lines", malformedRowCount));
    }

    public Connection connection() {
        return connection;
    }

    /** Another connection to the same database, for a query on another thread. */
    public Connection newConnection() {
        try {
            return connection.duplicate();
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot open another DuckDB connection: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!ownsDatabase) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // The database is being thrown away; nothing left to release.
        }
        deleteRecursively(workDirectory);
    }

    /** Removes a temporary directory and what it holds, as far as it can: a leftover is harmless, never an error. */
    public static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) return;
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // A leftover temporary file is harmless; the next run uses a new directory.
                }
            });
        } catch (IOException ignored) {
            // As above.
        }
    }
}
