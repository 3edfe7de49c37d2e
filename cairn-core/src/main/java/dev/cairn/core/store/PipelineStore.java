package dev.cairn.core.store;

import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.RunLogLine;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.tracking.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pipelines, their runs, steps, logs, lineage, trigger state and leases, in the metadata store's database so that
 * several servers on one PostgreSQL share them. Every method is one transaction; the ones that decide who does
 * something ({@link #createRunOnce}, {@link #claimRun}, {@link #acquireLease}) are atomic across processes, which is
 * what makes a scheduled run fire once with N servers. Every method throws
 * {@link dev.cairn.core.error.CairnException}: RESOURCE_DOES_NOT_EXIST for an unknown pipeline or run,
 * INVALID_STATE for a transition a run's state does not allow.
 */
public interface PipelineStore {

    // ---- definitions ----

    /**
     * Registers {@code specText} (whose hash is {@code sha256}) as the current version of pipeline {@code name},
     * creating the pipeline if needed. Registering the current version again changes nothing (not even
     * {@code updatedAt}). Every version stays readable by its hash.
     */
    PipelineDefinition putPipeline(String name, String specText, String sha256, String source, String actor);

    Optional<PipelineDefinition> getPipeline(String name);

    /** Every registered pipeline, by name. */
    List<PipelineDefinition> listPipelines();

    /** The text of a version of a pipeline's spec, if that version was ever registered or run. */
    Optional<String> specText(String name, String sha256);

    /** Pauses or resumes a pipeline's own triggers (schedules, data, alerts). */
    PipelineDefinition setPaused(String name, boolean paused, String actor);

    /** Removes the pipeline and its versions; its runs stay, for lineage and audit. */
    void deletePipeline(String name, String actor);

    // ---- runs ----

    /**
     * Stores a new QUEUED run (its {@code runId} is ignored: the store gives one) and returns it. The spec version
     * {@code run.specSha256()} must have been registered for its pipeline, or be given as {@code specText} (a run
     * of a spec file that is not registered, e.g. {@code cairn pipelines run file.yaml}); null when registered.
     */
    PipelineRun createRun(PipelineRun run, String specText);

    /**
     * Like {@link #createRun} but only when no run was ever created with this {@code fireKey} for the pipeline
     * (e.g. {@code schedule:0:2026-12-02T02:00:00Z}, {@code alert:credit-risk:input-drift:2026-12-01}): the key
     * is unique in the database, so two servers firing the same slot create one run. Empty when it existed.
     */
    Optional<PipelineRun> createRunOnce(PipelineRun run, String specText, String fireKey);

    PipelineRun getRun(String runId);

    /**
     * Runs, newest first; {@code pipeline} null for all pipelines, {@code states} empty for all states.
     */
    Page<PipelineRun> listRuns(String pipeline, Set<PipelineRunState> states, int maxResults, String pageToken);

    /**
     * Moves a QUEUED run to RUNNING, held by {@code owner}, if fewer than {@code maxRunning} runs of its pipeline
     * are RUNNING; atomically, so two runners never both take it nor exceed the limit. False when the run is no
     * longer queued or the limit is reached.
     */
    boolean claimRun(String runId, String owner, int maxRunning, Instant now);

    /** Records the tracked run of a claimed run. */
    void setTrackingRun(String runId, String trackingRunId);

    /**
     * Ends a run: {@code state} must be terminal, the run not already ended. {@code message} says why it failed or
     * was cancelled (null when it succeeded).
     */
    PipelineRun finishRun(String runId, PipelineRunState state, String message, Instant now);

    /** Asks a run to stop: a queued one is cancelled at once; a running one sees the flag at its next step. */
    PipelineRun requestCancel(String runId, String actor, Instant now);

    /** Marks every RUNNING run held by {@code owner} as alive at {@code now}. */
    void heartbeat(String owner, Instant now);

    /** RUNNING runs whose owner's last heartbeat is before {@code deadline}: their runner is gone. */
    List<PipelineRun> orphanedRuns(Instant deadline);

    /**
     * Takes over an orphaned run: if it is still RUNNING with a heartbeat before {@code deadline}, it is given to
     * {@code newOwner} (heartbeat {@code now}) and true is returned; false when someone else took it or it ended.
     */
    boolean adoptRun(String runId, String newOwner, Instant deadline, Instant now);

    // ---- steps ----

    /** Stores the step's state (insert or replace by run and step id). */
    void putStep(StepRun step);

    /** The steps of a run, in the order they were first stored. */
    List<StepRun> steps(String runId);

    /**
     * The newest step of the pipeline, in any run, that SUCCEEDED (or was CACHED) with this cache key: the one whose
     * outputs a step with the same key may reuse.
     */
    Optional<StepRun> findCached(String pipeline, String stepId, String cacheKey);

    // ---- logs ----

    /** Appends lines to a run's log; returns the seq of the last. */
    long appendLog(String runId, String stepId, String level, List<String> lines, Instant time);

    /** At most {@code max} lines of a run's log with seq greater than {@code afterSeq}, in order. */
    List<RunLogLine> logs(String runId, long afterSeq, int max);

    // ---- lineage ----

    void addLineage(List<LineageEdge> edges);

    /** The edges of one run, in the order recorded. */
    List<LineageEdge> lineageOfRun(String runId);

    /** Every edge naming this artifact URI, newest first: which runs produced or read it. */
    List<LineageEdge> lineageOfArtifact(String uri, int maxResults);

    // ---- trigger state ----

    /**
     * What a trigger last saw (a data source's fingerprint, the last schedule slot fired), by pipeline and key;
     * empty when never stored.
     */
    Optional<String> triggerState(String pipeline, String key);

    /**
     * Stores a trigger's state if it still holds {@code expected} (null: not stored yet): a compare-and-set, so of
     * two servers seeing the same change one moves it. True when stored.
     */
    boolean compareAndSetTriggerState(String pipeline, String key, String expected, String value, Instant now);

    // ---- leases ----

    /**
     * Takes or renews the lease {@code name} for {@code owner} until {@code now + ttl}: true when {@code owner}
     * holds it afterwards (it was free, expired, or already its own).
     */
    boolean acquireLease(String name, String owner, Duration ttl, Instant now);

    /** Gives the lease up if {@code owner} holds it. */
    void releaseLease(String name, String owner);
}
