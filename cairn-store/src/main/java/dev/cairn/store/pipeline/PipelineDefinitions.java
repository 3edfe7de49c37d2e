package dev.cairn.store.pipeline;

import static dev.cairn.store.pipeline.PipelineRows.DEFINITION_COLUMNS;
import static dev.cairn.store.pipeline.PipelineRows.DEFINITION_FROM;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.store.pipeline.PipelineAudit.Action;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Dialect;
import dev.cairn.store.sql.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Registered pipelines and the versions of their specs. Every change to a pipeline first locks its row (PostgreSQL;
 * SQLite runs one writer at a time), so that changes to one pipeline happen one after the other. A version a run
 * uses is flagged in the run's transaction ({@link #useSpec}); deleting the pipeline keeps the flagged versions.
 */
final class PipelineDefinitions {

    private final Database database;

    PipelineDefinitions(Database database) {
        this.database = database;
    }

    PipelineDefinition put(String name, String specText, String sha256, String source, String actor) {
        PipelineValidation.name("name", name);
        PipelineValidation.specText(specText, sha256);
        return database.write(connection -> {
            Optional<String> current = lockedVersion(connection, database.dialect(), name);
            if (current.isPresent() && current.get().equals(sha256)) return find(connection, name).orElseThrow();
            long now = System.currentTimeMillis();
            storeSpec(connection, name, sha256, specText, now);
            // The upsert settles a race between two first registrations (there is no row to lock yet): the second
            // waits for the first and changes nothing when it registers the same version.
            int changed = Jdbc.update(connection, "INSERT INTO pipelines (name, sha256, source, paused, created_at, updated_at, updated_by)"
                            + " VALUES (?, ?, ?, 0, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256,"
                            + " source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by"
                            + " WHERE pipelines.sha256 <> excluded.sha256",
                    name, sha256, source, now, now, actor);
            if (changed == 1) {
                PipelineAudit.append(connection, now, actor, Action.PIPELINE_REGISTERED, name, null, current.orElse(null), sha256);
            }
            return find(connection, name).orElseThrow();
        });
    }

    Optional<PipelineDefinition> get(String name) {
        PipelineValidation.name("name", name);
        return database.read(connection -> find(connection, name));
    }

    List<PipelineDefinition> list() {
        return database.read(connection -> Jdbc.query(connection, "SELECT " + DEFINITION_COLUMNS + DEFINITION_FROM + " ORDER BY p.name",
                PipelineRows::definition));
    }

    Optional<String> specText(String name, String sha256) {
        PipelineValidation.name("name", name);
        if (sha256 == null) throw CairnException.invalid("sha256", null, "a SHA-256 in lower-case hex (64 characters)");
        return database.read(connection -> Jdbc.queryOne(connection,
                "SELECT spec_text FROM pipeline_specs WHERE pipeline = ? AND sha256 = ?", row -> row.getString(1), name, sha256));
    }

    PipelineDefinition setPaused(String name, boolean paused, String actor) {
        PipelineValidation.name("name", name);
        return database.write(connection -> {
            PipelineDefinition existing = require(connection, name);
            if (existing.paused() == paused) return existing;
            // Not updated_at/updated_by: those say who registered the current version.
            Jdbc.update(connection, "UPDATE pipelines SET paused = ? WHERE name = ?", paused, name);
            PipelineAudit.append(connection, System.currentTimeMillis(), actor,
                    paused ? Action.PIPELINE_PAUSED : Action.PIPELINE_RESUMED, name, null, null, null);
            return find(connection, name).orElseThrow();
        });
    }

    /**
     * Removes the pipeline, its trigger state (by the foreign key's cascade) and the versions no run used. The
     * versions runs used stay, so that {@code specText} still answers for every run, as the runs themselves do.
     */
    void delete(String name, String actor) {
        PipelineValidation.name("name", name);
        database.write(connection -> {
            PipelineDefinition existing = require(connection, name);
            // A run being created at the same time flags its version by an UPDATE: PostgreSQL waits for it and
            // re-checks the flag, so the version is either kept or already gone when that run looks for it.
            Jdbc.update(connection, "DELETE FROM pipeline_specs WHERE pipeline = ? AND used_by_runs = 0", name);
            Jdbc.update(connection, "DELETE FROM pipelines WHERE name = ?", name);
            PipelineAudit.append(connection, System.currentTimeMillis(), actor, Action.PIPELINE_DELETED, name, null,
                    existing.sha256(), null);
            return null;
        });
    }

    /** Stores a version's text; a version stored before is the same text (its hash says so). */
    private static void storeSpec(Connection connection, String pipeline, String sha256, String specText, long now) throws SQLException {
        Jdbc.update(connection, "INSERT INTO pipeline_specs (pipeline, sha256, spec_text, created_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (pipeline, sha256) DO NOTHING", pipeline, sha256, specText, now);
    }

    /**
     * Marks a version as used by a run, storing its text first when given; false when no text is given and the
     * version is not stored (never was, or its pipeline's deletion removed it before this transaction saw it).
     */
    static boolean useSpec(Connection connection, String pipeline, String sha256, String specText, long now) throws SQLException {
        if (specText != null) {
            Jdbc.update(connection, "INSERT INTO pipeline_specs (pipeline, sha256, spec_text, created_at, used_by_runs) VALUES (?, ?, ?, ?, 1)"
                    + " ON CONFLICT (pipeline, sha256) DO UPDATE SET used_by_runs = 1", pipeline, sha256, specText, now);
            return true;
        }
        return Jdbc.update(connection, "UPDATE pipeline_specs SET used_by_runs = 1 WHERE pipeline = ? AND sha256 = ?", pipeline, sha256) == 1;
    }

    static boolean specStored(Connection connection, String pipeline, String sha256) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT 1 FROM pipeline_specs WHERE pipeline = ? AND sha256 = ?", row -> true,
                pipeline, sha256).isPresent();
    }

    /** Whether a pipeline of this name is registered (without locking it). */
    static boolean exists(Connection connection, String name) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT 1 FROM pipelines WHERE name = ?", row -> true, name).isPresent();
    }

    /** The current version of a registered pipeline, its row locked until the transaction ends; empty when unknown. */
    static Optional<String> lockedVersion(Connection connection, Dialect dialect, String name) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT sha256 FROM pipelines WHERE name = ?" + dialect.forUpdate(),
                row -> row.getString(1), name);
    }

    private PipelineDefinition require(Connection connection, String name) throws SQLException {
        if (lockedVersion(connection, database.dialect(), name).isEmpty()) throw CairnException.notFound("pipeline", name);
        return find(connection, name).orElseThrow();
    }

    private static Optional<PipelineDefinition> find(Connection connection, String name) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT " + DEFINITION_COLUMNS + DEFINITION_FROM + " WHERE p.name = ?",
                PipelineRows::definition, name);
    }
}
