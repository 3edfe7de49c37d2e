package dev.cairn.server.mlflow;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server for a test class, with a fresh database per test so that tests
 * never see each other's experiments.
 */
final class EmbeddedPostgresFixture implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();

    private EmbeddedPostgresFixture(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedPostgresFixture start() {
        try {
            return new EmbeddedPostgresFixture(EmbeddedPostgres.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty database; returns its store URI. */
    String newDatabaseUri() {
        String name = "cairn_mlflow_" + databases.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return postgres.getJdbcUrl("postgres", name);
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
