package dev.cairn.bench.pipeline;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.core.store.Stores;
import dev.cairn.pipeline.engine.PipelineEngine;
import dev.cairn.pipeline.engine.PipelineServices;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepRunners;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.Step;
import dev.cairn.pipeline.steps.NotifyStep;
import dev.cairn.pipeline.steps.StandardSteps;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine's cost per step: a pipeline of {@code steps} notify steps, each needing the one before, run by the
 * engine with the real {@link NotifyStep} on an embedded SQLite store, against the same runner called directly on
 * the same steps (the work a step is without the engine). Each repetition runs both, engine first; warm-up
 * repetitions are not counted. Store calls are counted and timed throughout the measured repetitions.
 */
final class EngineOverhead {

    /**
     * Per repetition: the engine's wall time of a whole run, the direct calls with the step's log line written to
     * the run's log in the store (what the step does), and the direct calls with the log line dropped (the runner
     * alone). Store costs and runner time are summed over the measured repetitions.
     */
    record Result(int steps, int reps, List<Long> engineNanos, List<Long> directLoggedNanos, List<Long> directBareNanos,
                  Map<String, StoreTimings.Cost> storeCosts, long runnerNanos) {}

    private EngineOverhead() {}

    static Result measure(Path dir, int steps, int warmup, int reps) throws Exception {
        Files.createDirectories(dir.resolve("work"));
        StoreTimings timings = new StoreTimings();
        String artifactRoot = dir.resolve("artifacts").toUri().toString();
        MetadataStore raw = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), artifactRoot);
        MetadataStore metadata = timings.wrap(raw);
        TimedRunner notify = new TimedRunner(new NotifyStep());
        StepRunners runners = new StepRunners().addAll(StandardSteps.all()).add(notify);
        Workspace workspace = Workspace.local(dir.resolve("work"));
        PipelineServices services = new PipelineServices(Tracking.of(metadata), new Snapshots(Stores.openArtifacts(artifactRoot)),
                workspace, Clock.systemUTC(), System::getenv, dir.resolve("scratch"));
        Path specFile = dir.resolve("work/noop-chain.yaml");
        Files.writeString(specFile, chain(steps));
        PipelineSpec spec = PipelineSpec.read(specFile);
        Path workDir = Files.createDirectories(dir.resolve("direct"));

        List<Long> engine = new ArrayList<>();
        List<Long> logged = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        try (PipelineEngine pipelines = new PipelineEngine(metadata.pipelines(), services, runners, "bench")) {
            for (int rep = 0; rep < warmup + reps; rep++) {
                if (rep == warmup) {
                    timings.reset();
                    notify.reset();
                }
                long start = System.nanoTime();
                PipelineRun run = pipelines.run(spec, RunRequest.manual("bench"), null);
                long took = System.nanoTime() - start;
                if (run.state() != PipelineRunState.SUCCEEDED) {
                    throw new IllegalStateException("The no-op chain ended " + run.state() + ": " + run.message());
                }
                long loggedTook = direct(metadata.pipelines(), services, spec, workDir, true);
                long bareTook = direct(metadata.pipelines(), services, spec, workDir, false);
                if (rep >= warmup) {
                    engine.add(took);
                    logged.add(loggedTook);
                    bare.add(bareTook);
                }
                System.err.printf("[bench] overhead rep %d%s: engine %.2f ms/step, direct %.3f ms/step (%.4f without the log write)%n",
                        rep + 1, rep < warmup ? " (warm-up)" : "", took / 1e6 / steps, loggedTook / 1e6 / steps, bareTook / 1e6 / steps);
            }
            Map<String, StoreTimings.Cost> costs = timings.snapshot();
            return new Result(steps, reps, engine, logged, bare, costs, notify.nanos());
        } finally {
            raw.close();
        }
    }

    /**
     * The same steps without the engine: NotifyStep.run on each step's context, in order. With {@code log}, the
     * line the step logs is appended to a pipeline run's log in the same store, as the engine's sink does.
     */
    private static long direct(PipelineStore store, PipelineServices services, PipelineSpec spec, Path workDir, boolean log)
            throws Exception {
        Instant now = services.clock().instant();
        StoreTimings.SCOPE.set(StoreTimings.DIRECT);
        // A run of its own for the log lines (set up outside the timing).
        PipelineRun run = store.createRun(PipelineRun.queued(spec.name(), spec.sha256(), "manual", "direct baseline", Map.of(),
                now, now, null, "bench"), null);
        StepContext.RunInfo info = new StepContext.RunInfo(spec.name(), run.runId(), now, "manual", "direct baseline", null, "bench");
        NotifyStep runner = new NotifyStep();
        // The baseline's own store calls are kept apart from the engine's in the breakdown.
        StoreTimings.SCOPE.set(StoreTimings.DIRECT);
        long start = System.nanoTime();
        for (Step step : spec.order()) {
            Map<String, Object> with = step.resolveWith(reference -> {
                throw CairnException.invalid(reference.expression(), null, "no references in the no-op chain");
            });
            StepContext context = new StepContext(info, step, with, null, 1, services, workDir, sink(store, services, info, step, log),
                    () -> false);
            runner.run(context);
        }
        long took = System.nanoTime() - start;
        StoreTimings.SCOPE.remove();
        return took;
    }

    private static StepContext.Sink sink(PipelineStore store, PipelineServices services, StepContext.RunInfo info, Step step, boolean log) {
        return new StepContext.Sink() {
            @Override
            public void log(String level, String message) {
                if (log) store.appendLog(info.runId(), step.id(), level, List.of(message), services.clock().instant());
            }

            @Override
            public void lineage(LineageEdge.Direction direction, String kind, String uri, String sha256) {}
        };
    }

    /** The spec: {@code steps} notify steps, each needing the one before (so the engine orders and resolves them). */
    static String chain(int steps) {
        StringBuilder yaml = new StringBuilder("""
                name: noop-chain
                description: A chain of no-op notify steps, for the engine's overhead per step.
                steps:
                """);
        for (int i = 1; i <= steps; i++) {
            yaml.append("  - id: s").append(String.format("%03d", i)).append('\n');
            yaml.append("    type: notify\n");
            if (i > 1) yaml.append("    needs: s").append(String.format("%03d", i - 1)).append('\n');
            yaml.append("    with: {message: \"no-op step ").append(i).append("\"}\n");
        }
        return yaml.toString();
    }
}
