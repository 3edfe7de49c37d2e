package dev.cairn.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * A pooled connection to the metadata database with its schema migrated, and the one way to run
 * work on it: {@link #read} outside a transaction, {@link #write} inside one that commits whole or
 * not at all.
 *
 * <p>SQLite allows one writer at a time; a second writer in the same process would wait on the
 * file lock and, in WAL mode, can fail with SQLITE_BUSY when its read snapshot is stale. So on
 * SQLite writers queue on a lock inside the process first and only then begin an IMMEDIATE
 * transaction; {@code busy_timeout} still covers writers in other processes.
 */
public final class Database implements AutoCloseable {

    /** One writer queue per SQLite file, shared by every store this process opens on it. */
    private static final ConcurrentHashMap<String, ReentrantLock> SQLITE_WRITE_LOCKS = new ConcurrentHashMap<>();

    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final ReentrantLock writeLock;
    private final AtomicLong writes = new AtomicLong();

    /** SQLite write transactions between two refreshes of the planner's statistics. */
    private static final long OPTIMIZE_EVERY_WRITES = 5_000;

    private Database(Dialect dialect, HikariDataSource dataSource, ReentrantLock writeLock) {
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.writeLock = writeLock;
    }

    /** Opens a SQLite file (created when missing) and migrates it. */
    public static Database sqlite(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("cairn-sqlite");
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        // sqlite-jdbc reads pragmas from the connection properties and applies them to every connection.
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("busy_timeout", "30000");
        config.addDataSourceProperty("foreign_keys", "true");
        config.addDataSourceProperty("case_sensitive_like", "true");
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        // Bounds the work of PRAGMA optimize (statistics from a sample, not whole tables).
        config.setConnectionInitSql("PRAGMA analysis_limit = 1000");
        return open(Dialect.SQLITE, config, SQLITE_WRITE_LOCKS.computeIfAbsent(jdbcUrl, url -> new ReentrantLock(true)));
    }

    /** Connects to PostgreSQL and migrates the schema (Flyway takes an advisory lock, so servers may race). */
    public static Database postgresql(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("cairn-postgresql");
        config.setJdbcUrl(jdbcUrl);
        if (user != null) config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return open(Dialect.POSTGRESQL, config, null);
    }

    private static Database open(Dialect dialect, HikariConfig config, ReentrantLock writeLock) {
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "Cannot connect to the metadata store " + redacted(config.getJdbcUrl()) + ": " + rootMessage(e), e);
        }
        try {
            if (!isCurrent(dialect, dataSource)) {
                Flyway.configure()
                        .dataSource(dataSource)
                        .locations(dialect.migrationLocation())
                        .loggers("slf4j")
                        .load()
                        .migrate();
            }
        } catch (FlywayException e) {
            dataSource.close();
            throw new CairnException(ErrorCode.INTERNAL_ERROR,
                    "Cannot migrate the metadata store schema at " + redacted(config.getJdbcUrl()) + ": " + rootMessage(e), e);
        }
        Database database = new Database(dialect, dataSource, writeLock);
        try {
            database.optimize(0x10002);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return database;
    }

    /**
     * True when Flyway's history says every migration up to the latest one succeeded. Starting
     * Flyway costs a second or two of class loading on a cold JVM, which every CLI command would
     * pay; a database that is already current does not need it.
     */
    private static boolean isCurrent(Dialect dialect, HikariDataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            Set<Integer> applied = new HashSet<>();
            while (rows.next()) {
                if (!rows.getBoolean(2)) return false;
                applied.add(Integer.parseInt(rows.getString(1)));
            }
            for (int version = 1; version <= dialect.latestSchemaVersion(); version++) {
                if (!applied.contains(version)) return false;
            }
            return applied.size() == dialect.latestSchemaVersion();
        } catch (SQLException | NumberFormatException e) {
            return false; // no history yet, or one Flyway should look at
        }
    }

    /**
     * Refreshes SQLite's planner statistics where they are missing or stale (as SQLite advises for
     * long-lived connections: when opening, every so often, and when closing). Search plans that
     * start from a selective index depend on them.
     */
    private void optimize(int mask) {
        if (dialect != Dialect.SQLITE) return;
        write(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(mask == 0 ? "PRAGMA optimize" : "PRAGMA optimize = " + mask);
            }
            return null;
        });
    }

    private static String redacted(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Runs read-only work in auto-commit mode. */
    public <T> T read(SqlFunction<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Runs work in one transaction: committed if it returns, rolled back if it throws anything. */
    public <T> T write(SqlFunction<T> work) {
        T result = transaction(work);
        if (writeLock != null && writes.incrementAndGet() % OPTIMIZE_EVERY_WRITES == 0) optimize(0);
        return result;
    }

    private <T> T transaction(SqlFunction<T> work) {
        boolean serialise = writeLock != null;
        if (serialise) writeLock.lock();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            if (serialise) writeLock.unlock();
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** True when the exception is a unique or primary-key violation. */
    public static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if ("23505".equals(sql.getSQLState())) return true;
                String message = String.valueOf(sql.getMessage());
                if (message.contains("UNIQUE constraint failed") || message.contains("PRIMARY KEY constraint failed")) {
                    return true;
                }
            }
        }
        return false;
    }

    private CairnException translate(SQLException e) {
        String message = rootMessage(e);
        if (message.contains("SQLITE_BUSY") || "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState())) {
            return new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "The metadata store is busy, try again: " + message, Map.of("sqlState", String.valueOf(e.getSQLState())), e);
        }
        return new CairnException(ErrorCode.INTERNAL_ERROR, "Metadata store error: " + message,
                Map.of("sqlState", String.valueOf(e.getSQLState())), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        if (dataSource.isClosed()) return;
        try {
            optimize(0);
        } catch (RuntimeException e) {
            // Statistics are an optimisation; closing must not fail because of them.
        } finally {
            dataSource.close();
        }
    }
}
