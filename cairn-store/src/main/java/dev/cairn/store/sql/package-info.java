/**
 * The metadata store over SQL: {@link dev.cairn.store.sql.Database} (HikariCP pool, Flyway
 * migrations, transactions; SQLite in WAL mode with writers queued inside the process) and the
 * providers for the {@code sqlite} and {@code postgresql} schemes.
 */
package dev.cairn.store.sql;
