package dev.cairn.bench.tracking;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A database under test: the URI Cairn's store opens, and a plain JDBC connection to the same
 * database, configured as the store configures its own, for the baselines and the bulk load.
 */
sealed interface Backend extends AutoCloseable {

    String name();

    /** What {@code Stores.openMetadata} is given. */
    String storeUri();

    Connection connect() throws SQLException;

    /** Brings planner statistics to the state a running server reaches on its own. */
    void analyze(Connection connection) throws SQLException;

    /** The prefix that makes the database explain how it runs a query (and, where it can, time it). */
    String explain();

    /** How the database was configured, for the report. */
    String settings();

    @Override
    void close() throws IOException;

    /** A SQLite file, with the pragmas of Cairn's store (WAL, synchronous=NORMAL). */
    record Sqlite(Path file) implements Backend {
        @Override
        public String name() {
            return "sqlite";
        }

        @Override
        public String storeUri() {
            return "sqlite:" + file.toAbsolutePath();
        }

        @Override
        public Connection connect() throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("journal_mode", "WAL");
            properties.setProperty("synchronous", "NORMAL");
            properties.setProperty("busy_timeout", "30000");
            properties.setProperty("foreign_keys", "true");
            return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), properties);
        }

        @Override
        public String explain() {
            return "EXPLAIN QUERY PLAN ";
        }

        @Override
        public void analyze(Connection connection) {
            // Cairn's store runs neither ANALYZE nor PRAGMA optimize, so SQLite plans without statistics.
        }

        @Override
        public String settings() {
            return "file on local disk, journal_mode=WAL, synchronous=NORMAL, no ANALYZE";
        }

        @Override
        public void close() {
            // The file is removed with the benchmark's temporary directory.
        }
    }

    /**
     * PostgreSQL started in process (zonky). synchronous_commit=off, as zonky's default, makes a
     * commit as durable as SQLite's WAL with synchronous=NORMAL: consistent after a crash, the
     * last commits possibly lost.
     */
    final class Postgres implements Backend {
        private final EmbeddedPostgres postgres;
        private final String collation;

        Postgres(Path directory) throws IOException {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(true)
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("shared_buffers", "128MB")
                    .start();
            try (Connection connection = connect(); var statement = connection.createStatement();
                 var row = statement.executeQuery("SELECT version(), datcollate FROM pg_database WHERE datname = current_database()")) {
                row.next();
                collation = row.getString(1).replaceAll(" on .*", "") + ", collation " + row.getString(2);
            } catch (SQLException e) {
                throw new IOException("cannot query the embedded PostgreSQL", e);
            }
        }

        @Override
        public String name() {
            return "postgresql";
        }

        @Override
        public String storeUri() {
            return "postgresql://postgres:postgres@localhost:" + postgres.getPort() + "/postgres";
        }

        @Override
        public Connection connect() throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", "postgres");
            properties.setProperty("password", "postgres");
            properties.setProperty("reWriteBatchedInserts", "true");
            return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", properties);
        }

        @Override
        public String explain() {
            return "EXPLAIN (ANALYZE, BUFFERS) ";
        }

        @Override
        public void analyze(Connection connection) throws SQLException {
            try (var statement = connection.createStatement()) {
                statement.execute("ANALYZE");
            }
        }

        @Override
        public String settings() {
            return collation + ", embedded (zonky), synchronous_commit=off, shared_buffers=128MB, ANALYZE after the bulk load";
        }

        @Override
        public void close() throws IOException {
            postgres.close();
        }
    }
}
