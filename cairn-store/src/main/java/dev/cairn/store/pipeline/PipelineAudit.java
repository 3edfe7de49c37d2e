package dev.cairn.store.pipeline;

import dev.cairn.store.sql.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The append-only table of who changed a pipeline or stopped a run. Rows are inserted on the caller's connection, so
 * that they commit or roll back with the change they record; the database's triggers refuse updates and deletes.
 * The registry's audit_events holds model events only (its actions are a closed set of model actions), hence a table
 * of its own.
 */
final class PipelineAudit {

    /** What a row records. */
    enum Action { PIPELINE_REGISTERED, PIPELINE_PAUSED, PIPELINE_RESUMED, PIPELINE_DELETED, RUN_CANCEL_REQUESTED }

    private PipelineAudit() {}

    static void append(Connection connection, long timestamp, String actor, Action action, String pipeline, String runId,
                       String fromValue, String toValue) throws SQLException {
        Jdbc.update(connection, "INSERT INTO pipeline_events (timestamp, actor, action, pipeline, run_id, from_value, to_value)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", timestamp, actor, action.name(), pipeline, runId, fromValue, toValue);
    }
}
