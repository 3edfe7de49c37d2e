package dev.cairn.store.pipeline;

import dev.cairn.core.error.CairnException;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import java.time.Instant;
import java.util.Optional;

/**
 * What each trigger of a pipeline last saw, changed only by compare-and-set: the conditional INSERT or UPDATE
 * reports one changed row to exactly one of several servers seeing the same change.
 */
final class TriggerStates {

    private final Database database;

    TriggerStates(Database database) {
        this.database = database;
    }

    Optional<String> get(String pipeline, String key) {
        PipelineValidation.name("pipeline", pipeline);
        PipelineValidation.name("key", key);
        return database.read(connection -> {
            Optional<String> value = Jdbc.queryOne(connection, "SELECT value FROM pipeline_trigger_state WHERE pipeline = ? AND key = ?",
                    row -> row.getString(1), pipeline, key);
            if (value.isEmpty() && Jdbc.queryOne(connection, "SELECT 1 FROM pipelines WHERE name = ?", row -> true, pipeline).isEmpty()) {
                throw CairnException.notFound("pipeline", pipeline);
            }
            return value;
        });
    }

    boolean compareAndSet(String pipeline, String key, String expected, String value, Instant now) {
        PipelineValidation.name("pipeline", pipeline);
        PipelineValidation.name("key", key);
        if (expected != null) PipelineValidation.text("expected", expected);
        PipelineValidation.text("value", value);
        PipelineValidation.time("now", now);
        return database.write(connection -> {
            // Locks the pipeline's row: a deletion (which takes the state with it) cannot slip in between.
            if (PipelineDefinitions.lockedVersion(connection, database.dialect(), pipeline).isEmpty()) {
                throw CairnException.notFound("pipeline", pipeline);
            }
            int stored = expected == null
                    ? Jdbc.update(connection, "INSERT INTO pipeline_trigger_state (pipeline, key, value, updated_at) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (pipeline, key) DO NOTHING", pipeline, key, value, now.toEpochMilli())
                    : Jdbc.update(connection, "UPDATE pipeline_trigger_state SET value = ?, updated_at = ?"
                            + " WHERE pipeline = ? AND key = ? AND value = ?", value, now.toEpochMilli(), pipeline, key, expected);
            return stored == 1;
        });
    }
}
