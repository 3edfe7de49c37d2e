package dev.cairn.server.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.monitor.Monitoring;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.server.serving.Deployment;
import dev.cairn.server.serving.DeploymentSpec;
import dev.cairn.server.serving.Deployments;
import dev.cairn.server.serving.ModelLoader;
import dev.cairn.server.serving.PredictionLog;
import dev.cairn.server.serving.ServedModel;
import dev.cairn.server.serving.WindowStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code canary} step: gives a candidate a share of a deployment's traffic, weight by weight ({@code weights},
 * default [0.1]), watches each share for {@code window} (default 1h) of live traffic, and then either promotes it
 * (all traffic, and the registered model's {@value #CHAMPION} alias pointed at it) or rolls it back (its weight 0).
 * Every change goes through the deployment table as the REST API's do: the candidate is loaded and warmed before it
 * gets traffic, the swap is one step, and each change is audited with the pipeline run and the reason.
 *
 * <p><b>The candidate</b> is a registered version ({@code models:/name/version}, or an alias resolved now and pinned to
 * its version, so an alias moving meanwhile does not change what is watched): a promoted canary becomes its registered
 * model's champion. It joins the deployment's first (stable) target; targets left at weight 0 by an earlier rollback are
 * dropped, and a deployment where another canary takes traffic is refused. The deployment's shadow, sticky key and
 * rollback policy are kept.
 *
 * <p><b>Gates</b> ({@link CanaryGates}), judged on the candidate's own requests since its current weight began
 * (running totals of the statistics the server's automatic rollback keeps per route): {@code max_error_rate} (failed
 * and refused requests), {@code max_latency_ms} (p95), and, at the end of each window, {@code min_precision}: the
 * candidate's realized precision on its labeled predictions since the canary started, as monitoring computes it
 * ({@link RealizedPrecision}); while no label has arrived the gate is not judged (and says so in the log). A traffic gate
 * that already fails with {@code min_requests} in hand ends the canary early: a broken candidate is not kept on for the
 * rest of its window.
 *
 * <p><b>Evidence.</b> A window is judged only once the candidate has answered {@code min_requests} (default: the 50 of
 * the server's automatic rollback) within it; a window that ends with fewer is extended until it has them. The step's
 * deadline is its timeout less a grace period (a tenth, at most a minute) in which to roll back cleanly; without a
 * timeout, twice the planned windows. At the deadline the canary is judged as lacking evidence and rolled back, naming
 * {@code min_requests} and the requests seen.
 *
 * <p><b>Time.</b> Windows are measured on the pipeline's clock ({@link StepContext#now}), so a simulated clock that
 * jumps ahead ends a window at once; the step waits in short real sleeps (every {@code poll}, at most a second) and
 * checks for cancellation at each. A window's end and the totals it counts from are taken just before its weight is
 * set, so every request the new weight routes counts in it, and a clock moved once the weight shows ends it. Requests
 * are counted as they arrive (live traffic needs no timestamps); the precision gate reads the prediction log, where
 * traffic replayed for a simulated time carries that time ({@code X-Cairn-Prediction-Time}). The deadline holds on either clock: a simulated one, and the real one the engine
 * enforces the timeout by. Cancelled (or stopped by the engine), the step rolls the candidate back first, then ends.
 * A deployment changed by anyone else during the canary (the server's automatic rollback, a person) ends it as rolled
 * back; the candidate's weight is then set to 0 only if it still has traffic.
 *
 * <p>Outputs: {@code promoted}, {@code verdict} ({@code promoted} or {@code rolled_back}) and {@code reason} (for a
 * rollback, the gate that failed with its value and threshold).
 */
public final class CanaryRunner implements StepRunner {
    public static final String CHAMPION = "champion";
    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    static final List<Double> DEFAULT_WEIGHTS = List.of(0.1);
    static final Duration DEFAULT_POLL = Duration.ofMillis(200);
    /** The weights the deployment gets, out of this total: a share to a hundredth of a percent. */
    static final int TOTAL_WEIGHT = 10_000;
    private static final int ALL_TRAFFIC = 100;

    private final Deployments deployments;
    private final RealizedPrecision precision;
    private final Duration poll;

    /**
     * @param log        the server's prediction log (flushed before labels are joined); null when it keeps none
     * @param monitoring the server's monitoring, for {@code min_precision}; null refuses that gate
     * @param poll       how long one real sleep between checks is (at most a second)
     */
    public CanaryRunner(Deployments deployments, PredictionLog log, Monitoring monitoring, Duration poll) {
        this.deployments = deployments;
        this.precision = monitoring == null ? null : new RealizedPrecision(monitoring, log);
        this.poll = poll == null ? DEFAULT_POLL : poll.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : poll;
    }

    public CanaryRunner(Deployments deployments, PredictionLog log, Monitoring monitoring) {
        this(deployments, log, monitoring, DEFAULT_POLL);
    }

    @Override
    public StepType type() {
        return StepType.CANARY;
    }

    /** What a canary works on: the deployment, its stable target and the candidate's pinned target. */
    private record Plan(String deployment, String stableTarget, String candidate, ModelReference.ByVersion version,
                        List<Double> weights, Duration window, CanaryGates gates, Instant start, Instant deadline,
                        long realDeadlineNanos) {}

    /** How one window ended: passed (with what was seen), or a reason to roll back. */
    private record Judgement(boolean passed, String reason, WindowStats.Totals seen) {}

    @Override
    public StepResult run(StepContext context) {
        Plan plan = plan(context);
        // The generation of the deployment as this step last left it: any other change ends the canary.
        long generation = -1;
        WindowStats.Totals lastSeen = null;
        RealizedPrecision.Evidence evidence = null;
        try {
            for (int i = 0; i < plan.weights().size(); i++) {
                context.checkCancelled();
                Window w = setWeight(context, plan, i, generation);
                if (w == null) return rolledBack(context, plan, changedReason(plan), false);
                generation = w.deployment().generation();
                Judgement j = watch(context, plan, i, w);
                if (!j.passed()) return rolledBack(context, plan, j.reason(), true);
                lastSeen = j.seen();
                if (plan.gates().minPrecision() != null) {
                    evidence = precision.since(plan.deployment(), plan.version().name(), Long.toString(plan.version().version()), plan.start());
                    String failed = plan.gates().failedPrecision(evidence);
                    if (failed != null) return rolledBack(context, plan, failed + " (after window " + (i + 1) + ")", true);
                    context.log(evidence.precision() == null
                            ? "min_precision not judged yet: no labeled prediction of the candidate was positive (" + evidence.labeled()
                              + " labeled rows)"
                            : String.format(Locale.ROOT, "Realized precision %.4f over %d labeled rows (min %s)", evidence.precision(),
                              evidence.labeled(), plan.gates().minPrecision()));
                }
                Deployment now = deployments.find(plan.deployment());
                if (now == null || now.generation() != generation) return rolledBack(context, plan, changedReason(plan), true);
            }
            context.checkCancelled();
            return promote(context, plan, generation, lastSeen, evidence);
        } catch (StepContext.Cancelled e) {
            rollBackQuietly(context, plan, "the run was cancelled during the canary");
            throw e;
        } catch (InterruptedWhileWatching e) {
            rollBackQuietly(context, plan, "the step was stopped (cancelled or out of time) during the canary");
            Thread.currentThread().interrupt();
            throw new StepContext.Cancelled();
        } catch (RuntimeException | Error e) {
            // Whatever went wrong, the candidate does not keep its share unwatched.
            rollBackQuietly(context, plan, "the canary step failed: " + e.getMessage());
            throw e;
        }
    }

    private Plan plan(StepContext context) {
        String name = StepModels.deploymentName(context, "deployment")
                .orElseThrow(() -> CairnException.invalid(context.field("deployment"), null, "the deployment to canary in"));
        String uri = StepModels.modelUri(context, "model");
        List<Double> weights = weights(context);
        Duration window = context.duration("window").orElse(DEFAULT_WINDOW);
        if (window.isNegative() || window.isZero()) throw CairnException.invalid(context.field("window"), window, "a positive duration");
        CanaryGates gates = CanaryGates.of(context);
        if (gates.minPrecision() != null && precision == null) {
            throw CairnException.invalid(context.field("min_precision"), gates.minPrecision(),
                    "nothing: this server has no monitoring to join labels with predictions");
        }
        Deployment current = deployments.find(name);
        if (current == null) {
            throw CairnException.invalid(context.field("deployment"), name, "an existing deployment (deploy the stable version first; "
                    + "deployed: " + deployments.all().stream().map(Deployment::name).sorted().collect(Collectors.joining(", ")) + ")");
        }
        ModelLoader loader = deployments.loader();
        ModelLoader.Resolved resolved = StepModels.resolve(context, "model", loader, uri);
        if (!(resolved.reference() instanceof ModelReference.ByVersion version)) {
            throw CairnException.invalid(context.field("model"), uri, "a registered version (models:/name/version or models:/name@alias): "
                    + "a promoted canary becomes its registered model's " + CHAMPION);
        }
        String candidate = resolved.key();
        context.consumed("model_version", candidate, null);
        Deployment.Route stable = current.stable();
        if (stable.model().uri().equals(candidate)) {
            throw CairnException.invalid(context.field("model"), uri, "a model other than the version deployment " + name
                    + " serves as its stable version (" + candidate + ")");
        }
        for (Deployment.Route r : current.routes().subList(1, current.routes().size())) {
            if (r.weight() > 0 && !r.target().equals(candidate)) {
                throw new CairnException(ErrorCode.INVALID_STATE, "Deployment " + name + " already has a canary taking traffic ("
                        + r.target() + " at weight " + r.weight() + "); let it finish or roll it back first",
                        Map.of("field", context.field("deployment"), "value", name));
            }
        }
        if (gates.minPrecision() != null) {
            ServedModel model = loader.acquire(resolved);
            if (!model.signature().output().isClassifier() || model.signature().output().classes().size() != 2) {
                throw CairnException.invalid(context.field("min_precision"), gates.minPrecision(),
                        "nothing: precision is for binary classifiers, and " + candidate + " is not one");
            }
        }
        Instant start = context.now();
        Duration budget = budget(context.step().timeout(), weights.size(), window);
        Duration planned = window.multipliedBy(weights.size());
        if (context.step().timeout() != null && planned.compareTo(budget) > 0) {
            context.warn("The step's timeout " + context.step().timeout() + " leaves less than its " + weights.size() + " window(s) of "
                    + window + ": the canary will be rolled back when time runs out");
        }
        context.log("Canary of " + candidate + " in deployment " + name + " (stable: " + stable.model().uri() + "): weights "
                + weights + ", " + window + " each, deadline " + start.plus(budget) + "; gates: min_requests " + gates.minRequests()
                + (gates.maxErrorRate() == null ? "" : ", max_error_rate " + gates.maxErrorRate())
                + (gates.maxLatencyMs() == null ? "" : ", max_latency_ms " + gates.maxLatencyMs())
                + (gates.minPrecision() == null ? "" : ", min_precision " + gates.minPrecision()));
        return new Plan(name, stable.target(), candidate, version, weights, window, gates, start, start.plus(budget),
                System.nanoTime() + budget.toNanos());
    }

    /** The time the canary may take: the timeout less a grace to roll back in, or twice the planned windows. */
    static Duration budget(Duration timeout, int windows, Duration window) {
        if (timeout == null) return window.multipliedBy(2L * windows);
        Duration grace = timeout.dividedBy(10);
        if (grace.compareTo(Duration.ofMinutes(1)) > 0) grace = Duration.ofMinutes(1);
        return timeout.minus(grace);
    }

    private static List<Double> weights(StepContext context) {
        if (!context.has("weights")) return DEFAULT_WEIGHTS;
        List<String> given = context.list("weights");
        if (given.isEmpty()) throw CairnException.invalid(context.field("weights"), "[]", "at least one share of traffic, e.g. [0.1, 0.5]");
        List<Double> weights = new ArrayList<>();
        for (String w : given) {
            double v;
            try {
                v = Double.parseDouble(w.strip());
            } catch (NumberFormatException e) {
                throw CairnException.invalid(context.field("weights"), w, "shares of traffic above 0 and below 1, e.g. [0.1, 0.5]");
            }
            if (!(v > 0 && v < 1)) {
                throw CairnException.invalid(context.field("weights"), w, "shares of traffic above 0 and below 1 (all traffic is the promotion)");
            }
            weights.add(v);
        }
        return List.copyOf(weights);
    }

    /**
     * One window as it begins: the deployment with the candidate's new weight, the statistics of the candidate's and
     * the stable version's routes with their totals when the window began, and when it ends.
     */
    private record Window(Deployment deployment, WindowStats stats, WindowStats.Totals base, WindowStats stableStats,
                          WindowStats.Totals stableBase, Instant end) {}

    /**
     * Gives the candidate weight {@code i}: the first time by a new routing table (the candidate loaded and warmed before
     * the swap), then by changing the weights only. The window's end and its starting totals are taken before the change,
     * so every request the new weight sends counts and a clock moved right after the change ends this window. Null when
     * the deployment changed since this step last left it.
     */
    private Window setWeight(StepContext context, Plan plan, int i, long generation) {
        double share = plan.weights().get(i);
        int candidateWeight = (int) Math.max(1, Math.min(TOTAL_WEIGHT - 1, Math.round(share * TOTAL_WEIGHT)));
        int stableWeight = TOTAL_WEIGHT - candidateWeight;
        String comment = StepModels.comment(context, String.format(Locale.ROOT, "canary %s gets %s of the traffic (window %d of %d)",
                plan.candidate(), percent(share), i + 1, plan.weights().size()));
        Window window;
        synchronized (deployments) {
            // Deployments serialises its changes on itself: holding it here, the check and the change are one step.
            Deployment current = deployments.find(plan.deployment());
            if (current == null || (generation >= 0 && current.generation() != generation)) return null;
            Instant end = context.now().plus(plan.window());
            // A route's statistics outlive the routing tables (Deployments keeps them per deployment and version): read
            // them before the change, so the window counts exactly the requests its weight sent.
            WindowStats before = deployments.routeStats(current.spec(), plan.candidate());
            WindowStats.Totals base = before == null ? WindowStats.none() : before.totals();
            WindowStats.Totals stableBase = current.stable().window().totals();
            Deployment d;
            if (generation < 0) {
                List<DeploymentSpec.Target> targets = List.of(new DeploymentSpec.Target(plan.stableTarget(), stableWeight),
                        new DeploymentSpec.Target(plan.candidate(), candidateWeight));
                d = deployments.apply(current.spec().withTargets(targets), StepModels.actor(context), comment);
            } else {
                Map<String, Integer> weights = new LinkedHashMap<>();
                weights.put(plan.stableTarget(), stableWeight);
                weights.put(plan.candidate(), candidateWeight);
                d = deployments.setWeights(plan.deployment(), weights, StepModels.actor(context), comment);
            }
            WindowStats stats = find(d, plan.candidate()).window();
            if (before != null && before != stats) base = WindowStats.none();
            WindowStats stableStats = d.stable().window();
            if (current.stable().window() != stableStats) stableBase = WindowStats.none();
            window = new Window(d, stats, base, stableStats, stableBase, end);
        }
        context.log(String.format(Locale.ROOT, "Window %d of %d: %s gets %s of deployment %s's traffic until %s", i + 1,
                plan.weights().size(), plan.candidate(), percent(share), plan.deployment(), window.end()));
        return window;
    }

    /** Watches window {@code i} until it is judged, the deadline passes, the deployment changes or the run is cancelled. */
    private Judgement watch(StepContext context, Plan plan, int i, Window w) {
        Deployment d = w.deployment();
        WindowStats stats = w.stats();
        WindowStats.Totals base = w.base();
        WindowStats stableStats = w.stableStats();
        WindowStats.Totals stableBase = w.stableBase();
        Instant end = w.end();
        String which = "window " + (i + 1) + " of " + plan.weights().size() + " (" + percent(plan.weights().get(i)) + ")";
        boolean extended = false;
        while (true) {
            if (context.cancelRequested()) throw new StepContext.Cancelled();
            Deployment now = deployments.find(plan.deployment());
            if (now == null || now.generation() != d.generation()) return new Judgement(false, changedReason(plan), null);
            WindowStats.Totals seen = stats.totals().since(base);
            Instant time = context.now();
            boolean ended = !time.isBefore(end);
            if (seen.requests() >= plan.gates().minRequests()) {
                String failed = plan.gates().failedTraffic(seen);
                if (failed != null) {
                    return new Judgement(false, failed + " in " + which + (ended ? "" : ", before the window ended"), seen);
                }
                if (ended) {
                    context.log("Window " + (i + 1) + " passed: candidate " + plan.gates().describe(seen) + "; stable version "
                            + stableStats.totals().since(stableBase).requests() + " requests");
                    return new Judgement(true, null, seen);
                }
            } else if (ended && !extended) {
                context.log("Window " + (i + 1) + " ended with " + seen.requests() + " of the " + plan.gates().minRequests()
                        + " candidate requests it needs (min_requests): extended until it has them or the deadline " + plan.deadline());
                extended = true;
            }
            if (!time.isBefore(plan.deadline()) || System.nanoTime() - plan.realDeadlineNanos() >= 0) {
                String reason = ended
                        ? "min_requests: not enough evidence by the step's deadline: " + which + " saw " + seen.requests()
                          + " candidate requests, below " + plan.gates().minRequests()
                        : "timeout: the step's deadline came during " + which + " (" + seen.requests() + " candidate requests so far)";
                return new Judgement(false, reason, seen);
            }
            sleep();
        }
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis() <= 0 ? 1 : poll.toMillis());
        } catch (InterruptedException e) {
            // The engine interrupts a step it stops (cancel, timeout): roll back as for a cancel. The flag is
            // restored after the rollback, whose file writes an interrupted thread could not make.
            throw new InterruptedWhileWatching();
        }
    }

    /** An interrupt while waiting, turned into a cancel once the rollback is done. */
    private static final class InterruptedWhileWatching extends RuntimeException {
        InterruptedWhileWatching() {
            super("interrupted", null, false, false);
        }
    }

    /** The route to {@code target}, or null. */
    private static Deployment.Route find(Deployment d, String target) {
        for (Deployment.Route r : d.routes()) if (r.target().equals(target)) return r;
        return null;
    }

    private StepResult promote(StepContext context, Plan plan, long generation, WindowStats.Totals lastSeen,
                               RealizedPrecision.Evidence evidence) {
        String reason = "every gate held in " + plan.weights().size() + " window(s) of " + plan.window() + " (weights " + plan.weights()
                + "); last window: " + plan.gates().describe(lastSeen)
                + (plan.gates().minPrecision() == null ? "" : evidence == null || evidence.precision() == null
                        ? "; precision not judged (no labels yet)"
                        : String.format(Locale.ROOT, "; realized precision %.4f over %d labeled rows (min %s)", evidence.precision(),
                          evidence.labeled(), plan.gates().minPrecision()));
        ModelReference.ByVersion v = plan.version();
        // The deployment keeps following the alias when its stable target was the champion alias: moved first, it now
        // resolves to the candidate; otherwise it serves the candidate's version.
        String championTarget = new ModelReference.ByAlias(v.name(), CHAMPION).toString();
        boolean followsChampion = plan.stableTarget().equals(championTarget);
        synchronized (deployments) {
            Deployment current = deployments.find(plan.deployment());
            if (current == null || current.generation() != generation) return rolledBack(context, plan, changedReason(plan), true);
            context.tracking().registry().setAlias(v.name(), CHAMPION, v.version(), StepModels.actor(context),
                    StepModels.comment(context, "canary promoted: " + reason));
            String target = followsChampion ? championTarget : plan.candidate();
            deployments.apply(current.spec().withTargets(List.of(new DeploymentSpec.Target(target, ALL_TRAFFIC))),
                    StepModels.actor(context), StepModels.comment(context, "canary " + plan.candidate() + " promoted: " + reason));
        }
        context.log("Promoted " + plan.candidate() + ": it serves all of deployment " + plan.deployment() + "'s traffic and is "
                + v.name() + "@" + CHAMPION + "; " + reason);
        context.produced("deployment", "deployment:" + plan.deployment(), null);
        context.produced("model_version", plan.candidate(), null);
        return outputs(true, reason);
    }

    private StepResult rolledBack(StepContext context, Plan plan, String reason, boolean rollBack) {
        boolean done = rollBack && rollBack(context, plan, reason);
        context.warn((done ? "Rolled back " : "Not promoted (it has no traffic left to take back): ") + plan.candidate()
                + " in deployment " + plan.deployment() + ": " + reason);
        return outputs(false, reason);
    }

    /**
     * Weight 0 for the candidate (all traffic back to the stable version), audited as a rollback with the reason, if it
     * still has traffic; returns whether it had.
     */
    private boolean rollBack(StepContext context, Plan plan, String reason) {
        synchronized (deployments) {
            Deployment d = deployments.find(plan.deployment());
            if (d == null) return false;
            boolean hasTraffic = d.routes().stream().anyMatch(r -> r.target().equals(plan.candidate()) && r.weight() > 0)
                    && !d.stable().target().equals(plan.candidate());
            if (!hasTraffic) return false;
            deployments.rollback(plan.deployment(), StepModels.comment(context, "canary " + plan.candidate() + " rolled back: " + reason));
            return true;
        }
    }

    /** A rollback on the way out of a cancel or a failure: it must not hide why the step ends. */
    private void rollBackQuietly(StepContext context, Plan plan, String reason) {
        // An interrupted thread cannot write the deployments' state file (its channel would close): clear, then restore.
        boolean interrupted = Thread.interrupted();
        try {
            if (rollBack(context, plan, reason)) {
                context.warn("Rolled back " + plan.candidate() + " in deployment " + plan.deployment() + ": " + reason);
            }
        } catch (RuntimeException e) {
            context.warn("Could not roll back " + plan.candidate() + " in deployment " + plan.deployment() + ": " + e.getMessage());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static String changedReason(Plan plan) {
        return "deployment " + plan.deployment() + " was changed by someone else during the canary (e.g. the server's automatic "
                + "rollback), so the candidate's share is no longer this step's to judge";
    }

    private static StepResult outputs(boolean promoted, String reason) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("promoted", promoted);
        outputs.put("verdict", promoted ? "promoted" : "rolled_back");
        outputs.put("reason", reason);
        return StepResult.of(outputs);
    }

    private static String percent(double share) {
        return CanaryGates.number(Math.round(share * TOTAL_WEIGHT) / (TOTAL_WEIGHT / 100.0)) + "%";
    }
}
