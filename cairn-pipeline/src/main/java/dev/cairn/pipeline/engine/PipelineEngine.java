package dev.cairn.pipeline.engine;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.pipeline.StepState;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.pipeline.spec.Concurrency;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.Reference;
import dev.cairn.pipeline.spec.Step;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pipelines: queues a run ({@link #submit}), claims it within the pipeline's concurrency limit, then runs its
 * steps in dependency order ({@link #execute}). Each run is a tracked run with a child run per step; each step's
 * state, outputs, log and lineage go to the {@link PipelineStore} as it goes, so a run can be followed while it runs
 * and resumed after its runner died ({@link #recoverOrphans}).
 *
 * <p>Per step: its references are resolved from parameters, upstream outputs and the run; a false condition skips
 * it (and its dependents); a cached type whose cache key matches an earlier success reuses that step's outputs; else
 * its runner runs, in its own thread so a timeout can stop it, retried with back-off when it fails for a reason
 * that may pass (never for a {@link CairnException} the user must fix). The first step that fails ends the run:
 * the steps after it are cancelled, not run.
 *
 * <p>Steps of one run run one after another: the pipelines this engine runs are short DAGs whose steps mostly
 * depend on each other, and one at a time keeps a run's log, resource use and failure handling simple.
 */
public final class PipelineEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineEngine.class);

    /** How often a runner tells the store its runs are alive. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** A RUNNING run whose runner has not beaten for this long is taken over. */
    public static final Duration ORPHAN_AFTER = Duration.ofSeconds(60);
    /** How long a step that timed out or was cancelled is given to stop before the engine goes on without it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int MAX_TAG = 5000;

    private final PipelineStore store;
    private final PipelineServices services;
    private final StepRunners runners;
    private final String owner;
    private final java.util.concurrent.ExecutorService stepThreads =
            java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cairn-step-", 0).factory());
    private final java.util.concurrent.ScheduledExecutorService heartbeats =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("cairn-pipeline-heartbeat").factory());

    /**
     * @param owner who this runner is to the store (a server instance's id); two engines never share one
     */
    public PipelineEngine(PipelineStore store, PipelineServices services, StepRunners runners, String owner) {
        this.store = java.util.Objects.requireNonNull(store, "store");
        this.services = java.util.Objects.requireNonNull(services, "services");
        this.runners = java.util.Objects.requireNonNull(runners, "runners");
        this.owner = java.util.Objects.requireNonNull(owner, "owner");
        long beat = HEARTBEAT.toMillis();
        heartbeats.scheduleAtFixedRate(this::beat, beat, beat, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public PipelineStore store() {
        return store;
    }

    public PipelineServices services() {
        return services;
    }

    public String owner() {
        return owner;
    }

    // ---- submitting ----

    /**
     * Checks that every step can run here and the parameters are complete, then queues a run. With a fire key, a
     * second submission of the same key (another server, a restart) returns empty. The pipeline's concurrency
     * policy applies: {@code skip} records the run as cancelled when the limit is reached, {@code cancel_running}
     * asks the oldest running run to stop.
     */
    public Optional<PipelineRun> submit(PipelineSpec spec, RunRequest request) {
        requireRunnable(spec);
        Map<String, String> parameters = parameters(spec, request.parameters());
        Instant now = services.clock().instant();
        String code = request.codeVersion() != null ? request.codeVersion()
                : CodeVersion.of(services.workspace().directory()).orElse(null);
        String actor = request.actor() == null ? services.tracking().user() : request.actor();
        PipelineRun queued = PipelineRun.queued(spec.name(), spec.sha256(), request.trigger(), request.cause(),
                parameters, request.logicalTime(), now, code, actor);
        String specText = registered(spec) ? null : spec.text();
        Optional<PipelineRun> created = request.fireKey() == null
                ? Optional.of(store.createRun(queued, specText))
                : store.createRunOnce(queued, specText, request.fireKey());
        if (created.isEmpty()) return created;
        PipelineRun run = created.get();
        List<PipelineRun> running = store.listRuns(spec.name(), Set.of(PipelineRunState.RUNNING), Concurrency.MAX_RUNS, null).items();
        if (running.size() >= spec.concurrency().maxRuns()) {
            switch (spec.concurrency().onConflict()) {
                case QUEUE -> log(run.runId(), null, "INFO", "Queued behind " + running.size() + " running run(s) of " + spec.name());
                case SKIP -> {
                    String why = "skipped: " + running.size() + " run(s) of " + spec.name() + " already running (concurrency: skip)";
                    log(run.runId(), null, "INFO", why);
                    return Optional.of(store.finishRun(run.runId(), PipelineRunState.CANCELLED, why, now));
                }
                case CANCEL_RUNNING -> {
                    PipelineRun oldest = running.getLast();
                    store.requestCancel(oldest.runId(), actor, now);
                    log(oldest.runId(), null, "WARN", "Cancel requested: run " + run.runId() + " replaces it (concurrency: cancel_running)");
                }
            }
        }
        return Optional.of(run);
    }

    /** Submits, then runs it here at once if the concurrency limit allows (else it stays queued and is returned). */
    public PipelineRun run(PipelineSpec spec, RunRequest request, RunListener listener) {
        PipelineRun run = submit(spec, request).orElseThrow(() -> new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS,
                "A run of " + spec.name() + " with key " + request.fireKey() + " exists already"));
        if (run.state().terminal()) return run;
        return tryExecute(run.runId(), spec, listener).orElse(store.getRun(run.runId()));
    }

    /** Claims a queued run and runs it to its end here; empty when it is no longer queued or the limit is reached. */
    public Optional<PipelineRun> tryExecute(String runId, PipelineSpec spec, RunListener listener) {
        if (!store.claimRun(runId, owner, spec.concurrency().maxRuns(), services.clock().instant())) return Optional.empty();
        return Optional.of(execute(store.getRun(runId), spec, listener));
    }

    /** The spec a run ran or runs: the version it recorded, parsed. */
    public PipelineSpec specOf(PipelineRun run) {
        String text = store.specText(run.pipeline(), run.specSha256()).orElseThrow(() -> new CairnException(ErrorCode.DATA_LOSS,
                "The spec version " + run.specSha256() + " of run " + run.runId() + " is not stored"));
        // Named by the registered file, so its relative paths resolve where they did when the run started.
        String source = store.getPipeline(run.pipeline()).map(PipelineDefinition::source).orElse(run.pipeline() + ".yaml");
        return PipelineSpec.parse(text, source);
    }

    /**
     * Takes over the RUNNING runs whose runner stopped beating (a killed server) and resumes each from its last
     * completed step (the step that was running is run again as a new attempt); with {@code resume} false they
     * are marked failed instead. Returns the runs taken over, as they ended.
     */
    public List<PipelineRun> recoverOrphans(boolean resume, RunListener listener) {
        Instant now = services.clock().instant();
        Instant deadline = now.minus(ORPHAN_AFTER);
        List<PipelineRun> recovered = new ArrayList<>();
        for (PipelineRun orphan : store.orphanedRuns(deadline)) {
            if (!store.adoptRun(orphan.runId(), owner, deadline, now)) continue;
            String was = orphan.owner();
            log(orphan.runId(), null, "WARN", "Its runner (" + was + ") stopped; " + (resume ? "resumed" : "failed") + " by " + owner);
            if (!resume) {
                closeInterruptedSteps(orphan, "its runner (" + was + ") stopped");
                recovered.add(finish(orphan.runId(), PipelineRunState.FAILED, "its runner (" + was + ") stopped during the run", listener));
                continue;
            }
            try {
                recovered.add(execute(store.getRun(orphan.runId()), specOf(orphan), listener));
            } catch (RuntimeException e) {
                LOG.error("Cannot resume pipeline run {}", orphan.runId(), e);
                recovered.add(finish(orphan.runId(), PipelineRunState.FAILED, "could not be resumed: " + e.getMessage(), listener));
            }
        }
        return recovered;
    }

    // ---- running ----

    /** Runs the steps of a run this engine holds, in order; steps that ended in an earlier attempt of the run are kept. */
    public PipelineRun execute(PipelineRun run, PipelineSpec spec, RunListener listener) {
        RunListener events = listener == null ? RunListener.NONE : listener;
        try {
            requireRunnable(spec);
            String trackingRunId = run.trackingRunId() != null ? run.trackingRunId() : startTrackedRun(run, spec);
            run = store.getRun(run.runId());
            events.runStarted(run);
            StepContext.RunInfo info = new StepContext.RunInfo(run.pipeline(), run.runId(), run.logicalTime(),
                    run.trigger(), run.cause(), run.codeVersion(), run.actor());
            // Everything the run records (runs, versions, aliases) is recorded as whoever started it.
            PipelineServices runServices = services.withWorkspace(services.workspace().forSpec(spec.source()))
                    .withTracking(run.actor() == null ? services.tracking() : services.tracking().as(run.actor()));
            Map<String, StepRun> steps = new LinkedHashMap<>();
            for (StepRun s : store.steps(run.runId())) steps.put(s.stepId(), s);
            for (Step step : spec.order()) {
                if (!steps.containsKey(step.id())) {
                    StepRun pending = StepRun.pending(run.runId(), step.id());
                    store.putStep(pending);
                    steps.put(step.id(), pending);
                }
            }
            Map<String, Map<String, Object>> outputs = new LinkedHashMap<>();
            String failure = null;
            boolean cancelled = false;
            for (Step step : spec.order()) {
                StepRun state = steps.get(step.id());
                if (state.state().producedOutputs()) {
                    outputs.put(step.id(), EngineJson.readOutputs(state.outputsJson()));
                    continue;
                }
                if (state.state() == StepState.SKIPPED) continue;
                if (failure != null || cancelled) {
                    steps.put(step.id(), end(state, StepState.CANCELLED, null, failure != null ? "not run: " + failure : "not run: the run was cancelled", events));
                    continue;
                }
                if (cancelRequested(run.runId())) {
                    cancelled = true;
                    steps.put(step.id(), end(state, StepState.CANCELLED, null, "not run: the run was cancelled", events));
                    continue;
                }
                StepRun ended = runStep(runServices, info, spec, step, state, steps, outputs, trackingRunId, events);
                steps.put(step.id(), ended);
                if (ended.state().producedOutputs()) outputs.put(step.id(), EngineJson.readOutputs(ended.outputsJson()));
                else if (ended.state() == StepState.FAILED) failure = "step " + step.id() + " failed: " + ended.message();
                else if (ended.state() == StepState.CANCELLED) cancelled = true;
            }
            PipelineRunState end = failure != null ? PipelineRunState.FAILED : cancelled ? PipelineRunState.CANCELLED : PipelineRunState.SUCCEEDED;
            endTrackedRun(trackingRunId, end, failure);
            return finish(run.runId(), end, failure != null ? failure : cancelled ? "cancelled" : null, events);
        } catch (RuntimeException e) {
            LOG.error("Pipeline run {} of {} failed in the engine", run.runId(), run.pipeline(), e);
            String why = "the engine failed: " + describe(e);
            try {
                PipelineRun now = store.getRun(run.runId());
                if (now.state().terminal()) return now;
                closeInterruptedSteps(now, why);
                if (now.trackingRunId() != null) endTrackedRun(now.trackingRunId(), PipelineRunState.FAILED, why);
                return finish(run.runId(), PipelineRunState.FAILED, why, events);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                throw e;
            }
        }
    }

    private StepRun runStep(PipelineServices runServices, StepContext.RunInfo info, PipelineSpec spec, Step step, StepRun state, Map<String, StepRun> steps,
                            Map<String, Map<String, Object>> outputs, String parentRunId, RunListener events) {
        if (state.state() == StepState.RUNNING && state.trackingRunId() != null) {
            // Left running by a runner that died: its attempt is over.
            failChildRun(state.trackingRunId(), RunStatus.KILLED, "its runner stopped during the attempt");
        }
        for (String need : spec.upstream(step.id())) {
            StepRun upstream = steps.get(need);
            if (upstream != null && upstream.state() == StepState.SKIPPED) {
                return end(state, StepState.SKIPPED, null, "skipped: it needs " + need + ", which was skipped", events);
            }
        }
        Function<Reference, Object> values = reference -> value(reference, info, spec, outputs);
        Map<String, Object> with;
        try {
            if (step.condition() != null && !step.condition().evaluate(values)) {
                return end(state, StepState.SKIPPED, null, "skipped: its condition is false (" + step.condition().text() + ")", events);
            }
            with = step.resolveWith(values);
        } catch (CairnException e) {
            return end(state, StepState.FAILED, null, e.getMessage(), events);
        }
        StepRunner runner = runners.get(step.type());
        String cacheKey = null;
        if (step.cache()) {
            StepContext probe = new StepContext(info, step, with, null, 0, runServices, runServices.scratch(), NO_SINK, () -> false);
            try {
                cacheKey = CacheKeys.of(step, with, runServices.workspace(), info.codeVersion(), runner.cacheKeyParts(probe));
            } catch (RuntimeException e) {
                return end(state, StepState.FAILED, null, describe(e), events);
            }
            Optional<StepRun> hit = store.findCached(info.pipeline(), step.id(), cacheKey);
            if (hit.isPresent()) return reuse(info, step, state, hit.get(), cacheKey, parentRunId, events);
        }
        return attempts(runServices, info, step, state, with, cacheKey, parentRunId, events);
    }

    private StepRun reuse(StepContext.RunInfo info, Step step, StepRun state, StepRun hit, String cacheKey, String parentRunId,
                          RunListener events) {
        Instant now = services.clock().instant();
        String childRunId = startChildRun(info, step, parentRunId, Map.of(), Map.of("cairn.pipeline.cached_from", hit.runId()));
        List<LineageEdge> edges = new ArrayList<>();
        for (LineageEdge e : store.lineageOfRun(hit.runId())) {
            if (e.stepId().equals(step.id())) edges.add(new LineageEdge(info.runId(), step.id(), e.direction(), e.kind(), e.uri(), e.sha256(), now));
        }
        if (!edges.isEmpty()) store.addLineage(edges);
        String message = "cached: inputs, parameters and code unchanged since run " + hit.runId() + "; its outputs are reused";
        log(info.runId(), step.id(), "INFO", message);
        tagOutputs(childRunId, EngineJson.readOutputs(hit.outputsJson()));
        services.tracking().runs().updateRun(childRunId, RunStatus.FINISHED, now.toEpochMilli(), null);
        StepRun cached = new StepRun(info.runId(), step.id(), StepState.CACHED, state.attempt(), childRunId, cacheKey, hit.runId(),
                hit.outputsJson(), now, now, message);
        store.putStep(cached);
        events.stepChanged(cached);
        return cached;
    }

    private StepRun attempts(PipelineServices runServices, StepContext.RunInfo info, Step step, StepRun state, Map<String, Object> with, String cacheKey,
                             String parentRunId, RunListener events) {
        Instant started = services.clock().instant();
        int first = state.attempt() + 1;
        int last = state.attempt() + step.retry().attempts();
        String message = null;
        for (int attempt = first; attempt <= last; attempt++) {
            if (attempt > first) {
                Duration wait = step.retry().delayBefore(attempt - state.attempt());
                log(info.runId(), step.id(), "INFO", "Attempt " + (attempt - state.attempt()) + " of " + step.retry().attempts()
                        + " in " + wait.toMillis() + " ms");
                if (!sleep(info.runId(), wait)) {
                    return end(current(info.runId(), step.id()), StepState.CANCELLED, null, "cancelled while waiting to retry", events);
                }
            }
            String childRunId = startChildRun(info, step, parentRunId, with, Map.of("cairn.pipeline.attempt", String.valueOf(attempt)));
            StepRun running = new StepRun(info.runId(), step.id(), StepState.RUNNING, attempt, childRunId, cacheKey, null, null,
                    started, null, null);
            store.putStep(running);
            events.stepChanged(running);
            Attempt outcome = attempt(runServices, info, step, with, childRunId, attempt, events);
            Instant now = services.clock().instant();
            switch (outcome) {
                case Attempt.Succeeded ok -> {
                    tagOutputs(childRunId, ok.outputs());
                    services.tracking().runs().updateRun(childRunId, RunStatus.FINISHED, now.toEpochMilli(), null);
                    StepRun done = new StepRun(info.runId(), step.id(), StepState.SUCCEEDED, attempt, childRunId, cacheKey, null,
                            EngineJson.write(ok.outputs()), started, now, null);
                    store.putStep(done);
                    events.stepChanged(done);
                    return done;
                }
                case Attempt.Stopped stopped -> {
                    failChildRun(childRunId, RunStatus.KILLED, stopped.reason());
                    return end(running, StepState.CANCELLED, null, stopped.reason(), events);
                }
                case Attempt.Failed failed -> {
                    failChildRun(childRunId, RunStatus.FAILED, failed.reason());
                    message = failed.reason();
                    log(info.runId(), step.id(), "ERROR", "Attempt " + (attempt - state.attempt()) + " failed: " + failed.reason());
                    if (!failed.transientFailure()) return end(running, StepState.FAILED, null, message, events);
                    if (attempt == last) {
                        String tries = step.retry().attempts() == 1 ? "" : " (after " + step.retry().attempts() + " attempts)";
                        return end(running, StepState.FAILED, null, message + tries, events);
                    }
                }
            }
        }
        throw new IllegalStateException("unreachable: " + message);
    }

    /** How one attempt ended. */
    private sealed interface Attempt {
        record Succeeded(Map<String, Object> outputs) implements Attempt {}

        record Failed(String reason, boolean transientFailure) implements Attempt {}

        record Stopped(String reason) implements Attempt {}
    }

    private Attempt attempt(PipelineServices runServices, StepContext.RunInfo info, Step step, Map<String, Object> with, String childRunId, int attempt,
                            RunListener events) {
        java.nio.file.Path workDir;
        try {
            java.nio.file.Files.createDirectories(services.scratch());
            workDir = java.nio.file.Files.createTempDirectory(services.scratch(), step.id() + "-");
        } catch (java.io.IOException e) {
            return new Attempt.Failed("cannot create a work directory under " + services.scratch() + ": " + e.getMessage(), true);
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        CancelWatch cancel = new CancelWatch(info.runId());
        StepContext.Sink sink = new StepContext.Sink() {
            @Override
            public void log(String level, String message) {
                PipelineEngine.this.log(info.runId(), step.id(), level, message);
                events.log(step.id(), level, message);
            }

            @Override
            public void lineage(LineageEdge.Direction direction, String kind, String uri, String sha256) {
                store.addLineage(List.of(new LineageEdge(info.runId(), step.id(), direction, kind, uri, sha256, services.clock().instant())));
            }
        };
        StepContext context = new StepContext(info, step, with, childRunId, attempt, runServices, workDir, sink,
                () -> stop.get() || cancel.requested());
        StepRunner runner = runners.get(step.type());
        java.util.concurrent.Future<StepResult> future = stepThreads.submit(() -> runner.run(context));
        boolean finished = false;
        try {
            StepResult result = waitFor(future, step.timeout(), cancel);
            finished = true;
            Map<String, Object> outputs = result == null ? Map.of() : result.outputs();
            List<String> missing = step.outputs().stream().filter(name -> !outputs.containsKey(name)).toList();
            if (!missing.isEmpty()) sink.log("WARN", "The step declared outputs it did not produce: " + String.join(", ", missing));
            return new Attempt.Succeeded(outputs);
        } catch (java.util.concurrent.TimeoutException e) {
            stop.set(true);
            future.cancel(true);
            finished = awaitStop(future);
            return new Attempt.Failed("timed out after " + step.timeout(), true);
        } catch (CancelledWhileWaiting e) {
            stop.set(true);
            future.cancel(true);
            finished = awaitStop(future);
            return new Attempt.Stopped("cancelled while it ran");
        } catch (java.util.concurrent.ExecutionException e) {
            finished = true;
            Throwable cause = e.getCause();
            if (cause instanceof StepContext.Cancelled) return new Attempt.Stopped("cancelled while it ran");
            boolean userError = cause instanceof CairnException c && c.code().kind() == ErrorCode.Kind.USER;
            if (!userError) LOG.warn("Step {} of pipeline run {} failed", step.id(), info.runId(), cause);
            return new Attempt.Failed(describe(cause), !userError);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
            future.cancel(true);
            return new Attempt.Stopped("the runner was interrupted");
        } finally {
            // A step that ignored its stop request still runs: leave its directory to it rather than pull it away.
            if (finished) dev.cairn.data.source.LoadedTable.deleteRecursively(workDir);
        }
    }

    private static final class CancelledWhileWaiting extends Exception {
        CancelledWhileWaiting() {
            super(null, null, false, false);
        }
    }

    /** Waits for the step, polling the cancel flag once a second and respecting the step's timeout. */
    private StepResult waitFor(java.util.concurrent.Future<StepResult> future, Duration timeout, CancelWatch cancel)
            throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException, InterruptedException,
            CancelledWhileWaiting {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new java.util.concurrent.TimeoutException();
            try {
                return future.get(Math.min(left, 1_000_000_000L), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (cancel.requested()) throw new CancelledWhileWaiting();
            }
        }
    }

    private static boolean awaitStop(java.util.concurrent.Future<StepResult> future) {
        try {
            future.get(STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.CancellationException | java.util.concurrent.ExecutionException e) {
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads the run's cancel flag from the store at most once a second: steps may ask often. */
    private final class CancelWatch {
        private final String runId;
        private volatile long checkedAt;
        private volatile boolean requested;

        CancelWatch(String runId) {
            this.runId = runId;
        }

        boolean requested() {
            if (requested) return true;
            long now = System.nanoTime();
            if (now - checkedAt >= 1_000_000_000L) {
                checkedAt = now;
                requested = cancelRequested(runId);
            }
            return requested;
        }
    }

    /** Waits before a retry; false when the run was cancelled meanwhile. */
    private boolean sleep(String runId, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < until) {
                if (cancelRequested(runId)) return false;
                Thread.sleep(Math.max(1, Math.min(1000, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    // ---- values ----

    private Object value(Reference reference, StepContext.RunInfo info, PipelineSpec spec, Map<String, Map<String, Object>> outputs) {
        return switch (reference.kind()) {
            case PARAM -> {
                Object given = parametersOf(info.runId()).get(reference.name());
                if (given != null) yield typedLike(spec.parameters().get(reference.name()), given.toString());
                yield spec.parameters().get(reference.name());
            }
            case OUTPUT -> {
                Map<String, Object> of = outputs.get(reference.step());
                if (of == null) {
                    throw CairnException.invalid(reference.expression(), null, "an output of step " + reference.step()
                            + ", which has not produced any");
                }
                yield of.get(reference.name());
            }
            case RUN -> switch (reference.name()) {
                case "id" -> info.runId();
                case "time" -> info.logicalTime().toString();
                case "date" -> info.logicalTime().atZone(zoneOf(spec)).toLocalDate().toString();
                case "trigger" -> info.trigger();
                case "pipeline" -> info.pipeline();
                default -> throw CairnException.invalid(reference.expression(), null, "one of " + Reference.RUN_VARIABLES);
            };
        };
    }

    private final Map<String, Map<String, String>> parameterCache = new java.util.concurrent.ConcurrentHashMap<>();

    private Map<String, String> parametersOf(String runId) {
        return parameterCache.computeIfAbsent(runId, id -> store.getRun(id).parameters());
    }

    /** A parameter given as text takes the type of its default (a number stays a number in conditions). */
    private static Object typedLike(Object defaultValue, String given) {
        if (defaultValue instanceof Number) {
            try {
                double d = Double.parseDouble(given.strip());
                return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
            } catch (NumberFormatException e) {
                return given;
            }
        }
        if (defaultValue instanceof Boolean && (given.equalsIgnoreCase("true") || given.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(given);
        }
        return given;
    }

    private static java.time.ZoneId zoneOf(PipelineSpec spec) {
        return spec.triggers(dev.cairn.pipeline.schedule.Trigger.Schedule.class).stream()
                .map(dev.cairn.pipeline.schedule.Trigger.Schedule::timezone).findFirst().orElse(ZoneOffset.UTC);
    }

    /** The run's parameters: the given ones over the spec's defaults; unknown names and missing values are errors. */
    static Map<String, String> parameters(PipelineSpec spec, Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : given.keySet()) {
            if (!spec.parameters().containsKey(name)) {
                throw CairnException.invalid("parameters." + name, given.get(name), "a parameter of " + spec.name()
                        + " (" + (spec.parameters().isEmpty() ? "it has none" : String.join(", ", spec.parameters().keySet())) + ")");
            }
        }
        List<String> missing = new ArrayList<>();
        spec.parameters().forEach((name, defaultValue) -> {
            String value = given.containsKey(name) ? given.get(name) : defaultValue == null ? null : String.valueOf(defaultValue);
            if (value == null) missing.add(name);
            else out.put(name, value);
        });
        if (!missing.isEmpty()) {
            throw CairnException.invalid("parameters." + missing.getFirst(), null, "a value: " + spec.name()
                    + " has no default for " + String.join(", ", missing));
        }
        return out;
    }

    // ---- checks ----

    private void requireRunnable(PipelineSpec spec) {
        for (Step step : spec.steps()) {
            if (runners.find(step.type()).isEmpty()) runners.get(step.type());
            if (step.userCode() && !services.workspace().allowCommands()) {
                throw new CairnException(ErrorCode.PERMISSION_DENIED, "Step " + step.id() + " of " + spec.name()
                        + " runs a command, and this server does not allow commands (cairn server --allow-pipeline-commands)",
                        Map.of("field", "steps." + step.id() + ".type", "value", "command"));
            }
        }
    }

    private boolean registered(PipelineSpec spec) {
        return store.getPipeline(spec.name()).map(PipelineDefinition::sha256).filter(spec.sha256()::equals).isPresent()
                || store.specText(spec.name(), spec.sha256()).isPresent();
    }

    private boolean cancelRequested(String runId) {
        return store.getRun(runId).cancelRequested();
    }

    // ---- tracking ----

    private String startTrackedRun(PipelineRun run, PipelineSpec spec) {
        var tracking = services.tracking();
        String experiment = tracking.experimentId("pipelines/" + spec.name());
        List<Tag> tags = new ArrayList<>(List.of(
                new Tag("cairn.pipeline.name", spec.name()),
                new Tag("cairn.pipeline.run_id", run.runId()),
                new Tag("cairn.pipeline.spec_sha256", spec.sha256()),
                new Tag("cairn.pipeline.trigger", run.trigger()),
                new Tag("cairn.pipeline.logical_time", run.logicalTime().toString()),
                new Tag(SystemTags.SOURCE_NAME, spec.source() == null ? spec.name() : spec.source()),
                new Tag(SystemTags.SOURCE_TYPE, "PIPELINE")));
        if (run.cause() != null) tags.add(new Tag("cairn.pipeline.cause", truncate(run.cause())));
        if (run.codeVersion() != null) tags.add(new Tag(SystemTags.GIT_COMMIT, run.codeVersion()));
        String name = spec.name() + "-" + run.logicalTime().toString().replace(":", "").replace("-", "");
        var created = tracking.runs().createRun(experiment, run.actor() == null ? tracking.user() : run.actor(),
                services.clock().millis(), name, tags);
        String trackingRunId = created.info().runId();
        List<Param> params = new ArrayList<>();
        run.parameters().forEach((k, v) -> params.add(new Param(k, truncate(v))));
        if (!params.isEmpty()) tracking.runs().logBatch(trackingRunId, List.of(), params.subList(0, Math.min(100, params.size())), List.of());
        store.setTrackingRun(run.runId(), trackingRunId);
        return trackingRunId;
    }

    private String startChildRun(StepContext.RunInfo info, Step step, String parentRunId, Map<String, Object> with, Map<String, String> extra) {
        var tracking = services.tracking();
        var parent = tracking.runs().getRun(parentRunId).info();
        List<Tag> tags = new ArrayList<>(List.of(
                new Tag(SystemTags.PARENT_RUN_ID, parentRunId),
                new Tag("cairn.pipeline.name", info.pipeline()),
                new Tag("cairn.pipeline.run_id", info.runId()),
                new Tag("cairn.pipeline.step", step.id()),
                new Tag("cairn.pipeline.step_type", step.type().label())));
        extra.forEach((k, v) -> tags.add(new Tag(k, v)));
        var child = tracking.runs().createRun(parent.experimentId(), info.actor() == null ? tracking.user() : info.actor(),
                services.clock().millis(), info.pipeline() + "." + step.id(), tags);
        List<Param> params = new ArrayList<>();
        with.forEach((k, v) -> params.add(new Param(k, truncate(v instanceof String s ? s : EngineJson.write(v)))));
        if (!params.isEmpty()) tracking.runs().logBatch(child.info().runId(), List.of(), params.subList(0, Math.min(100, params.size())), List.of());
        return child.info().runId();
    }

    private void tagOutputs(String childRunId, Map<String, Object> outputs) {
        List<Tag> tags = new ArrayList<>();
        outputs.forEach((k, v) -> tags.add(new Tag("cairn.output." + k, truncate(v instanceof String s ? s : EngineJson.write(v)))));
        if (!tags.isEmpty()) services.tracking().runs().logBatch(childRunId, List.of(), List.of(), tags.subList(0, Math.min(100, tags.size())));
    }

    private void failChildRun(String childRunId, RunStatus status, String reason) {
        try {
            services.tracking().runs().setTag(childRunId, new Tag(SystemTags.FAILURE_REASON, truncate(reason)));
            services.tracking().runs().updateRun(childRunId, status, services.clock().millis(), null);
        } catch (RuntimeException e) {
            LOG.warn("Cannot close the step run {}: {}", childRunId, e.getMessage());
        }
    }

    private void endTrackedRun(String trackingRunId, PipelineRunState state, String failure) {
        RunStatus status = switch (state) {
            case SUCCEEDED -> RunStatus.FINISHED;
            case CANCELLED -> RunStatus.KILLED;
            default -> RunStatus.FAILED;
        };
        if (failure != null) failChildRun(trackingRunId, status, failure);
        else services.tracking().runs().updateRun(trackingRunId, status, services.clock().millis(), null);
    }

    // ---- state ----

    private StepRun end(StepRun state, StepState to, String outputsJson, String message, RunListener events) {
        Instant now = services.clock().instant();
        StepRun ended = new StepRun(state.runId(), state.stepId(), to, state.attempt(), state.trackingRunId(), state.cacheKey(),
                null, outputsJson, state.startedAt() == null ? now : state.startedAt(), now, message);
        store.putStep(ended);
        if (message != null) log(state.runId(), state.stepId(), to == StepState.FAILED ? "ERROR" : "INFO", message);
        events.stepChanged(ended);
        return ended;
    }

    private StepRun current(String runId, String stepId) {
        return store.steps(runId).stream().filter(s -> s.stepId().equals(stepId)).findFirst()
                .orElse(StepRun.pending(runId, stepId));
    }

    /** Marks the steps left RUNNING by a runner that died as failed, and their child runs too. */
    private void closeInterruptedSteps(PipelineRun run, String why) {
        for (StepRun s : store.steps(run.runId())) {
            if (s.state() == StepState.RUNNING) {
                if (s.trackingRunId() != null) failChildRun(s.trackingRunId(), RunStatus.FAILED, why);
                end(s, StepState.FAILED, null, why, RunListener.NONE);
            } else if (s.state() == StepState.PENDING) {
                end(s, StepState.CANCELLED, null, "not run: " + why, RunListener.NONE);
            }
        }
    }

    private PipelineRun finish(String runId, PipelineRunState state, String message, RunListener events) {
        PipelineRun ended = store.finishRun(runId, state, message, services.clock().instant());
        parameterCache.remove(runId);
        log(runId, null, state == PipelineRunState.SUCCEEDED ? "INFO" : "ERROR",
                "Run " + state.name().toLowerCase(java.util.Locale.ROOT) + (message == null ? "" : ": " + message));
        events.runEnded(ended);
        return ended;
    }

    private void log(String runId, String stepId, String level, String message) {
        try {
            store.appendLog(runId, stepId, level, List.of(message), services.clock().instant());
        } catch (RuntimeException e) {
            LOG.warn("Cannot append to the log of pipeline run {}: {}", runId, e.getMessage());
        }
        LOG.debug("[{}{}] {}", runId, stepId == null ? "" : "/" + stepId, message);
    }

    private void beat() {
        try {
            store.heartbeat(owner, services.clock().instant());
        } catch (RuntimeException e) {
            LOG.warn("Pipeline heartbeat of {} failed: {}", owner, e.getMessage());
        }
    }

    /** Beats now (the scheduler calls it when the clock was moved, e.g. a simulated one). */
    public void heartbeat() {
        beat();
    }

    private static final StepContext.Sink NO_SINK = new StepContext.Sink() {
        @Override
        public void log(String level, String message) {}

        @Override
        public void lineage(LineageEdge.Direction direction, String kind, String uri, String sha256) {}
    };

    private static String describe(Throwable e) {
        if (e instanceof CairnException c) return c.getMessage();
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String truncate(String s) {
        if (s == null) return "";
        return s.length() <= MAX_TAG ? s : s.substring(0, MAX_TAG - 1) + "…";
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        stepThreads.shutdownNow();
    }
}
