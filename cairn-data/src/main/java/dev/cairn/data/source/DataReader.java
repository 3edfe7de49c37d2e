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
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/** Opens a {@link DataSource} in embedded DuckDB. Every failure is a CairnException naming the file. */
public final class DataReader {
    static final String RELATION = "cairn_source";
    static final String REJECTED_LINES = "cairn_rejected_lines";
    private static final Pattern CSV_LINE = Pattern.compile("(?i)\\bline:? (\\d+)");
    private static final Pattern COLUMN_COUNTS = Pattern.compile("Expected Number of Columns: (\\d+) Found: (\\d+)");
    private static final Pattern CAST_VALUE = Pattern.compile("convert string \"(.*?)\" to '(\\w+)'");
    private static final int KEPT_MALFORMED_ROWS = 100;
    private static final String ENCODING_ERROR = "error_type ILIKE '%encoding%' OR error_message ILIKE '%unicode%'";

    private DataReader() {}

    public static LoadedTable open(DataSource source) {
        return open(source, Progress.NONE);
    }

    public static LoadedTable open(DataSource source, Progress progress) {
        return open(source, progress, TableStorage.DISK);
    }

    /** As {@link #open(DataSource, Progress)}, with the table kept as {@code storage} says. */
    public static LoadedTable open(DataSource source, Progress progress, TableStorage storage) {
        if (source instanceof FileSource file) checkReadable(file);
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
            String database = storage == TableStorage.MEMORY ? "" : work.resolve("cairn.duckdb").toString();
            connection = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:" + database, properties);
            try (Statement s = connection.createStatement()) {
                s.execute("SET temp_directory = " + Sql.literal(work.resolve("spill").toString()));
            }
            List<MalformedRow> malformed = new ArrayList<>();
            long malformedCount = load(connection, source, RELATION, "reject_errors", malformed, progress);
            if (source instanceof FileSource f && f.format() == FileFormat.CSV) {
                // For the file line of a kept row (see LoadedTable#lineSql): how many kept rows come before each rejected line.
                try (Statement s = connection.createStatement()) {
                    s.execute("CREATE TABLE " + REJECTED_LINES + " AS SELECT line - " + (f.csv().header() ? 1 : 0)
                            + " - row_number() OVER (ORDER BY line) AS kept_before FROM (SELECT DISTINCT line FROM reject_errors)");
                }
            }
            List<Column> columns = describe(connection, RELATION, source);
            int headerLines = source instanceof FileSource f && f.format() == FileFormat.CSV && f.csv().header() ? 1 : 0;
            boolean rejects = source instanceof FileSource f && f.format() == FileFormat.CSV;
            return new LoadedTable(source, connection, work, RELATION, columns, malformed, malformedCount, headerLines, rejects);
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
            if (e instanceof SQLException se) {
                throw source instanceof FileSource file ? readError(file, se) : queryError(source, "read", se);
            }
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read " + source.describe() + ": " + e, Map.of("source", source.describe()), e);
        }
    }

    /**
     * Loads another source into the database of {@code table} as the relation {@code relation} (a plain name, which
     * must not be taken), so that one query joins several sources: a training set joins entity rows with every feature
     * view's source. Its columns are returned. Work that joins sources must use all of each one, so a CSV source with
     * malformed lines is refused, naming how many and the first (as {@link LoadedTable#requireWellFormed} does).
     */
    public static List<Column> add(LoadedTable table, DataSource source, String relation, Progress progress) {
        if (relation == null || !relation.matches("[a-z_][a-z0-9_]{0,62}") || relation.equals(RELATION)) {
            throw new IllegalArgumentException("relation must be a plain lower-case name other than " + RELATION + ": " + relation);
        }
        if (source instanceof FileSource file) checkReadable(file);
        DuckDBConnection connection = (DuckDBConnection) table.connection();
        try {
            List<MalformedRow> malformed = new ArrayList<>();
            long malformedCount = load(connection, source, relation, relation + "_rejects", malformed, progress);
            if (malformedCount > 0) {
                MalformedRow first = malformed.getFirst();
                throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "'" + source.describe() + "' has " + malformedCount
                        + (malformedCount == 1 ? " malformed line" : " malformed lines") + "; the first is line " + first.line()
                        + ": " + first.error() + " (fix the file; no row was used)",
                        Map.of("value", source.describe(), "line", first.line(), "malformed_lines", malformedCount));
            }
            return describe(connection, relation, source);
        } catch (SQLException e) {
            throw source instanceof FileSource file ? readError(file, e) : queryError(source, "read", e);
        }
    }

    /**
     * A relation already in {@code table}'s database (e.g. a view over some of its rows) as a table of its own, described
     * as {@code source}: it shares {@code table}'s connection, and closing it leaves the database open. Parts of one
     * loaded table are profiled without a database and a load each.
     */
    public static LoadedTable part(LoadedTable table, String relation, DataSource source) {
        try {
            List<Column> columns = describe(table.connection(), relation, source);
            return new LoadedTable(source, (DuckDBConnection) table.connection(), null, relation, columns, List.of(), 0, 0, false, false);
        } catch (SQLException e) {
            throw queryError(source, "read", e);
        }
    }

    /**
     * Loads {@code source} as {@code relation}: a view over a Parquet file, else a table. A CSV file's malformed lines
     * are skipped, kept in the table {@code rejects} and the first of them added to {@code malformed}; their count is
     * returned.
     */
    private static long load(DuckDBConnection connection, DataSource source, String relation, String rejects,
                             List<MalformedRow> malformed, Progress progress) throws SQLException {
        switch (source) {
            case FileSource file -> {
                switch (file.format()) {
                    case PARQUET -> execute(connection, file, "CREATE VIEW " + relation + " AS SELECT * FROM read_parquet("
                            + Sql.literal(file.path().toString()) + ")");
                    case JSON_LINES -> execute(connection, file, "CREATE TABLE " + relation + " AS SELECT * FROM read_json("
                            + Sql.literal(file.path().toString()) + ", format = 'newline_delimited')");
                    case CSV -> {
                        return loadCsv(connection, file, relation, rejects, malformed);
                    }
                }
            }
            case JdbcSource jdbc -> JdbcLoader.load(connection, jdbc, relation, progress);
            case QuerySource query -> {
                try (Statement s = connection.createStatement()) {
                    s.execute("CREATE TABLE " + relation + " AS " + query.sql());
                } catch (SQLException e) {
                    throw queryError(query, "read", e);
                }
            }
        }
        return 0;
    }

    private static void checkReadable(FileSource file) {
        Path path = file.path();
        if (!Files.exists(path)) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "File '" + file.describe() + "' does not exist",
                    Map.of("file", file.describe()));
        }
        if (Files.isDirectory(path) || !Files.isReadable(path)) {
            throw CairnException.invalid("file", file.describe(), "a readable file");
        }
    }

    private static long loadCsv(Connection connection, FileSource file, String relation, String rejects, List<MalformedRow> malformed)
            throws SQLException {
        CsvOptions o = file.csv();
        StringBuilder options = new StringBuilder()
                .append(", header = ").append(o.header())
                .append(", encoding = ").append(Sql.literal(o.encoding()))
                .append(", store_rejects = true");
        // DuckDB's own reject tables by default; another source of the same database keeps its rejects apart.
        if (!rejects.equals("reject_errors")) {
            options.append(", rejects_table = ").append(Sql.literal(rejects)).append(", rejects_scan = ").append(Sql.literal(rejects + "_scan"));
        }
        if (o.delimiter() != null) options.append(", delim = ").append(Sql.literal(o.delimiter()));
        if (o.quote() != null) options.append(", quote = ").append(Sql.literal(o.quote()));
        String read = "read_csv(" + Sql.literal(file.path().toString()) + options;
        // Booleans as pandas reads them: DuckDB's sniffer also types yes/no and t/f columns BOOLEAN, which would turn
        // the file's own spelling into true/false. Such columns are read as text, then typed BOOLEAN only when every
        // value is true or false in any letter case. Every other choice of the sniffer is kept.
        List<String> sniffedBooleans;
        try {
            sniffedBooleans = sniffBooleans(connection, read);
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("sniffing")) throw readError(file, e);
            // The strict sniffer gives up on some files that are readable line by line, e.g. a ragged line in a file
            // whose header ends in CRLF and its lines in LF. Read leniently then, so the ragged lines are rejected
            // and reported with their numbers like any other.
            read += ", strict_mode = false";
            try {
                sniffedBooleans = sniffBooleans(connection, read);
            } catch (SQLException again) {
                throw readError(file, again);
            }
        }
        String types = sniffedBooleans.isEmpty() ? "" : ", types = {" + sniffedBooleans.stream()
                .map(c -> Sql.literal(c) + ": 'VARCHAR'").collect(Collectors.joining(", ")) + "}";
        execute(connection, file, "CREATE TABLE " + relation + " AS SELECT * FROM " + read + types + ")");
        for (String column : sniffedBooleans) promoteTrueFalse(connection, relation, column);

        long count;
        long encodingErrors;
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT count(DISTINCT line), count_if(" + ENCODING_ERROR + ") FROM " + rejects)) {
            r.next();
            count = r.getLong(1);
            encodingErrors = r.getLong(2);
        }
        if (encodingErrors > 0) throw encodingError(file, firstRejectedLine(connection, rejects, ENCODING_ERROR));
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT line, any_value(column_name), string_agg(DISTINCT error_type, '; '), "
                     + "string_agg(DISTINCT error_message, '; '), any_value(csv_line) "
                     + "FROM " + rejects + " GROUP BY line ORDER BY line LIMIT " + KEPT_MALFORMED_ROWS)) {
            while (r.next()) {
                malformed.add(new MalformedRow(r.getLong(1), r.getString(2), describeReject(r.getString(3), r.getString(4), r.getString(2)),
                        r.getString(5)));
            }
        }
        return count;
    }

    private static List<String> sniffBooleans(Connection connection, String read) throws SQLException {
        List<String> booleans = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + read + ")")) {
            while (r.next()) {
                if ("BOOLEAN".equalsIgnoreCase(r.getString("column_type"))) booleans.add(r.getString("column_name"));
            }
        }
        return booleans;
    }

    /** Types a text column BOOLEAN when all its values are true or false in any letter case (pandas' rule). */
    private static void promoteTrueFalse(Connection connection, String relation, String column) throws SQLException {
        String x = Sql.identifier(column);
        boolean onlyTrueFalse;
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT count(" + x + ") > 0 AND count_if(lower(" + x + ") NOT IN ('true', 'false')) = 0 FROM " + relation)) {
            r.next();
            onlyTrueFalse = r.getBoolean(1);
        }
        if (onlyTrueFalse) {
            try (Statement s = connection.createStatement()) {
                s.execute("ALTER TABLE " + relation + " ALTER COLUMN " + x + " TYPE BOOLEAN USING lower(" + x + ") = 'true'");
            }
        }
    }

    /** A rejected CSV line's problem in Cairn's words: the reader's error types, not its messages. */
    static String describeReject(String errorTypes, String messages, String column) {
        String types = errorTypes == null ? "" : errorTypes;
        Matcher counts = COLUMN_COUNTS.matcher(messages == null ? "" : messages);
        if (types.contains("MISSING COLUMNS") || types.contains("TOO MANY COLUMNS")) {
            // The reader reports a short line once per missing column and a long one once per extra field, each with a
            // count so far: the line's own count is the smallest of a short line's, the largest of a long line's.
            List<Long> found = new ArrayList<>();
            String expected = null;
            while (counts.find()) {
                expected = counts.group(1);
                found.add(Long.parseLong(counts.group(2)));
            }
            if (expected == null) return types.contains("TOO MANY COLUMNS") ? "has too many fields" : "has too few fields";
            long n = types.contains("TOO MANY COLUMNS") ? java.util.Collections.max(found) : java.util.Collections.min(found);
            return "has " + n + (n == 1 ? " field" : " fields") + " where the header has " + expected;
        }
        if (types.contains("CAST")) {
            Matcher value = CAST_VALUE.matcher(messages == null ? "" : messages);
            return value.find() ? "column '" + column + "' has value '" + value.group(1) + "', not a " + value.group(2).toLowerCase(java.util.Locale.ROOT)
                    + " as in the rest of the column" : "column '" + column + "' has a value of another type than the rest of the column";
        }
        if (types.contains("UNQUOTED") || types.contains("QUOTE")) return "has a quote that is not closed or a quoted value followed by other text";
        if (types.contains("LINE SIZE")) return "is longer than the reader's maximum line size";
        if (types.contains("UNICODE")) return "has bytes that are not in the file's encoding";
        return "cannot be read as CSV (" + types.toLowerCase(java.util.Locale.ROOT) + ")";
    }

    private static long firstRejectedLine(Connection connection, String rejects, String where) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT min(line) FROM " + rejects + " WHERE " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static CairnException encodingError(FileSource file, long line) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Cannot read '" + file.describe() + "' as " + file.csv().encoding() + ": line " + line
                        + " has bytes that are not " + file.csv().encoding() + "; give the file's encoding (utf-8, utf-16 or latin-1)",
                Map.of("file", file.describe(), "line", line, "encoding", file.csv().encoding()));
    }

    private static void execute(Connection connection, FileSource file, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw readError(file, e);
        }
    }

    /**
     * One line naming the file, the line when the reader knows it, and what is wrong in Cairn's words; the
     * reader's own message (which can hold its internal state and SQL) stays in the cause, for logs.
     */
    static CairnException readError(FileSource file, SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        Matcher m = CSV_LINE.matcher(firstLine(message));
        Long line = m.find() ? Long.parseLong(m.group(1)) : null;
        // DuckDB's JSON reader names the line after the malformed one ("line 2" for a bad first line).
        if (line != null && file.format() == FileFormat.JSON_LINES) line = Math.max(1, line - 1);
        if (message.contains("Invalid unicode") || message.contains("not utf-8")) return encodingError(file, line == null ? 1 : line);
        String problem = switch (file.format()) {
            case CSV -> message.contains("sniffing")
                    ? "its delimiter, quoting and columns could not be detected (give --delimiter and --quote, and check that every line has the header's number of fields)"
                    : "it is not a readable CSV file";
            case PARQUET -> "it is not a Parquet file, or it is damaged";
            case JSON_LINES -> "it is not JSON lines (one JSON object per line)";
        };
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("file", file.describe());
        details.put("format", file.format().name());
        if (line != null) details.put("line", line);
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read '" + file.describe() + "' as " + file.format()
                + ": " + (line != null ? "line " + line + " cannot be read; " : "") + problem, details, e);
    }

    /** An error of a query on a loaded source, in one line naming the source (the reader's message stays in the cause). */
    public static CairnException queryError(DataSource source, String what, SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (source instanceof FileSource file && (message.contains("Invalid Input") || message.contains("IO Error"))) return readError(file, e);
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot " + what + " " + source.describe() + ": "
                + firstLine(message).replaceAll("\\s*LINE \\d+:.*", ""), Map.of("source", source.describe()), e);
    }

    private static List<Column> describe(Connection connection, String relation, DataSource source) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
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
