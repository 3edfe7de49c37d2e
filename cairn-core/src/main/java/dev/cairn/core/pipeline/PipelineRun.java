package dev.cairn.core.pipeline;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a pipeline.
 *
 * @param runId          the store's id (also the id of its tracked run once one exists: see {@code trackingRunId})
 * @param pipeline       the pipeline's name
 * @param specSha256     the spec version it runs
 * @param state          where it is
 * @param trigger        what started it: {@code schedule}, {@code data}, {@code alert}, {@code ci}, {@code manual},
 *                       {@code resume}
 * @param cause          why, for people and lineage: the cron time, the fingerprint change, the alert, the commit
 * @param parameters     the parameters it runs with (the spec's defaults overridden by the caller)
 * @param logicalTime    the time the run is for: a schedule's slot, else when it was created; steps see it as
 *                       {@code ${run.time}} (a simulated clock sets it)
 * @param createdAt      when it was queued
 * @param startedAt      when a runner claimed it (null while queued)
 * @param endedAt        when it ended (null until then)
 * @param trackingRunId  the tracked run holding its child runs (null until started)
 * @param owner          the runner holding it while RUNNING (a server instance), else null
 * @param heartbeatAt    the owner's last sign of life; a RUNNING run whose owner stopped beating is recovered
 * @param cancelRequested whether someone asked it to stop
 * @param codeVersion    the git commit of the project directory, or the commit a CI caller gave; null when unknown
 * @param actor          who started it
 * @param message        why it failed or was cancelled; null otherwise
 */
public record PipelineRun(String runId, String pipeline, String specSha256, PipelineRunState state, String trigger,
                          String cause, Map<String, String> parameters, Instant logicalTime, Instant createdAt,
                          Instant startedAt, Instant endedAt, String trackingRunId, String owner, Instant heartbeatAt,
                          boolean cancelRequested, String codeVersion, String actor, String message) {
    public PipelineRun {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(specSha256, "specSha256");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(trigger, "trigger");
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A new queued run; the store gives it its id. */
    public static PipelineRun queued(String pipeline, String specSha256, String trigger, String cause,
                                     Map<String, String> parameters, Instant logicalTime, Instant now,
                                     String codeVersion, String actor) {
        return new PipelineRun(null, pipeline, specSha256, PipelineRunState.QUEUED, trigger, cause, parameters,
                logicalTime == null ? now : logicalTime, now, null, null, null, null, null, false, codeVersion, actor, null);
    }

    public PipelineRun withId(String id) {
        return new PipelineRun(id, pipeline, specSha256, state, trigger, cause, parameters, logicalTime, createdAt,
                startedAt, endedAt, trackingRunId, owner, heartbeatAt, cancelRequested, codeVersion, actor, message);
    }
}
