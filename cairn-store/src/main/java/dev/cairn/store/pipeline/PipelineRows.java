package dev.cairn.store.pipeline;

import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.RunLogLine;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.pipeline.StepState;
import dev.cairn.store.sql.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The columns each pipeline table is read with, and the records made of its rows. */
final class PipelineRows {

    static final String DEFINITION_COLUMNS = "p.name, p.sha256, s.spec_text, p.source, p.paused, p.created_at, p.updated_at,"
            + " p.updated_by";

    /** A pipeline with its current version's text. */
    static final String DEFINITION_FROM = " FROM pipelines p JOIN pipeline_specs s ON s.pipeline = p.name AND s.sha256 = p.sha256";

    static final String RUN_COLUMNS = "seq, run_id, pipeline, spec_sha256, state, trigger_type, cause, parameters, logical_time,"
            + " created_at, started_at, ended_at, tracking_run_id, owner, heartbeat_at, cancel_requested, code_version, actor,"
            + " message";

    static final String STEP_COLUMNS = "run_id, step_id, state, attempt, tracking_run_id, cache_key, cached_from, outputs_json,"
            + " started_at, ended_at, message";

    static final String LOG_COLUMNS = "run_id, seq, step_id, logged_at, level, message";

    static final String LINEAGE_COLUMNS = "run_id, step_id, direction, kind, uri, sha256, recorded_at";

    /** A run with its position in the listing order, for page tokens. */
    record RunRow(long seq, PipelineRun run) {}

    private PipelineRows() {}

    static PipelineDefinition definition(ResultSet row) throws SQLException {
        return new PipelineDefinition(row.getString("name"), row.getString("sha256"), row.getString("spec_text"),
                row.getString("source"), row.getInt("paused") != 0, instant(row, "created_at"), instant(row, "updated_at"),
                row.getString("updated_by"));
    }

    static RunRow runRow(ResultSet row) throws SQLException {
        return new RunRow(row.getLong("seq"), run(row));
    }

    static PipelineRun run(ResultSet row) throws SQLException {
        return new PipelineRun(row.getString("run_id"), row.getString("pipeline"), row.getString("spec_sha256"),
                PipelineRunState.valueOf(row.getString("state")), row.getString("trigger_type"), row.getString("cause"),
                ParameterJson.read(row.getString("parameters")), instant(row, "logical_time"), instant(row, "created_at"),
                instant(row, "started_at"), instant(row, "ended_at"), row.getString("tracking_run_id"), row.getString("owner"),
                instant(row, "heartbeat_at"), row.getInt("cancel_requested") != 0, row.getString("code_version"),
                row.getString("actor"), row.getString("message"));
    }

    static StepRun step(ResultSet row) throws SQLException {
        return new StepRun(row.getString("run_id"), row.getString("step_id"), StepState.valueOf(row.getString("state")),
                row.getInt("attempt"), row.getString("tracking_run_id"), row.getString("cache_key"), row.getString("cached_from"),
                row.getString("outputs_json"), instant(row, "started_at"), instant(row, "ended_at"), row.getString("message"));
    }

    static RunLogLine log(ResultSet row) throws SQLException {
        return new RunLogLine(row.getString("run_id"), row.getLong("seq"), row.getString("step_id"), instant(row, "logged_at"),
                row.getString("level"), row.getString("message"));
    }

    static LineageEdge lineage(ResultSet row) throws SQLException {
        return new LineageEdge(row.getString("run_id"), row.getString("step_id"),
                LineageEdge.Direction.valueOf(row.getString("direction")), row.getString("kind"), row.getString("uri"),
                row.getString("sha256"), instant(row, "recorded_at"));
    }

    static Long millis(Instant time) {
        return time == null ? null : time.toEpochMilli();
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Long millis = Jdbc.nullableLong(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
