package dev.cairn.store.pipeline;

import static dev.cairn.store.pipeline.PipelineRows.STEP_COLUMNS;
import static dev.cairn.store.pipeline.PipelineRows.millis;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import java.util.List;
import java.util.Optional;

/** The steps of runs, kept in the order they were first stored, and the cache lookup over them. */
final class PipelineSteps {

    private final Database database;

    PipelineSteps(Database database) {
        this.database = database;
    }

    void put(StepRun step) {
        if (step == null) throw CairnException.invalid("step", null, "a step run");
        PipelineValidation.name("run_id", step.runId());
        PipelineValidation.name("step_id", step.stepId());
        PipelineValidation.optionalName("cache_key", step.cacheKey());
        if (step.attempt() < 0) throw CairnException.invalid("attempt", step.attempt(), "0 or more");
        String message = PipelineValidation.freeText(step.message());
        database.write(connection -> {
            // The run's row lock orders concurrent first stores of one run's steps, so each gets the next seq.
            String pipeline = PipelineRuns.pipelineOf(connection, database.dialect(), step.runId(), true);
            int updated = Jdbc.update(connection, "UPDATE pipeline_steps SET state = ?, attempt = ?, tracking_run_id = ?, cache_key = ?,"
                            + " cached_from = ?, outputs_json = ?, started_at = ?, ended_at = ?, message = ? WHERE run_id = ? AND step_id = ?",
                    step.state().name(), step.attempt(), step.trackingRunId(), step.cacheKey(), step.cachedFrom(), step.outputsJson(),
                    millis(step.startedAt()), millis(step.endedAt()), message, step.runId(), step.stepId());
            if (updated == 0) {
                long seq = Jdbc.queryOne(connection, "SELECT COALESCE(MAX(seq), 0) + 1 FROM pipeline_steps WHERE run_id = ?",
                        row -> row.getLong(1), step.runId()).orElse(1L);
                Jdbc.update(connection, "INSERT INTO pipeline_steps (run_id, step_id, seq, pipeline, state, attempt, tracking_run_id,"
                                + " cache_key, cached_from, outputs_json, started_at, ended_at, message)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        step.runId(), step.stepId(), seq, pipeline, step.state().name(), step.attempt(), step.trackingRunId(),
                        step.cacheKey(), step.cachedFrom(), step.outputsJson(), millis(step.startedAt()), millis(step.endedAt()), message);
            }
            return null;
        });
    }

    List<StepRun> steps(String runId) {
        PipelineValidation.name("run_id", runId);
        return database.read(connection -> {
            PipelineRuns.pipelineOf(connection, database.dialect(), runId, false);
            return Jdbc.query(connection, "SELECT " + STEP_COLUMNS + " FROM pipeline_steps WHERE run_id = ? ORDER BY seq",
                    PipelineRows::step, runId);
        });
    }

    /**
     * The newest reusable step by end time (one without an end time last). A pipeline that is not registered (any
     * more) may still have cached steps from its runs, so an unknown name finds nothing rather than failing.
     */
    Optional<StepRun> findCached(String pipeline, String stepId, String cacheKey) {
        PipelineValidation.name("pipeline", pipeline);
        PipelineValidation.name("step_id", stepId);
        PipelineValidation.name("cache_key", cacheKey);
        return database.read(connection -> Jdbc.queryOne(connection, "SELECT " + STEP_COLUMNS + " FROM pipeline_steps"
                        + " WHERE pipeline = ? AND step_id = ? AND cache_key = ? AND state IN ('SUCCEEDED', 'CACHED')"
                        + " ORDER BY ended_at DESC NULLS LAST, run_id DESC LIMIT 1",
                PipelineRows::step, pipeline, stepId, cacheKey));
    }
}
