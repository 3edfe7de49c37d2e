package dev.cairn.server.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.monitor.Monitoring;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.server.serving.Deployment;
import dev.cairn.server.serving.DeploymentSpec;
import dev.cairn.server.serving.Inference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canary step on a real server, on a clock the test moves: the candidate gets its weights in turn, live requests
 * are sent to the deployment, and an hour's window passes in one call. Promoted when every gate holds (all traffic,
 * champion moved, audited); rolled back on latency, on errors, on precision once labels join, on too little evidence
 * by the deadline, and when the run is cancelled.
 */
@DisplayName("canary step")
class CanaryStepTest {
    static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    static Path dir;
    static ServerStack stack;
    static ExecutorService threads;

    @BeforeAll
    static void start() throws Exception {
        stack = ServerStack.start(dir.resolve("server"));
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        if (threads != null) threads.shutdownNow();
        if (stack != null) stack.close();
    }

    private static CanaryRunner canary() {
        Monitoring monitoring = stack.running.monitoring();
        return new CanaryRunner(stack.deployments(), stack.running.serving().log(), monitoring, Duration.ofMillis(5));
    }

    private static Map<String, Object> with(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    /** Registers {@code name} (version 1 stable, 2 the candidate) and deploys its champion as the deployment {@code name}. */
    private static void deployed(String name, String candidateRun) {
        stack.register(name, stack.plainRun, candidateRun);
        stack.deployments().apply(DeploymentSpec.single(name, "models:/" + name + "@champion"), "alice", "test");
    }

    /**
     * Waits until the step logs that window {@code k} began (its weight set, its start taken: what is sent from now on
     * counts in it, and moving the clock ends it), or the step ended.
     */
    private static void awaitWindow(ServerStack.Run run, int k, Future<?> step) throws Exception {
        awaitLog(run, "INFO Window " + k + " of ", step);
    }

    private static void awaitLog(ServerStack.Run run, String prefix, Future<?> step) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run.recorded().logs.stream().noneMatch(l -> l.startsWith(prefix))) {
            if (step.isDone()) return;
            assertThat(System.nanoTime()).as("waiting for the log line %s", prefix).isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    /** Sends customers until {@code version} has answered (or failed) {@code n} of them; answers its answers. */
    private static List<Inference.Answer> sendUntil(String deployment, String version, int n, long seed, boolean risky) {
        return sendUntil(deployment, version, n, seed, risky, answers -> true);
    }

    /** As above, going on until {@code enough} holds of the candidate's answers too. */
    private static List<Inference.Answer> sendUntil(String deployment, String version, int n, long seed, boolean risky,
                                                    Predicate<List<Inference.Answer>> enough) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Inference.Answer> candidate = new ArrayList<>();
        int failed = 0;
        for (int i = 0; candidate.size() + failed < n || !enough.test(candidate); i++) {
            assertThat(i).as("requests sent to reach %d for version %s", n, version).isLessThan(20_000);
            try {
                Inference.Answer a = stack.predict(deployment, ServerStack.customer(r, i, risky && i % 2 == 0), deployment + "-" + seed + "-" + i);
                if (a.model().version().equals(version)) candidate.add(a);
            } catch (CairnException e) {
                failed++;  // only the candidate that needs housing fails
            }
        }
        return candidate;
    }

    private Future<StepResult> run(StepContext context) {
        return threads.submit(() -> canary().run(context));
    }

