package dev.cairn.data.source;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/** Opens a {@link DataSource} in embedded DuckDB. Every failure is a CairnException naming the file. */
public final class DataReader {
    static final String RELATION = "cairn_source";
    private static final Pattern CSV_LINE = Pattern.compile("Line: (\\d+)");
    private static final int KEPT_MALFORMED_ROWS = 100;
    private static final String ENCODING_ERROR = "error_type ILIKE '%encoding%' OR error_message ILIKE '%unicode%'";

    private DataReader() {}

    public static LoadedTable open(DataSource source) {
        return open(source, Progress.NONE);
    }

    public static LoadedTable open(DataSource source, Progress progress) {
        if (source instanceof FileSource file) checkReadable(file.path());
        Path work;
        try {
            work = Files.createTempDirectory("cairn-data-");
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot create a temporary directory: " + e.getMessage(), e);
        }
        DuckDBConnection connection = null;
        try {
            Properties properties = new Properties();
            // Streamed results: a 10M-row scan is read chunk by chunk, never materialised in the JVM.
            properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
            connection = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:" + work.resolve("cairn.duckdb"), properties);
            try (Statement s = connection.createStatement()) {
                s.execute("SET temp_directory = " + Sql.literal(work.resolve("spill").toString()));
            }
            List<MalformedRow> malformed = new ArrayList<>();
            long malformedCount = 0;
            switch (source) {
                case FileSource file -> {
                    switch (file.format()) {
                        case PARQUET -> execute(connection, file, "CREATE VIEW " + RELATION + " AS SELECT * FROM read_parquet("
                                + Sql.literal(file.path().toString()) + ")");
                        case JSON_LINES -> execute(connection, file, "CREATE TABLE " + RELATION + " AS SELECT * FROM read_json("
                                + Sql.literal(file.path().toString()) + ", format = 'newline_delimited')");
                        case CSV -> malformedCount = loadCsv(connection, file, malformed);
                    }
                }
                case JdbcSource jdbc -> JdbcLoader.load(connection, jdbc, RELATION, progress);
            }
            List<Column> columns = describe(connection, source);
            return new LoadedTable(source, connection, work, RELATION, columns, malformed, malformedCount);
        } catch (RuntimeException | SQLException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // Already failing; the first error is the one to report.
                }
            }
            LoadedTable.deleteRecursively(work);
            if (e instanceof CairnException ce) throw ce;
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read " + source.describe() + ": " + firstLine(e.getMessage()),
                    Map.of("source", source.describe()), e);
        }
    }

    private static void checkReadable(Path path) {
        if (!Files.exists(path)) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "File '" + path + "' does not exist",
                    Map.of("file", path.toString()));
        }
        if (Files.isDirectory(path) || !Files.isReadable(path)) {
            throw CairnException.invalid("file", path.toString(), "a readable file");
        }
    }

    private static long loadCsv(Connection connection, FileSource file, List<MalformedRow> malformed) throws SQLException {
        CsvOptions o = file.csv();
        StringBuilder sql = new StringBuilder("CREATE TABLE " + RELATION + " AS SELECT * FROM read_csv(")
                .append(Sql.literal(file.path().toString()))
                .append(", header = ").append(o.header())
                .append(", encoding = ").append(Sql.literal(o.encoding()))
                .append(", store_rejects = true");
        if (o.delimiter() != null) sql.append(", delim = ").append(Sql.literal(o.delimiter()));
        if (o.quote() != null) sql.append(", quote = ").append(Sql.literal(o.quote()));
        sql.append(")");
        execute(connection, file, sql.toString());
        long count;
        long encodingErrors;
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT count(DISTINCT line), count_if(" + ENCODING_ERROR + ") FROM reject_errors")) {
            r.next();
            count = r.getLong(1);
            encodingErrors = r.getLong(2);
        }
        if (encodingErrors > 0) throw encodingError(file, firstRejectedLine(connection, ENCODING_ERROR));
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT line, any_value(column_name), string_agg(DISTINCT error_message, '; '), any_value(csv_line) "
                     + "FROM reject_errors GROUP BY line ORDER BY line LIMIT " + KEPT_MALFORMED_ROWS)) {
            while (r.next()) {
                malformed.add(new MalformedRow(r.getLong(1), r.getString(2), r.getString(3), r.getString(4)));
            }
        }
        return count;
    }

    private static long firstRejectedLine(Connection connection, String where) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT min(line) FROM reject_errors WHERE " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static CairnException encodingError(FileSource file, long line) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Cannot read '" + file.path() + "' as " + file.csv().encoding() + ": line " + line
                        + " has bytes that are not " + file.csv().encoding() + "; give the file's encoding (utf-8, utf-16 or latin-1)",
                Map.of("file", file.path().toString(), "line", line, "encoding", file.csv().encoding()));
    }

    private static void execute(Connection connection, FileSource file, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("Invalid unicode") || message.contains("not utf-8")) {
                Matcher m = CSV_LINE.matcher(message);
                throw encodingError(file, m.find() ? Long.parseLong(m.group(1)) : 1);
            }
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Cannot read '" + file.path() + "' as " + file.format() + ": " + firstLine(message),
                    Map.of("file", file.path().toString(), "format", file.format().name()), e);
        }
    }

    private static List<Column> describe(Connection connection, DataSource source) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + RELATION)) {
            while (r.next()) {
                String type = r.getString("column_type");
                columns.add(new Column(r.getString("column_name"), type, ColumnKind.ofDuckType(type)));
            }
        }
        if (columns.isEmpty()) throw CairnException.invalid("source", source.describe(), "at least one column");
        return columns;
    }

    static String firstLine(String message) {
        if (message == null) return "unknown error";
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
