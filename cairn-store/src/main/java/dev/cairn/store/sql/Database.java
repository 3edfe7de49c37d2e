package dev.cairn.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(dialect.migrationLocation())
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            dataSource.close();
            throw new CairnException(ErrorCode.INTERNAL_ERROR,
                    "Cannot migrate the metadata store schema at " + redacted(config.getJdbcUrl()) + ": " + rootMessage(e), e);
        }
        return new Database(dialect, dataSource, writeLock);
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
        dataSource.close();
    }
}
