package dev.cairn.pipeline.snapshot;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import dev.cairn.data.source.QuerySource;
import dev.cairn.data.source.Sql;
import dev.cairn.train.data.Fingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBDriver;

/**
 * Computes {@link SourceFingerprint}s. Keep one instance for a watcher's lifetime: it remembers each file's size and
 * modification time with the hash, and hashes a file again only when either moved. Like git's index it does not
 * trust a modification time too close to the moment the file was hashed (a write in the same clock tick as the
 * hash would leave both unchanged): such a file is hashed again until it has been still for {@link #RACY_WINDOW}.
 * Thread-safe.
 */
public final class SourceFingerprints {
    /** Coarser than any file system's timestamps Cairn runs on (FAT and HFS+ keep 1 and 2 seconds). */
    static final Duration RACY_WINDOW = Duration.ofSeconds(2);

    private record Seen(long size, Instant modified, Object fileKey, Instant hashedAt, String sha256) {}

    private final Map<Path, Seen> seen = new ConcurrentHashMap<>();
    private final Clock clock;
    private final AtomicLong filesHashed = new AtomicLong();

    public SourceFingerprints() {
        this(Clock.systemUTC());
    }

    SourceFingerprints(Clock clock) {
        this.clock = clock;
    }

    /** The source's fingerprint: a file's hash, a table's row count. */
    public SourceFingerprint of(DataSource source) {
        return of(source, null);
    }

    /**
     * The source's fingerprint, with the maximum of {@code timestampColumn} for a table or query (a file's hash
     * already covers every change, so the column is not used for one). A missing file is RESOURCE_DOES_NOT_EXIST;
     * a database that cannot be reached or a column it does not have, an error naming the source.
     */
    public SourceFingerprint of(DataSource source, String timestampColumn) {
        if (source == null) throw CairnException.invalid("source", null, "a data source to fingerprint");
        if (timestampColumn != null && timestampColumn.isBlank()) {
            throw CairnException.invalid("timestamp_column", timestampColumn, "the name of a column, or none");
        }
        return switch (source) {
            case FileSource file -> file(file.path());
            case JdbcSource jdbc -> jdbc(jdbc, timestampColumn);
            case QuerySource query -> duckdb(query, timestampColumn);
        };
    }

    /** How many times a file was hashed (rather than recognised by its size and time): for tests. */
    long filesHashed() {
        return filesHashed.get();
    }

