package dev.cairn.store.pipeline;

import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.RunLogLine;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.store.sql.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Pipelines in the metadata database (SQLite or PostgreSQL): each part of the contract is a class of this package. */
public final class JdbcPipelineStore implements PipelineStore {

    private final PipelineDefinitions definitions;
    private final PipelineRuns runs;
    private final PipelineSteps steps;
    private final RunLogs logs;
    private final PipelineLineage lineage;
    private final TriggerStates triggerStates;
    private final PipelineLeases leases;

    public JdbcPipelineStore(Database database) {
        this.definitions = new PipelineDefinitions(database);
        this.runs = new PipelineRuns(database);
        this.steps = new PipelineSteps(database);
        this.logs = new RunLogs(database);
        this.lineage = new PipelineLineage(database);
        this.triggerStates = new TriggerStates(database);
        this.leases = new PipelineLeases(database);
    }

    @Override
    public PipelineDefinition putPipeline(String name, String specText, String sha256, String source, String actor) {
        return definitions.put(name, specText, sha256, source, actor);
    }

    @Override
    public Optional<PipelineDefinition> getPipeline(String name) {
        return definitions.get(name);
    }

    @Override
    public List<PipelineDefinition> listPipelines() {
        return definitions.list();
    }

    @Override
    public Optional<String> specText(String name, String sha256) {
        return definitions.specText(name, sha256);
    }

    @Override
    public PipelineDefinition setPaused(String name, boolean paused, String actor) {
        return definitions.setPaused(name, paused, actor);
    }

    @Override
    public void deletePipeline(String name, String actor) {
        definitions.delete(name, actor);
    }

    @Override
    public PipelineRun createRun(PipelineRun run, String specText) {
        return runs.create(run, specText, null).orElseThrow();
    }

    @Override
    public Optional<PipelineRun> createRunOnce(PipelineRun run, String specText, String fireKey) {
        PipelineValidation.name("fire_key", fireKey);
        return runs.create(run, specText, fireKey);
    }

    @Override
    public PipelineRun getRun(String runId) {
        return runs.get(runId);
    }

    @Override
    public Page<PipelineRun> listRuns(String pipeline, Set<PipelineRunState> states, int maxResults, String pageToken) {
        return runs.list(pipeline, states, maxResults, pageToken);
    }

    @Override
    public boolean claimRun(String runId, String owner, int maxRunning, Instant now) {
        return runs.claim(runId, owner, maxRunning, now);
    }

    @Override
    public void setTrackingRun(String runId, String trackingRunId) {
        runs.setTrackingRun(runId, trackingRunId);
    }

    @Override
    public PipelineRun finishRun(String runId, PipelineRunState state, String message, Instant now) {
        return runs.finish(runId, state, message, now);
    }

    @Override
    public PipelineRun requestCancel(String runId, String actor, Instant now) {
        return runs.requestCancel(runId, actor, now);
    }

    @Override
    public void heartbeat(String owner, Instant now) {
        runs.heartbeat(owner, now);
    }

    @Override
    public List<PipelineRun> orphanedRuns(Instant deadline) {
        return runs.orphaned(deadline);
    }

    @Override
    public boolean adoptRun(String runId, String newOwner, Instant deadline, Instant now) {
        return runs.adopt(runId, newOwner, deadline, now);
    }

    @Override
    public void putStep(StepRun step) {
        steps.put(step);
    }

    @Override
    public List<StepRun> steps(String runId) {
        return steps.steps(runId);
    }

    @Override
    public Optional<StepRun> findCached(String pipeline, String stepId, String cacheKey) {
        return steps.findCached(pipeline, stepId, cacheKey);
    }

    @Override
    public long appendLog(String runId, String stepId, String level, List<String> lines, Instant time) {
        return logs.append(runId, stepId, level, lines, time);
    }

    @Override
    public List<RunLogLine> logs(String runId, long afterSeq, int max) {
        return logs.read(runId, afterSeq, max);
    }

    @Override
    public void addLineage(List<LineageEdge> edges) {
        lineage.add(edges);
    }

    @Override
    public List<LineageEdge> lineageOfRun(String runId) {
        return lineage.ofRun(runId);
    }

    @Override
    public List<LineageEdge> lineageOfArtifact(String uri, int maxResults) {
        return lineage.ofArtifact(uri, maxResults);
    }

    @Override
    public Optional<String> triggerState(String pipeline, String key) {
        return triggerStates.get(pipeline, key);
    }

    @Override
    public boolean compareAndSetTriggerState(String pipeline, String key, String expected, String value, Instant now) {
        return triggerStates.compareAndSet(pipeline, key, expected, value, now);
    }

    @Override
    public boolean acquireLease(String name, String owner, Duration ttl, Instant now) {
        return leases.acquire(name, owner, ttl, now);
    }

    @Override
    public void releaseLease(String name, String owner) {
        leases.release(name, owner);
    }
}