    private static StepResult result(Future<StepResult> step) throws Exception {
        return step.get(60, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("promoted when every gate holds in every window: all traffic to it, champion moved to it, both audited")
    void promotes() throws Exception {
        String name = "canary-promote";
        deployed(name, stack.plainRun);
        ServerStack.Run run = stack.context(StepType.CANARY, "canary", with("deployment", name, "model", "models:/" + name + "/2",
                "weights", List.of(0.2, 0.5), "window", HOUR, "min_requests", 20, "max_error_rate", 0.05, "max_latency_ms", 10_000,
                "min_precision", 0.1));
        Future<StepResult> step = run(run.context());
        String candidate = "models:/" + name + "/2";
        awaitWindow(run, 1, step);
        sendUntil(name, "2", 25, 1, false);
        stack.clock.advance(HOUR);
        awaitWindow(run, 2, step);
        assertThat(step.isDone()).as("still watching the second window").isFalse();
        sendUntil(name, "2", 25, 2, false);
        stack.clock.advance(HOUR);
        StepResult result = result(step);

        assertThat(result.outputs()).containsEntry("promoted", true).containsEntry("verdict", "promoted");
        assertThat((String) result.outputs().get("reason")).startsWith("every gate held in 2 window(s)")
                .contains("precision not judged (no labels yet)");
        Deployment d = stack.deployments().get(name);
        // The stable target followed the champion alias, so the deployment still does, and it now means version 2.
        assertThat(d.routes()).extracting(r -> r.target() + "=" + r.weight()).containsExactly("models:/" + name + "@champion=100");
        assertThat(d.stable().model().version()).isEqualTo("2");
        assertThat(stack.store().registry().getModelVersionByAlias(name, "champion").version()).isEqualTo(2);
        List<AuditEvent> alias = stack.audit(name, AuditAction.ALIAS_SET);
        assertThat(alias.getLast().comment()).startsWith("pipeline nightly run run-canary step canary: canary promoted: every gate held");
        assertThat(alias.getLast().actor()).isEqualTo("alice");
        assertThat(stack.audit(name, AuditAction.DEPLOYMENT_CHANGED)).extracting(AuditEvent::comment).containsSubsequence(
                "pipeline nightly run run-canary step canary: canary models:/" + name + "/2 gets 20% of the traffic (window 1 of 2)",
                "pipeline nightly run run-canary step canary: canary models:/" + name + "/2 gets 50% of the traffic (window 2 of 2)");
        assertThat(stack.audit(name, AuditAction.DEPLOYMENT_CHANGED).getLast().comment()).contains("promoted: every gate held");
        assertThat(stack.audit(name, AuditAction.ROLLBACK)).isEmpty();
        assertThat(run.recorded().lineage).contains("INPUT model_version models:/" + name + "/2");
    }

    @Test
    @DisplayName("rolled back when its p95 latency is above max_latency_ms, as soon as min_requests are in")
    void rollsBackOnLatency() throws Exception {
        String name = "canary-latency";
        deployed(name, stack.plainRun);
        ServerStack.Run run = stack.context(StepType.CANARY, "canary", with("deployment", name, "model", "models:/" + name + "@latest-fails",
                "min_requests", 10, "max_latency_ms", 0.0001));
        // An alias is resolved and pinned to its version.
        stack.store().registry().setAlias(name, "latest-fails", 2, "alice", null);
        Future<StepResult> step = run(run.context());
        awaitWindow(run, 1, step);
        sendUntil(name, "2", 10, 3, false);
        StepResult result = result(step);  // no clock moved: the failing gate ends the window early

        assertRolledBack(name, result, "max_latency_ms: the candidate's p95 latency ");
        assertThat((String) result.outputs().get("reason")).contains("is above 0.0001 ms").contains("before the window ended");
    }

    @Test
    @DisplayName("rolled back when its error rate is above max_error_rate: a candidate that needs an input clients do not send")
    void rollsBackOnErrors() throws Exception {
        String name = "canary-errors";
        deployed(name, stack.housingRun);
        ServerStack.Run run = stack.context(StepType.CANARY, "canary", with("deployment", name, "model", "models:/" + name + "/2",
                "weights", List.of(0.5), "min_requests", 10, "max_error_rate", 0.1));
        Future<StepResult> step = run(run.context());
        awaitWindow(run, 1, step);
        sendUntil(name, "2", 10, 4, false);
        stack.clock.advance(HOUR);
        StepResult result = result(step);
        assertRolledBack(name, result, "max_error_rate: the candidate's error rate 1.0000 (");
    }

    @Test
    @DisplayName("rolled back when its realized precision is below min_precision once labels join its predictions")
    void rollsBackOnPrecision() throws Exception {
        String name = "canary-precision";
        deployed(name, stack.plainRun);
        ServerStack.Run run = stack.context(StepType.CANARY, "canary", with("deployment", name, "model", "models:/" + name + "/2",
                "weights", List.of(0.5), "min_requests", 20, "min_precision", 0.9));
        Future<StepResult> step = run(run.context());
        awaitWindow(run, 1, step);
        // Customers, half of them risky, until some of the candidate's answers are "bad".
        List<Inference.Answer> answers = sendUntil(name, "2", 40, 5, true,
                sent -> sent.stream().filter(a -> a.predictions().getFirst().label().equals("bad")).count() >= 3);
        // The truth, known later: every one of them repaid, so each "bad" was wrong.
        List<Monitoring.Label> labels = answers.stream().map(a -> new Monitoring.Label(a.requestId(), "good",
                stack.clock.instant().plus(Duration.ofMinutes(30)))).toList();
        stack.running.monitoring().postLabels(name, labels, "request_id");
        stack.clock.advance(HOUR);
        StepResult result = result(step);
        assertRolledBack(name, result, "min_precision: the candidate's realized precision 0.0000 (0 of ");
        assertThat((String) result.outputs().get("reason")).contains("is below 0.9");
    }

    @Test
    @DisplayName("a window short of min_requests is extended, and judged as not enough evidence at the step's deadline")
    void rollsBackWithoutEvidence() throws Exception {
        String name = "canary-quiet";
        deployed(name, stack.plainRun);
        ServerStack.Run run = stack.context(StepType.CANARY, "canary", with("deployment", name, "model", "models:/" + name + "/2",
                "window", HOUR, "min_requests", 30, "max_error_rate", 0.5), Duration.ofHours(3), null);
        Future<StepResult> step = run(run.context());
        awaitWindow(run, 1, step);
        sendUntil(name, "2", 5, 6, false);
        stack.clock.advance(HOUR);
        // The window has ended with 5 of 30 requests: it is extended, not judged.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run.recorded().logs.stream().noneMatch(l -> l.contains("extended until"))) {
            assertThat(System.nanoTime()).as("waiting for the window to be extended").isLessThan(deadline);
            Thread.sleep(2);
        }
        assertThat(step.isDone()).isFalse();
        stack.clock.advance(Duration.ofHours(2));
        StepResult result = result(step);
        assertRolledBack(name, result, "min_requests: not enough evidence by the step's deadline: window 1 of 1 (10%) saw 5 candidate "
                + "requests, below 30");
    }

    @Test
    @DisplayName("cancelled during a window: rolled back first, then the step ends as cancelled")
    void cancelRollsBack() throws Exception {
        String name = "canary-cancel";
        deployed(name, stack.plainRun);
        AtomicBoolean cancel = new AtomicBoolean();
        BooleanSupplier cancelled = cancel::get;
        ServerStack.Run run = stack.context(StepType.CANARY, "canary", with("deployment", name, "model", "models:/" + name + "/2",
                "min_requests", 5), null, cancelled);
        Future<StepResult> step = run(run.context());
        awaitWindow(run, 1, step);
        sendUntil(name, "2", 3, 7, false);
        cancel.set(true);
        assertThatThrownBy(() -> result(step)).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StepContext.Cancelled.class);
        assertThat(stack.weight(name, "models:/" + name + "/2")).isZero();
        assertThat(stack.audit(name, AuditAction.ROLLBACK)).singleElement().satisfies(e ->
                assertThat(e.comment()).isEqualTo("pipeline nightly run run-canary step canary: canary models:/" + name
                        + "/2 rolled back: the run was cancelled during the canary"));
        assertThat(stack.store().registry().getModelVersionByAlias(name, "champion").version()).isEqualTo(1);
    }

