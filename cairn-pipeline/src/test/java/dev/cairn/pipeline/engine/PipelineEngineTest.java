package dev.cairn.pipeline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.pipeline.StepState;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.pipeline.spec.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineEngineTest {
    private static final String DEMO = """
            name: demo
            parameters:
              level: 1
            steps:
              - id: a
                type: profile
                with: {data: input.csv}
              - id: b
                type: validate
                needs: a
                with: {data: "${steps.a.outputs.profile}", schema: schema.yaml}
              - id: c
                type: notify
                needs: b
                if: "${steps.b.outputs.passed}"
                with: {message: "errors=${steps.b.outputs.errors} level=${params.level} run=${run.pipeline}"}
              - id: d
                type: notify
                needs: c
                with: {message: after c}
            """;

    @TempDir Path dir;
    EngineFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new EngineFixture(dir);
        Files.writeString(dir.resolve("work/input.csv"), "x\n1\n");
        Files.writeString(dir.resolve("work/schema.yaml"), "columns: {}\n");
        f.behaviours.put("a", (ctx, call) -> {
            ctx.consumed("file", "file:input.csv", null);
            ctx.produced("report", "runs:/" + ctx.stepRunId() + "/profile.json", null);
            return StepResult.of(Map.of("profile", "profile-" + ctx.text("data"), "report", "r"));
        });
        f.behaviours.put("b", (ctx, call) -> StepResult.of(Map.of("passed", true, "errors", 0, "warnings", 0, "report", "v")));
        f.behaviours.put("c", (ctx, call) -> StepResult.of(Map.of("message", ctx.text("message"))));
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void runsStepsInOrderPassingOutputsAndRecordsTrackedRunsAndLineage() throws Exception {
        PipelineEngine engine = f.engine("runner-1");
        PipelineSpec spec = f.spec(DEMO);
        PipelineRun run = engine.run(spec, RunRequest.manual("ana"), RunListener.NONE);

        assertThat(run.state()).isEqualTo(PipelineRunState.SUCCEEDED);
        assertThat(f.order).containsExactly("a", "b", "c", "d");
        List<StepRun> steps = f.metadata.pipelines().steps(run.runId());
        assertThat(steps).extracting(StepRun::state).containsOnly(StepState.SUCCEEDED);
        StepRun c = steps.stream().filter(s -> s.stepId().equals("c")).findFirst().orElseThrow();
        assertThat(c.outputsJson()).contains("errors=0 level=1 run=demo");

        // One tracked run, a child run per step, the spec's hash and the actor recorded.
        Run parent = f.metadata.runs().getRun(f.metadata.pipelines().getRun(run.runId()).trackingRunId());
        assertThat(parent.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(parent.data().tags()).anySatisfy(t -> {
            assertThat(t.key()).isEqualTo("cairn.pipeline.spec_sha256");
            assertThat(t.value()).isEqualTo(spec.sha256());
        });
        assertThat(parent.info().userId()).isEqualTo("ana");
        Run child = f.metadata.runs().getRun(c.trackingRunId());
        assertThat(child.data().tags()).anySatisfy(t -> {
            assertThat(t.key()).isEqualTo(SystemTags.PARENT_RUN_ID);
            assertThat(t.value()).isEqualTo(parent.info().runId());
        });
        assertThat(child.data().params()).anySatisfy(p -> assertThat(p.value()).isEqualTo("errors=0 level=1 run=demo"));

        List<LineageEdge> lineage = f.metadata.pipelines().lineageOfRun(run.runId());
        assertThat(lineage).extracting(LineageEdge::stepId, LineageEdge::direction)
                .contains(org.assertj.core.groups.Tuple.tuple("a", LineageEdge.Direction.INPUT),
                        org.assertj.core.groups.Tuple.tuple("a", LineageEdge.Direction.OUTPUT));
        assertThat(f.metadata.pipelines().logs(run.runId(), 0, 100)).isNotEmpty();
    }

    @Test
    void aFalseConditionSkipsTheStepAndEverythingThatNeedsIt() throws Exception {
        f.behaviours.put("b", (ctx, call) -> StepResult.of(Map.of("passed", false, "errors", 2, "warnings", 0, "report", "v")));
        PipelineRun run = f.engine("r").run(f.spec(DEMO), RunRequest.manual("ana"), RunListener.NONE);

        assertThat(run.state()).isEqualTo(PipelineRunState.SUCCEEDED);
        Map<String, StepRun> steps = byId(run);
        assertThat(steps.get("c").state()).isEqualTo(StepState.SKIPPED);
        assertThat(steps.get("c").message()).contains("condition is false");
        assertThat(steps.get("d").state()).isEqualTo(StepState.SKIPPED);
        assertThat(steps.get("d").message()).contains("needs c");
        assertThat(f.calls("c")).isZero();
    }

    @Test
    void aStepWhoseInputsParametersAndFilesAreUnchangedReusesItsOutputs() throws Exception {
        PipelineEngine engine = f.engine("r");
        PipelineSpec spec = f.spec(DEMO);
        PipelineRun first = engine.run(spec, RunRequest.manual("ana"), RunListener.NONE);
        PipelineRun second = engine.run(spec, RunRequest.manual("ana"), RunListener.NONE);

        assertThat(second.state()).isEqualTo(PipelineRunState.SUCCEEDED);
        Map<String, StepRun> steps = byId(second);
        assertThat(steps.get("a").state()).isEqualTo(StepState.CACHED);
        assertThat(steps.get("a").cachedFrom()).isEqualTo(first.runId());
        assertThat(steps.get("b").state()).isEqualTo(StepState.CACHED);
        assertThat(steps.get("c").state()).as("notify is never cached").isEqualTo(StepState.SUCCEEDED);
        assertThat(f.calls("a")).isEqualTo(1);
        assertThat(f.calls("b")).isEqualTo(1);
        // The cached step's lineage is the earlier one's, recorded for this run too.
        assertThat(f.metadata.pipelines().lineageOfRun(second.runId())).extracting(LineageEdge::stepId).contains("a");

        // Editing a file a step names (the schema) recomputes that step, not the one before it.
        Files.writeString(dir.resolve("work/schema.yaml"), "columns: {x: {type: integer}}\n");
        PipelineRun third = engine.run(spec, RunRequest.manual("ana"), RunListener.NONE);
        assertThat(byId(third).get("a").state()).isEqualTo(StepState.CACHED);
        assertThat(byId(third).get("b").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(f.calls("b")).isEqualTo(2);

        // A different code version recomputes everything.
        PipelineRun fourth = engine.run(spec, new RunRequest("ci", "CI", Map.of(), null, "0123456789abcdef0123456789abcdef01234567", "ci", null),
                RunListener.NONE);
        assertThat(byId(fourth).get("a").state()).isEqualTo(StepState.SUCCEEDED);
    }

    @Test
    void transientFailuresAreRetriedWithBackoffAndUserErrorsAreNot() throws Exception {
        String yaml = """
                name: flaky
                steps:
                  - id: call
                    type: notify
                    retry: {attempts: 3, backoff: 0s}
                    with: {message: hello}
                  - id: bad
                    type: notify
                    needs: call
                    retry: {attempts: 3, backoff: 0s}
                    with: {message: hello}
                  - id: never
                    type: notify
                    needs: bad
                    with: {message: hello}
                """;
        f.behaviours.put("call", (ctx, call) -> {
            if (call < 3) throw new IOException("connection reset (" + call + ")");
            return StepResult.of(Map.of());
        });
        f.behaviours.put("bad", (ctx, call) -> {
            throw CairnException.invalid(ctx.field("message"), "hello", "something else");
        });
        PipelineRun run = f.engine("r").run(f.spec(yaml), RunRequest.manual("ana"), RunListener.NONE);

        Map<String, StepRun> steps = byId(run);
        assertThat(steps.get("call").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(steps.get("call").attempt()).isEqualTo(3);
        assertThat(steps.get("bad").state()).isEqualTo(StepState.FAILED);
        assertThat(f.calls("bad")).as("bad input does not heal").isEqualTo(1);
        assertThat(steps.get("bad").message()).contains("steps.bad.with.message");
        assertThat(steps.get("never").state()).isEqualTo(StepState.CANCELLED);
        assertThat(run.state()).isEqualTo(PipelineRunState.FAILED);
        assertThat(run.message()).contains("step bad failed");
        Run parent = f.metadata.runs().getRun(f.metadata.pipelines().getRun(run.runId()).trackingRunId());
        assertThat(parent.info().status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void aStepOverItsTimeoutIsStoppedAndFails() throws Exception {
        String yaml = """
                name: slow
                steps:
                  - id: wait
                    type: notify
                    timeout: 300ms
                    with: {message: hello}
                """;
        f.behaviours.put("wait", (ctx, call) -> {
            Thread.sleep(60_000);
            return StepResult.of(Map.of());
        });
        PipelineRun run = f.engine("r").run(f.spec(yaml), RunRequest.manual("ana"), RunListener.NONE);
        assertThat(run.state()).isEqualTo(PipelineRunState.FAILED);
        assertThat(byId(run).get("wait").message()).contains("timed out after PT0.3S");
    }

    @Test
    void cancellingARunningRunStopsItsStepAndCancelsTheRest() throws Exception {
        String yaml = """
                name: long
                steps:
                  - id: wait
                    type: notify
                    with: {message: hello}
                  - id: after
                    type: notify
                    needs: wait
                    with: {message: hello}
                """;
        CountDownLatch started = new CountDownLatch(1);
        f.behaviours.put("wait", (ctx, call) -> {
            started.countDown();
            while (!ctx.cancelRequested()) Thread.sleep(20);
            ctx.checkCancelled();
            return StepResult.of(Map.of());
        });
        PipelineEngine engine = f.engine("r");
        PipelineSpec spec = f.spec(yaml);
        PipelineRun queued = engine.submit(spec, RunRequest.manual("ana")).orElseThrow();
        var pool = Executors.newSingleThreadExecutor();
        try {
            Future<java.util.Optional<PipelineRun>> running = pool.submit(() -> engine.tryExecute(queued.runId(), spec, RunListener.NONE));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            f.metadata.pipelines().requestCancel(queued.runId(), "ana", f.clock.instant());
            PipelineRun ended = running.get(60, TimeUnit.SECONDS).orElseThrow();
            assertThat(ended.state()).isEqualTo(PipelineRunState.CANCELLED);
            assertThat(byId(ended).get("wait").state()).isEqualTo(StepState.CANCELLED);
            assertThat(byId(ended).get("after").state()).isEqualTo(StepState.CANCELLED);
            assertThat(f.calls("after")).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneRunAtATimeQueuesOrSkipsTheNextAsTheSpecSays() throws Exception {
        PipelineEngine engine = f.engine("r");
        PipelineSpec queueing = f.spec(DEMO);
        PipelineRun first = engine.submit(queueing, RunRequest.manual("ana")).orElseThrow();
        assertThat(f.metadata.pipelines().claimRun(first.runId(), "r", 1, f.clock.instant())).isTrue();
        PipelineRun second = engine.run(queueing, RunRequest.manual("ana"), RunListener.NONE);
        assertThat(second.state()).as("max_runs 1, on_conflict queue").isEqualTo(PipelineRunState.QUEUED);

        PipelineSpec skipping = f.spec(DEMO.replace("name: demo", "name: demo\nconcurrency: {max_runs: 1, on_conflict: skip}")
                .replace("name: demo\n", "name: skipper\n"));
        PipelineRun running = engine.submit(skipping, RunRequest.manual("ana")).orElseThrow();
        assertThat(f.metadata.pipelines().claimRun(running.runId(), "r", 1, f.clock.instant())).isTrue();
        PipelineRun skipped = engine.run(skipping, RunRequest.manual("ana"), RunListener.NONE);
        assertThat(skipped.state()).isEqualTo(PipelineRunState.CANCELLED);
        assertThat(skipped.message()).contains("skipped");
    }

    @Test
    void aRunWhoseRunnerDiedIsResumedFromItsLastCompletedStep() throws Exception {
        PipelineSpec spec = f.spec(DEMO);
        PipelineEngine dead = f.engine("dead-server");
        PipelineRun run = dead.submit(spec, RunRequest.manual("ana")).orElseThrow();
        // The dead server claimed it, finished step a and was killed while b ran.
        assertThat(f.metadata.pipelines().claimRun(run.runId(), "dead-server", 1, f.clock.instant())).isTrue();
        assertThatThrownBy(() -> dead.execute(f.metadata.pipelines().getRun(run.runId()), spec, new RunListener() {
            @Override
            public void stepChanged(StepRun step) {
                if (step.stepId().equals("b") && step.state() == StepState.RUNNING) throw new KilledMidStep();
            }
        })).isInstanceOf(KilledMidStep.class);
        dead.close();
        assertThat(f.metadata.pipelines().getRun(run.runId()).state()).isEqualTo(PipelineRunState.RUNNING);
        assertThat(byId(f.metadata.pipelines().getRun(run.runId())).get("b").state()).isEqualTo(StepState.RUNNING);

        f.clock.advance(PipelineEngine.ORPHAN_AFTER.plusSeconds(1));
        PipelineEngine next = f.engine("next-server");
        List<PipelineRun> recovered = next.recoverOrphans(true, RunListener.NONE);

        assertThat(recovered).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(PipelineRunState.SUCCEEDED));
        assertThat(f.calls("a")).as("a had completed: not run again").isEqualTo(1);
        assertThat(byId(recovered.getFirst()).get("b").attempt()).isEqualTo(2);
        assertThat(f.metadata.pipelines().orphanedRuns(f.clock.instant().plusSeconds(3600))).isEmpty();
    }

    @Test
    void withoutResumingAnOrphanedRunIsFailedAndNoStepIsLeftRunning() throws Exception {
        PipelineSpec spec = f.spec(DEMO);
        PipelineEngine dead = f.engine("dead-server");
        PipelineRun run = dead.submit(spec, RunRequest.manual("ana")).orElseThrow();
        assertThat(f.metadata.pipelines().claimRun(run.runId(), "dead-server", 1, f.clock.instant())).isTrue();
        f.metadata.pipelines().putStep(new StepRun(run.runId(), "a", StepState.RUNNING, 1, null, null, null, null, f.clock.instant(), null, null));
        dead.close();
        f.clock.advance(Duration.ofMinutes(5));

        List<PipelineRun> recovered = f.engine("next").recoverOrphans(false, RunListener.NONE);
        assertThat(recovered).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(PipelineRunState.FAILED);
            assertThat(r.message()).contains("dead-server");
        });
        assertThat(f.metadata.pipelines().steps(run.runId())).extracting(StepRun::state)
                .doesNotContain(StepState.RUNNING, StepState.PENDING);
    }

    @Test
    void commandsAreRefusedUnlessAllowedAndAConfinedWorkspaceKeepsParametersInside() throws Exception {
        String yaml = """
                name: user-code
                steps:
                  - id: prepare
                    type: command
                    with: {run: [echo, hi]}
                """;
        Workspace confined = new Workspace(dir.resolve("work"), true, List.of(), List.of(), false);
        PipelineEngine engine = f.engine("server", confined);
        assertThatThrownBy(() -> engine.submit(f.spec(yaml), RunRequest.manual("mallory")))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThat(f.metadata.pipelines().listRuns("user-code", Set.of(), 10, null).items()).isEmpty();

        assertThatThrownBy(() -> confined.file("steps.a.with.data", "../../etc/passwd"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("steps.a.with.data"));
        assertThatThrownBy(() -> confined.jdbcUrl("steps.a.with.source", "jdbc:postgresql://internal-db/payroll?password=x"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).doesNotContain("password=x"));
        assertThat(confined.jdbcUrl("steps.a.with.source", "jdbc:sqlite:master.db")).isEqualTo("jdbc:sqlite:" + dir.resolve("work/master.db"));
        assertThatThrownBy(() -> confined.jdbcUrl("steps.a.with.source", "jdbc:sqlite:/etc/x.db")).isInstanceOf(CairnException.class);
        Files.createSymbolicLink(dir.resolve("work/escape"), Path.of("/etc"));
        assertThatThrownBy(() -> confined.file("steps.a.with.data", "escape/passwd")).isInstanceOf(CairnException.class);
    }

    @Test
    void unknownOrMissingParametersAreRefusedBeforeAnythingRuns() throws Exception {
        PipelineEngine engine = f.engine("r");
        PipelineSpec spec = f.spec(DEMO);
        assertThatThrownBy(() -> engine.submit(spec, RunRequest.manual("ana").withParameters(Map.of("levle", "2"))))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("parameters.levle").contains("level"));
        PipelineRun run = engine.run(spec, RunRequest.manual("ana").withParameters(Map.of("level", "7")), RunListener.NONE);
        assertThat(byId(run).get("c").outputsJson()).contains("level=7");
    }

    private Map<String, StepRun> byId(PipelineRun run) {
        Map<String, StepRun> out = new java.util.LinkedHashMap<>();
        for (StepRun s : f.metadata.pipelines().steps(run.runId())) out.put(s.stepId(), s);
        return out;
    }

    /** Stands for the process dying: escapes the engine like a kill would end it. */
    private static final class KilledMidStep extends Error {
        KilledMidStep() {
            super("killed");
        }
    }
}
