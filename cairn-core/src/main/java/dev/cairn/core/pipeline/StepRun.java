package dev.cairn.core.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * One step of one pipeline run.
 *
 * @param runId         the pipeline run
 * @param stepId        the step's id in the spec
 * @param state         where it is
 * @param attempt       the attempt running or last run (1 for the first; 0 before any)
 * @param trackingRunId the step's child run in tracking (null when it never started)
 * @param cacheKey      the SHA-256 of what the step's result depends on (null for steps that are never cached)
 * @param cachedFrom    for a CACHED step, the pipeline run whose outputs it reused
 * @param outputsJson   its outputs as a JSON object ({@code {"rows": 1000, "table": "snapshot:..."}}), null before
 * @param startedAt     when its first attempt started
 * @param endedAt       when it ended
 * @param message       why it failed, was skipped or cancelled; what it reused
 */
public record StepRun(String runId, String stepId, StepState state, int attempt, String trackingRunId,
                      String cacheKey, String cachedFrom, String outputsJson, Instant startedAt, Instant endedAt,
                      String message) {
    public StepRun {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(state, "state");
    }

    public static StepRun pending(String runId, String stepId) {
        return new StepRun(runId, stepId, StepState.PENDING, 0, null, null, null, null, null, null, null);
    }
}