    @Test
    @DisplayName("what cannot be a canary is refused before traffic moves, naming the field")
    void refusals() throws Exception {
        String name = "canary-refused";
        deployed(name, stack.plainRun);
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("steps.c.with.deployment", with("deployment", "nowhere", "model", "models:/" + name + "/2"));
        cases.put("steps.c.with.model", with("deployment", name, "model", "models:/" + name + "/1"));
        cases.put("steps.c.with.weights", with("deployment", name, "model", "models:/" + name + "/2", "weights", List.of(0.1, 1.0)));
        cases.put("steps.c.with.max_error_rate", with("deployment", name, "model", "models:/" + name + "/2", "max_error_rate", 2));
        cases.put("steps.c.with.min_requests", with("deployment", name, "model", "models:/" + name + "/2", "min_requests", 0));
        cases.put("steps.c.with.window", with("deployment", name, "model", "models:/" + name + "/2", "window", "soon"));
        for (Map.Entry<String, Map<String, Object>> c : cases.entrySet()) {
            assertThatThrownBy(() -> canary().run(stack.context(StepType.CANARY, "c", c.getValue()).context()))
                    .as(c.getKey()).isInstanceOf(CairnException.class).hasMessageContaining(c.getKey());
        }
        assertThatThrownBy(() -> new CanaryRunner(stack.deployments(), null, null).run(stack.context(StepType.CANARY, "c",
                with("deployment", name, "model", "models:/" + name + "/2", "min_precision", 0.5)).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.c.with.min_precision");
        assertThat(stack.deployments().get(name).routes()).hasSize(1);
        assertThat(stack.audit(name, AuditAction.DEPLOYMENT_CHANGED)).hasSize(1);
    }

    /** Rolled back with a reason starting so; the candidate has weight 0, the champion did not move, the rollback is audited. */
    private static void assertRolledBack(String name, StepResult result, String reason) {
        assertThat(result.outputs()).containsEntry("promoted", false).containsEntry("verdict", "rolled_back");
        assertThat((String) result.outputs().get("reason")).startsWith(reason);
        Deployment d = stack.deployments().get(name);
        assertThat(d.routes()).extracting(r -> r.target() + "=" + r.weight())
                .containsExactly("models:/" + name + "@champion=100", "models:/" + name + "/2=0");
        assertThat(stack.store().registry().getModelVersionByAlias(name, "champion").version()).isEqualTo(1);
        assertThat(stack.audit(name, AuditAction.ROLLBACK)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("cairn-rollback");
            assertThat(e.comment()).startsWith("pipeline nightly run run-canary step canary: canary models:/" + name + "/2 rolled back: "
                    + reason);
        });
    }
}