    private SourceFingerprint.FileContent file(Path path) {
        BasicFileAttributes before = attributes(path);
        Seen last = seen.get(path);
        Instant modified = before.lastModifiedTime().toInstant();
        if (last != null && last.size() == before.size() && last.modified().equals(modified)
                && java.util.Objects.equals(last.fileKey(), before.fileKey())
                && modified.isBefore(last.hashedAt().minus(RACY_WINDOW))) {
            return new SourceFingerprint.FileContent(path.toString(), last.size(), last.sha256());
        }
        Instant hashedAt = clock.instant();
        String sha256 = Fingerprint.sha256(path);
        filesHashed.incrementAndGet();
        BasicFileAttributes after = attributes(path);
        // Changed while being hashed: the hash is of no one version; report it, but do not remember it.
        if (after.size() == before.size() && after.lastModifiedTime().equals(before.lastModifiedTime())) {
            seen.put(path, new Seen(before.size(), modified, before.fileKey(), hashedAt, sha256));
        } else {
            seen.remove(path);
        }
        return new SourceFingerprint.FileContent(path.toString(), after.size(), sha256);
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) throw CairnException.invalid("file", path.toString(), "a regular file");
            return attributes;
        } catch (NoSuchFileException e) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "File '" + path + "' does not exist", Map.of("file", path.toString()));
        } catch (IOException e) {
            throw CairnException.invalid("file", path.toString(), "a readable file (" + e.getMessage() + ")");
        }
    }

    private static SourceFingerprint.TableState jdbc(JdbcSource source, String timestampColumn) {
        String description = SnapshotSource.of(source).description();
        try (Connection connection = connect(source, description)) {
            return count(connection, source.query(), description, timestampColumn);
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot fingerprint " + description + ": " + firstLine(e),
                    Map.of("source", description), e);
        }
    }

    private static SourceFingerprint.TableState duckdb(QuerySource source, String timestampColumn) {
        try (Connection connection = new DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties())) {
            return count(connection, source.sql(), source.describe(), timestampColumn);
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot fingerprint " + source.describe() + ": " + firstLine(e),
                    Map.of("source", source.describe()), e);
        }
    }

    /**
     * The result of a fingerprint query a read step names ({@code SELECT count(*), max(sold_at) FROM sales}), run in
     * the source database, as one token: {@code query:count(*)=1000;max(sold_at)=2026-03-01 02:00:00}. The query must
     * return one row: it summarises the data (and is cheap), it does not read it. Errors name the source.
     */
    public String queryResult(JdbcSource source) {
        if (source == null) throw CairnException.invalid("source", null, "a JDBC fingerprint query");
        String description = SnapshotSource.of(source).description();
        try (Connection connection = connect(source, description);
             Statement s = connection.createStatement();
             ResultSet r = s.executeQuery(source.query())) {
            if (!r.next()) throw CairnException.invalid("fingerprint", source.tableOrQuery(), "a query returning one row (it returned none)");
            ResultSetMetaData meta = r.getMetaData();
            StringBuilder token = new StringBuilder("query:");
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (i > 1) token.append(';');
                token.append(meta.getColumnLabel(i)).append('=').append(r.getString(i));
            }
            if (r.next()) {
                throw CairnException.invalid("fingerprint", source.tableOrQuery(), "a query returning one row, such as "
                        + "SELECT count(*), max(sold_at) FROM sales (it returned more)");
            }
            return token.toString();
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot fingerprint " + description + ": " + firstLine(e),
                    Map.of("source", description), e);
        }
    }

    private static Connection connect(JdbcSource source, String description) {
        try {
            return source.user() == null ? DriverManager.getConnection(source.url())
                    : DriverManager.getConnection(source.url(), source.user(), source.password());
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot connect to " + description + ": " + firstLine(e),
                    Map.of("source", description), e);
        }
    }

    /** Counts in the database that holds the rows: one aggregate over the query, whose rows never leave it. */
    private static SourceFingerprint.TableState count(Connection connection, String query, String description,
                                                      String timestampColumn) throws SQLException {
        String inner = "(" + query.strip().replaceAll(";+\\s*$", "") + ") cairn_fingerprint";
        String column = timestampColumn == null ? null : column(connection, inner, description, timestampColumn);
        String sql = "SELECT count(*)" + (column == null ? "" : ", max(" + Sql.identifier(column) + ")") + " FROM " + inner;
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            long rows = r.getLong(1);
            String max = column == null ? null : r.getString(2);
            return new SourceFingerprint.TableState(description, rows, timestampColumn, max);
        }
    }

    /**
     * The source's own spelling of the column, checked against the query's columns (no row is read): SQLite takes a
     * quoted name that is no column for a string, so a misspelt column would otherwise watch a constant. A name
     * that differs only in letter case is taken as the column it names when that is unambiguous.
     */
    private static String column(Connection connection, String from, String description, String wanted) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + from + " LIMIT 0")) {
            ResultSetMetaData meta = r.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) columns.add(meta.getColumnLabel(i));
        }
        if (columns.contains(wanted)) return wanted;
        List<String> folded = columns.stream().filter(c -> c.equalsIgnoreCase(wanted)).toList();
        if (folded.size() == 1) return folded.getFirst();
        throw CairnException.invalid("timestamp_column", wanted, "a column of " + description + ": one of " + columns);
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? "unknown error" : e.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
